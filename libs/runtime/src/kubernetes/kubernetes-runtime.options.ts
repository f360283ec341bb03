import type { KubeConfig } from '@kubernetes/client-node';
import type { RuntimeLogger } from '../local/local-runtime.options.js';

export const DEFAULT_ENDPOINT_TEMPLATE = 'http://{service}.{namespace}.svc.cluster.local:{port}';

export interface KubernetesRuntimeOptions {
  kubeConfig: KubeConfig;
  /** Where the NIM objects live (one namespace; the worker's Role is namespaced). */
  namespace: string;
  /** The Secret holding NGC_API_KEY (referenced by name, never read). */
  ngcSecretName?: string;
  /** Image pull secrets for configs that name none. */
  imagePullSecrets?: string[];
  /**
   * The URL of a ready instance. Placeholders: `{service}`, `{namespace}`,
   * `{port}` (8000) and `{podIP}` (a ready pod's IP, for control planes
   * outside the cluster on a network that routes pod IPs). Default: the
   * Service's cluster DNS name.
   */
  endpointTemplate?: string;
  /**
   * Rolling updates within one version's Deployment: `auto` (default) lets a
   * new pod start before the old one stops only when it needs no GPU (a
   * second GPU copy may not fit, and the rollout would then wait forever);
   * `always` or `never` decide for every instance.
   */
  surge?: 'auto' | 'always' | 'never';
  /** The model cache: a PersistentVolumeClaim of `disk_size` (default), or an emptyDir (re-downloaded at each start). */
  modelCache?: 'pvc' | 'empty-dir';
  /** Restarts after which a container that keeps exiting is a crash loop. */
  crashLoopRestarts?: number;
  /** How long an image pull or container configuration error may last before the instance is FAILED (default 3 min). */
  startErrorGraceMs?: number;
  /** How often every cache is relisted and every instance checked for drift (default 5 min). */
  resyncMs?: number;
  /** Log lines read from a failing container (default 20). */
  logTailLines?: number;
  logger?: RuntimeLogger;
}

export type ResolvedKubernetesOptions = Required<Omit<KubernetesRuntimeOptions, 'logger'>>;

export function resolveOptions(options: KubernetesRuntimeOptions): ResolvedKubernetesOptions {
  return {
    ngcSecretName: 'ngc-api',
    imagePullSecrets: [],
    endpointTemplate: DEFAULT_ENDPOINT_TEMPLATE,
    surge: 'auto',
    modelCache: 'pvc',
    crashLoopRestarts: 3,
    startErrorGraceMs: 180_000,
    resyncMs: 300_000,
    logTailLines: 20,
    ...stripUndefined(options),
  } as ResolvedKubernetesOptions;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
