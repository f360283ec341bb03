/**
 * Renders every overlay under k8s/overlays with `kubectl kustomize` and validates each object
 * (libs/testing/src/k8s-manifests.ts): its kind's OpenAPI schema, the common labels, resources and
 * probes, security contexts, selectors; no Secret in the production overlay. Exits 1 on any problem.
 *
 *   node dist/scripts/validate-k8s.js        (npm run k8s:validate)
 *
 * kubectl: $KUBECTL, else $K8S_DIR/bin/kubectl (K8S_DIR defaults to ~/.cache/k8s-envtest, where
 * the envtest setup builds kubectl 1.20 with kustomize v2.0.3, the oldest the manifests support),
 * else `kubectl` on PATH.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../libs/db/src/project-paths.js';
import { describeManifest, validateManifests, type Manifest } from '../libs/testing/src/k8s-manifests.js';

function findKubectl(): string | undefined {
  // Where the tool is, not app configuration: read here as the other scripts read theirs.
  const { KUBECTL, K8S_DIR, PATH } = process.env;
  if (KUBECTL) return KUBECTL;
  const envtest = join(K8S_DIR ?? join(homedir(), '.cache', 'k8s-envtest'), 'bin', 'kubectl');
  if (existsSync(envtest)) return envtest;
  return (PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'kubectl'))
    .find((candidate) => existsSync(candidate));
}

function render(kubectl: string, dir: string): Manifest[] {
  const yaml = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const objects: Manifest[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    if (doc.errors.length > 0) throw new Error(`${dir}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${dir}: a document is not an object`);
    objects.push(value as Manifest);
  }
  return objects;
}

async function main(): Promise<void> {
  const kubectl = findKubectl();
  if (!kubectl) {
    console.error(
      'kubectl not found: set KUBECTL, or build the envtest kubectl (/work/shared/tools/k8s-envtest/setup.sh, ' +
        'into $K8S_DIR/bin, default ~/.cache/k8s-envtest), or put kubectl on PATH.',
    );
    process.exit(1);
  }
  const overlaysDir = join(projectRoot(), 'k8s', 'overlays');
  const overlays = readdirSync(overlaysDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(overlaysDir, entry.name, 'kustomization.yaml')))
    .map((entry) => entry.name)
    .sort();
  let objects = 0;
  let failed = 0;
  for (const overlay of overlays) {
    let rendered: Manifest[];
    try {
      rendered = render(kubectl, join(overlaysDir, overlay));
    } catch (error) {
      const { stderr, message } = error as Error & { stderr?: string };
      console.error(`FAIL ${overlay}: cannot render: ${String(stderr || message).trim()}`);
      failed++;
      continue;
    }
    if (rendered.length === 0) {
      console.error(`FAIL ${overlay}: renders nothing`);
      failed++;
    }
    const results = await validateManifests(rendered, { allowSecrets: overlay !== 'production' });
    for (const obj of rendered) {
      const ref = describeManifest(obj);
      const problems = results.get(ref) ?? [];
      results.delete(ref); // a name defined twice is reported once
      objects++;
      if (problems.length === 0) console.log(`ok   ${overlay}  ${ref}`);
      else {
        failed++;
        console.error(`FAIL ${overlay}  ${ref}\n${problems.map((p) => `       - ${p}`).join('\n')}`);
      }
    }
  }
  const summary = `${overlays.length} overlays, ${objects} objects, ${failed} failed (kubectl: ${kubectl})`;
  if (overlays.length === 0 || failed > 0) {
    console.error(`k8s manifests INVALID: ${summary}`);
    process.exit(1);
  }
  console.log(`k8s manifests valid: ${summary}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
