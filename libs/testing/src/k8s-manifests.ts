/**
 * Checks for the rendered manifests of k8s/ (run by scripts/validate-k8s.ts on every overlay): each
 * object against the upstream OpenAPI schema of its kind (kubernetes-models), plus the house rules the
 * schema cannot state. The schemas allow unknown fields, so a misspelt field name passes them.
 */

/** Labels every object carries (k8s/base sets them with commonLabels). */
export const COMMON_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'modelplane',
  'app.kubernetes.io/part-of': 'modelplane',
};

export interface ManifestRules {
  /** Secrets may be shipped (the dev overlay's placeholders); production expects them created out of band. */
  allowSecrets: boolean;
}

/** A rendered object, as parsed from YAML. */
export type Manifest = Record<string, unknown>;

interface ObjectMeta {
  name?: string;
  labels?: Record<string, string>;
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
}
interface Container {
  name?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  securityContext?: SecurityContext & {
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  seccompProfile?: { type?: string };
}
interface Selector {
  matchLabels?: Record<string, string>;
}

type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion?: string; kind?: string };

/** Workload kinds whose pods run until stopped: their containers need probes. */
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** `Kind/name` for messages. */
export function describeManifest(obj: Manifest): string {
  return `${String(obj.kind ?? '?')}/${String((obj.metadata as ObjectMeta | undefined)?.name ?? '?')}`;
}

/**
 * The problems of one object (empty when it is fine): its schema, the common labels, and for workloads
 * resources, probes, the security context and a selector that matches the pod template.
 */
export async function validateManifest(
  obj: Manifest,
  rules: ManifestRules = { allowSecrets: true },
): Promise<string[]> {
  const problems: string[] = [];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind must be strings'];
  const model = await modelOf(apiVersion, kind);
  if (typeof model === 'string') problems.push(model);
  else {
    try {
      new model(obj).validate();
    } catch (error) {
      problems.push(`schema: ${(error as Error).message}`);
    }
  }

  const meta = (obj.metadata ?? {}) as ObjectMeta;
  for (const [key, value] of Object.entries(COMMON_LABELS))
    if (meta.labels?.[key] !== value) problems.push(`label ${key}=${value} missing`);
  if (kind === 'Secret' && !rules.allowSecrets)
    problems.push('ships a Secret: this overlay expects Secrets created out of band');

  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const pod = podSpecOf(kind, spec);
  if (pod) problems.push(...podProblems(pod, { probes: LONG_RUNNING.has(kind) }));
  if (LONG_RUNNING.has(kind)) {
    const template = templateLabels(spec) ?? {};
    const selector = (spec.selector as Selector | undefined)?.matchLabels ?? {};
    if (Object.keys(selector).length === 0) problems.push('spec.selector.matchLabels is empty');
    for (const [key, value] of Object.entries(selector))
      if (template[key] !== value) problems.push(`selector ${key}=${value} does not match the pod template's labels`);
  }
  return problems;
}

/**
 * The problems of a whole rendering, per object (`Kind/name` → problems), with what spans objects: names
 * unique per kind, Services and PodDisruptionBudgets that select some pod template, autoscalers whose
 * target exists.
 */
export async function validateManifests(objects: Manifest[], rules: ManifestRules): Promise<Map<string, string[]>> {
  const results = new Map<string, string[]>();
  const templates = objects
    .map((o) => templateLabels((o.spec ?? {}) as Record<string, unknown>))
    .filter((labels) => labels !== undefined);
  const selectsSomePod = (selector: Record<string, string>) =>
    templates.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
  const names = new Set(objects.map(describeManifest));

  for (const obj of objects) {
    const ref = describeManifest(obj);
    const problems = await validateManifest(obj, rules);
    if (results.has(ref)) problems.push('defined twice');
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    if (obj.kind === 'Service' && spec.selector && !selectsSomePod(spec.selector as Record<string, string>))
      problems.push('its selector matches no pod template');
    if (obj.kind === 'PodDisruptionBudget' && !selectsSomePod((spec.selector as Selector)?.matchLabels ?? {}))
      problems.push('its selector matches no pod template');
    if (obj.kind === 'HorizontalPodAutoscaler') {
      const target = spec.scaleTargetRef as { kind?: string; name?: string } | undefined;
      if (!names.has(`${target?.kind}/${target?.name}`))
        problems.push(`scales ${target?.kind}/${target?.name}, not defined`);
    }
    results.set(ref, [...(results.get(ref) ?? []), ...problems]);
  }
  return results;
}

/** The kubernetes-models class of apiVersion+kind (`apps/v1` → `kubernetes-models/apps/v1`), or why there is none. */
async function modelOf(apiVersion: string, kind: string): Promise<ModelClass | string> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return `malformed apiVersion ${apiVersion}`;
  let group: Record<string, unknown>;
  try {
    group = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
  } catch {
    return `unknown apiVersion ${apiVersion}`;
  }
  const model = Object.hasOwn(group, kind) ? (group[kind] as ModelClass) : undefined;
  if (typeof model !== 'function' || model.kind !== kind || model.apiVersion !== apiVersion)
    return `unknown kind ${kind} in ${apiVersion}`;
  return model;
}

function templateLabels(spec: Record<string, unknown>): Record<string, string> | undefined {
  return (spec.template as { metadata?: ObjectMeta } | undefined)?.metadata?.labels;
}

function podSpecOf(kind: string, spec: Record<string, unknown>): PodSpec | undefined {
  if (kind === 'Pod') return spec as PodSpec;
  if (kind === 'CronJob')
    return (spec.jobTemplate as { spec?: { template?: { spec?: PodSpec } } } | undefined)?.spec?.template?.spec;
  if (LONG_RUNNING.has(kind) || kind === 'Job') return (spec.template as { spec?: PodSpec } | undefined)?.spec;
  return undefined;
}

function podProblems(pod: PodSpec, { probes }: { probes: boolean }): string[] {
  const problems: string[] = [];
  const podSecurity = pod.securityContext ?? {};
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const at = `container ${c.name ?? '?'}`;
    for (const part of ['requests', 'limits'] as const)
      for (const resource of ['cpu', 'memory'])
        if (c.resources?.[part]?.[resource] === undefined)
          problems.push(`${at}: resources.${part}.${resource} missing`);
    const security = c.securityContext ?? {};
    if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if ((security.seccompProfile ?? podSecurity.seccompProfile)?.type !== 'RuntimeDefault')
      problems.push(`${at}: seccompProfile is not RuntimeDefault`);
    if (security.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!security.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
  }
  if (probes)
    for (const c of pod.containers ?? [])
      for (const probe of ['livenessProbe', 'readinessProbe'] as const)
        if (!c[probe]) problems.push(`container ${c.name ?? '?'}: ${probe} missing`);
  return problems;
}
