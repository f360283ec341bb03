// Runs in Jest's parent process, outside its module mapping and transforms, so
// it uses the compiled libraries (npm test builds them first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationPaths } from '../dist/libs/db/src/project-paths.js';
import { applyMigrations } from '../dist/libs/db/src/migrations/schema-engine.js';
import { createTestDatabase } from '../dist/libs/testing/src/test-database.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One fresh database for the e2e run, migrated by the project's own migrator; and a Kubernetes API server. */
export default async function globalSetup() {
  const url = await createTestDatabase();
  await applyMigrations({ databaseUrl: url, ...migrationPaths() });
  process.env.TEST_DATABASE_URL = url;
  startEnvtest();
}

/**
 * The Kubernetes suites run against MODELPLANE_TEST_KUBECONFIG when it is set
 * (any cluster); otherwise against the k8s-envtest control plane when it is
 * built (../shared/tools/k8s-envtest/setup.sh), started here with two fake
 * 8-GPU nodes. Neither: those suites are skipped, or fail when
 * MODELPLANE_REQUIRE_K8S=1 (CI).
 */
function startEnvtest() {
  if (process.env.MODELPLANE_TEST_KUBECONFIG) return;
  const tools = process.env.K8S_ENVTEST_TOOLS ?? join(root, '..', 'shared', 'tools', 'k8s-envtest');
  const k8sDir = process.env.K8S_DIR ?? join(homedir(), '.cache', 'k8s-envtest');
  if (!existsSync(join(k8sDir, 'bin', 'kube-apiserver')) || !existsSync(join(tools, 'start.sh'))) return;
  const env = { ...process.env, K8S_DIR: k8sDir };
  const start = () => execFileSync(join(tools, 'start.sh'), { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  // A component sometimes exits during start-up (seen right after an earlier cluster stopped): up to three tries.
  let kubeconfig;
  for (let attempt = 1; !kubeconfig; attempt++) {
    try {
      kubeconfig = start();
    } catch (error) {
      execFileSync(join(tools, 'stop.sh'), { env, stdio: 'ignore' });
      if (attempt < 3) continue;
      const message = `k8s-envtest did not start: ${String(error.stderr ?? error.message).trim().split('\n').slice(-6).join(' | ')}`;
      if (process.env.MODELPLANE_REQUIRE_K8S === '1') throw new Error(message, { cause: error });
      console.warn(`${message}; the Kubernetes suites are skipped`);
      return;
    }
  }
  for (const node of ['mp-gpu-a', 'mp-gpu-b']) {
    execFileSync(join(tools, 'add-gpu-node.sh'), [node, '8', '3600'], { env, stdio: 'ignore' });
  }
  process.env.MODELPLANE_TEST_KUBECONFIG = kubeconfig;
  process.env.MODELPLANE_TEST_CLUSTER = 'envtest';
  process.env.MODELPLANE_TEST_K8S_PKI = join(k8sDir, 'pki');
}
