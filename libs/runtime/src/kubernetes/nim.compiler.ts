/**
 * The NIM compiler: a pure function from an instance spec (what a deployment
 * version asks for) to the Kubernetes objects that run it. No I/O, no clock:
 * the same input gives byte-identical objects (golden-file tests).
 */
import { createHash } from 'node:crypto';
import type {
  V1Affinity,
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1PersistentVolumeClaim,
  V1ResourceRequirements,
  V1Service,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { InstanceSpec, KubernetesPlacement } from '../runtime.js';

export const MANAGED_BY = 'modelplane';
export const PORT = 8000;
/** Where NIM keeps downloaded models (NIM_CACHE_PATH); the model cache volume is mounted here. */
export const NIM_CACHE_PATH = '/opt/nim/.cache';
export const DEFAULT_SHM_SIZE = '16Gi';
/** Model downloads take many minutes: the start-up probe allows this long unless the config says otherwise. */
export const DEFAULT_STARTUP_GRACE_SECONDS = 1800;

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  workspace: 'modelplane.io/workspace',
  deployment: 'modelplane.io/deployment',
  version: 'modelplane.io/version',
} as const;

/** The exact names (label values cannot hold every character a name may), and what the objects were made from. */
export const ANNOTATIONS = {
  workspace: 'modelplane.io/workspace',
  deployment: 'modelplane.io/deployment',
  version: 'modelplane.io/version',
  instanceId: 'modelplane.io/instance-id',
  specHash: 'modelplane.io/spec-hash',
} as const;

/** Labels that say whose an object is: an override may not change them. */
const IDENTITY_LABELS = [LABELS.managedBy, LABELS.instance, LABELS.workspace, LABELS.deployment, LABELS.version];

export interface CompileOptions {
  namespace: string;
  /** The Secret holding `NGC_API_KEY` (referenced, never copied). */
  ngcSecretName: string;
  /** Image pull secrets when the config names none. */
  imagePullSecrets: string[];
  /**
   * A new pod may start before the old one stops: true when the cluster has room for one more copy
   * (the runtime decides from free GPUs); false keeps scarce GPUs from deadlocking a rollout.
   */
  surge: boolean;
  /**
   * Where the model cache (`disk_size`) lives: a PersistentVolumeClaim that outlives pods (default),
   * or an emptyDir of that size (for clusters without a storage class: the model is downloaded at each start).
   */
  modelCache?: 'pvc' | 'empty-dir';
  /**
   * The objects' name when they exist already (made under an earlier naming scheme): kept, since
   * a Deployment's selector cannot change and a second copy would need the GPUs twice. Default: workloadName.
   */
  name?: string;
}

export interface NimWorkload {
  name: string;
  deployment: V1Deployment;
  service: V1Service;
  /** The model cache, when the config sizes one (`disk_size`). */
  persistentVolumeClaim: V1PersistentVolumeClaim | null;
}

export class OverrideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverrideError';
  }
}

/** A DNS-1035 label (what a Service name must be): what every workload name is. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAME_HASH_LENGTH = 16;

/**
 * The objects' name: a DNS-1035 label (Services need one), one per
 * (workspace, deployment, version), so no version ever applies over
 * another's objects, across workspaces included.
 *
 * Plain form `{workspace}--{deployment}-v{version}`, when both names are
 * `[a-z0-9-]` and it fits in 63. It splits back one way only, since a name
 * holds no `--` and does not end in `-`: the workspace is everything before
 * the first `--` (an earlier `--` would lie inside the workspace; one starting
 * a character earlier would need the workspace to end in `-`); the version is
 * the digits after the last `-v` (digits hold no `-v`); the deployment is
 * what lies between. So `team-a`/`llama` is `team-a--llama-v1` and
 * `team`/`a-llama` is `team--a-llama-v1`.
 *
 * Hashed form otherwise (`@ + _ .`, or too long): a readable slug, then `-`
 * and 16 hex digits of SHA-256 over `{workspace}/{deployment}/{version}`
 * (`/` is in no name, so that string is one-to-one too). Its last segment is
 * hex, never `v{digits}`, so it is never a plain-form name; two hashed names
 * are equal only if 64 bits of SHA-256 collide. Names of the earlier scheme
 * (`{workspace}-{deployment}-v{version}`, or a slug and 8 hex digits) hold no
 * `--` and end in `v{digits}` or 8 hex digits: none is a name of this one.
 * Objects created under them are adopted by the runtime, not renamed.
 */
export function workloadName(workspace: string, deployment: string, version: number): string {
  const plain = `${workspace}--${deployment}-v${version}`;
  if (/^[a-z0-9-]+$/.test(workspace) && /^[a-z0-9-]+$/.test(deployment) && DNS_LABEL.test(plain)) return plain;
  const hash = createHash('sha256')
    .update(`${workspace}/${deployment}/${version}`)
    .digest('hex')
    .slice(0, NAME_HASH_LENGTH);
  const slug = (name: string) => name.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '');
  // A workspace starts with a letter, so the slug does; cut, it may end in `-`, which the hash's `-` must not follow.
  const readable = `${slug(workspace)}--${slug(deployment)}-v${version}`
    .slice(0, 63 - NAME_HASH_LENGTH - 1)
    .replace(/-+$/, '');
  return `${readable}-${hash}`;
}

/** A label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric; else a slug with a hash. */
export function labelValue(value: string): string {
  if (/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value)) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const slug = value
    .replace(/[^A-Za-z0-9-_.]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63 - hash.length - 1)
    .replace(/[^A-Za-z0-9]+$/, '');
  return slug ? `${slug}-${hash}` : hash;
}

export function compileNimWorkload(spec: InstanceSpec, options: CompileOptions): NimWorkload {
  const k8s: KubernetesPlacement = spec.kubernetes ?? {};
  const name = options.name ?? workloadName(spec.workspace, spec.deployment, spec.version);
  const labels: Record<string, string> = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.name]: spec.engine,
    [LABELS.instance]: name,
    [LABELS.component]: 'model-server',
    [LABELS.workspace]: labelValue(spec.workspace),
    [LABELS.deployment]: labelValue(spec.deployment),
    [LABELS.version]: String(spec.version),
  };
  const annotations: Record<string, string> = {
    [ANNOTATIONS.workspace]: spec.workspace,
    [ANNOTATIONS.deployment]: spec.deployment,
    [ANNOTATIONS.version]: String(spec.version),
    [ANNOTATIONS.instanceId]: spec.instanceId,
    [ANNOTATIONS.specHash]: spec.specHash,
  };
  const selector = { [LABELS.managedBy]: MANAGED_BY, [LABELS.instance]: name };
  const metadata = (kind: string) => ({
    name: kind === 'pvc' ? `${name}-cache` : name,
    namespace: options.namespace,
    labels: { ...labels },
    annotations: { ...annotations },
  });

  const volumes: V1Volume[] = [
    { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: k8s.shmSize ?? DEFAULT_SHM_SIZE } },
  ];
  const mounts: V1VolumeMount[] = [{ name: 'dshm', mountPath: '/dev/shm' }];
  const env: Record<string, string> = { ...spec.env };
  let pvc: V1PersistentVolumeClaim | null = null;
  if (k8s.diskSize && options.modelCache === 'empty-dir') {
    volumes.push({ name: 'model-cache', emptyDir: { sizeLimit: k8s.diskSize } });
    mounts.push({ name: 'model-cache', mountPath: NIM_CACHE_PATH });
    env.NIM_CACHE_PATH = NIM_CACHE_PATH;
  } else if (k8s.diskSize) {
    pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata('pvc'),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: k8s.diskSize } },
        ...(k8s.storageClass ? { storageClassName: k8s.storageClass } : {}),
      },
    };
    volumes.push({ name: 'model-cache', persistentVolumeClaim: { claimName: `${name}-cache` } });
    mounts.push({ name: 'model-cache', mountPath: NIM_CACHE_PATH });
    env.NIM_CACHE_PATH = NIM_CACHE_PATH;
  }
  const initContainers: V1Container[] = [];
  if (env.NIM_PEFT_SOURCE) {
    // LoRA adapters are read from a scratch volume (the reference's 1Gi /scratch); the adapter
    // directory must exist before NIM starts. The NIM image's own shell makes it: no second image to pull.
    volumes.push({ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } });
    mounts.push({ name: 'scratch', mountPath: '/scratch' });
    initContainers.push({
      name: 'lora-cache-init',
      image: spec.image ?? undefined,
      command: ['sh', '-c', `mkdir -p '${env.NIM_PEFT_SOURCE}' && chmod 777 '${env.NIM_PEFT_SOURCE}'`],
      volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    });
  }

  const graceSeconds = k8s.startupGraceSeconds ?? DEFAULT_STARTUP_GRACE_SECONDS;
  const ids = spec.engine === 'vllm' ? { user: 2000, group: 0 } : { user: 1000, group: 2000 };
  const user = k8s.runAsUser ?? ids.user;
  const group = k8s.runAsGroup ?? ids.group;
  const container: V1Container = {
    name: spec.engine === 'nim' ? 'nim' : 'model-server',
    image: spec.image ?? undefined,
    ...(spec.args.length > 0 ? { args: [...spec.args] } : {}),
    ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
    env: [
      ...Object.keys(env)
        .sort()
        .map((key): V1EnvVar => ({ name: key, value: env[key] })),
      { name: 'NGC_API_KEY', valueFrom: { secretKeyRef: { name: options.ngcSecretName, key: 'NGC_API_KEY' } } },
    ],
    resources: resources(k8s.resources, spec.gpu),
    volumeMounts: mounts,
    startupProbe: {
      httpGet: { path: spec.readinessPath, port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: Math.max(1, Math.ceil(graceSeconds / 10)),
    },
    readinessProbe: {
      httpGet: { path: spec.readinessPath, port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: spec.livenessPath, port: 'http' },
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
  };

  let deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata('deployment'),
    spec: {
      replicas: k8s.replicas ?? 1,
      selector: { matchLabels: selector },
      strategy: options.surge
        ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...labels }, annotations: { ...annotations } },
        spec: {
          ...(initContainers.length > 0 ? { initContainers } : {}),
          containers: [container],
          volumes,
          securityContext: { runAsUser: user, runAsGroup: group, fsGroup: group },
          // An empty list is left out: the server drops it, and applying it would then write on every apply.
          ...pullSecrets(k8s.imagePullSecrets ?? options.imagePullSecrets),
          ...(k8s.tolerations?.length ? { tolerations: k8s.tolerations as V1Toleration[] } : {}),
          ...affinityOf(k8s),
          terminationGracePeriodSeconds: 60,
        },
      },
    },
  };
  if (k8s.override && Object.keys(k8s.override).length > 0) {
    const problem = overrideProblem(k8s.override);
    if (problem) throw new OverrideError(problem);
    deployment = deepMerge(deployment, k8s.override) as V1Deployment;
  }

  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata('service'),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return { name, deployment, service, persistentVolumeClaim: pvc };
}

function pullSecrets(names: string[]): { imagePullSecrets?: { name: string }[] } {
  return names.length > 0 ? { imagePullSecrets: names.map((name) => ({ name })) } : {};
}

/** The config's resources, with `nvidia.com/gpu` in requests and limits set from the GPU count. */
function resources(configured: Record<string, unknown> | undefined, gpu: number): V1ResourceRequirements {
  const base = (configured ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
  const out: V1ResourceRequirements = {};
  const requests = { ...(base.requests ?? {}) };
  const limits = { ...(base.limits ?? {}) };
  if (gpu > 0) {
    requests['nvidia.com/gpu'] = String(gpu);
    limits['nvidia.com/gpu'] = String(gpu);
  }
  if (Object.keys(requests).length > 0) out.requests = sortKeys(requests);
  if (Object.keys(limits).length > 0) out.limits = sortKeys(limits);
  return out;
}

/** `node_selector` as a required node affinity (the reference's `In` terms), merged with the config's affinity. */
function affinityOf(k8s: KubernetesPlacement): { affinity?: V1Affinity } {
  const selector = k8s.nodeSelector ?? {};
  const keys = Object.keys(selector).sort();
  let affinity = (k8s.affinity ?? undefined) as V1Affinity | undefined;
  if (keys.length > 0) {
    const required: V1Affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: keys.map((key) => ({ key, operator: 'In', values: [selector[key]] })) },
          ],
        },
      },
    };
    affinity = affinity ? (deepMerge(affinity, required) as V1Affinity) : required;
  }
  return affinity ? { affinity } : {};
}

/**
 * Why an override cannot be applied, or null: it may change anything but
 * what says whose the object is (identity labels, the selector), since the
 * runtime finds and deletes its objects by them.
 */
export function overrideProblem(override: Record<string, unknown>): string | null {
  const at = (path: string[]): unknown =>
    path.reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      override,
    );
  if (at(['spec', 'selector']) !== undefined) return 'override_config may not change spec.selector';
  for (const path of [
    ['metadata', 'labels'],
    ['spec', 'template', 'metadata', 'labels'],
  ]) {
    const labels = at(path);
    if (labels && typeof labels === 'object') {
      for (const key of IDENTITY_LABELS) {
        if (key in (labels as Record<string, unknown>))
          return `override_config may not change ${path.join('.')}.${key}`;
      }
    }
  }
  for (const field of ['name', 'namespace']) {
    if (at(['metadata', field]) !== undefined) return `override_config may not change metadata.${field}`;
  }
  return null;
}

/**
 * Objects merge key by key; anything else (arrays included) replaces. An
 * override of a container list replaces the list: name the whole container.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = key in out ? deepMerge(out[key], value) : structuredClone(value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}
