/**
 * The runtime interface: how the control plane runs model servers. Two
 * implementations: local processes (development, CI rehearsals) and
 * Kubernetes (production). The reconciler only ever sees this interface.
 *
 * Contract:
 * - `apply` is idempotent: applying the same spec again changes nothing;
 *   applying a spec with a different `specHash` under the same instance id
 *   replaces the instance.
 * - `observe` never throws for a missing instance: it answers `missing`.
 * - `delete` is idempotent and returns once the instance is gone (or going
 *   in a way that cannot come back).
 * - `list` returns every instance this control plane owns, so orphans can be
 *   found after a crash.
 * - Readiness is the runtime's to judge (a readiness probe on `healthPath`),
 *   as a kubelet does for a pod.
 * - `watch` pushes a hint whenever an owned instance changes (started,
 *   became ready, stopped being ready, exited), so the consumer looks again
 *   at once instead of at its next poll. Hints carry no decisions: the
 *   consumer is level-triggered and reads the state with `observe`.
 */
export interface InstanceSpec {
  /** Stable and unique: one instance per deployment version (see instanceIdOf). */
  instanceId: string;
  workspace: string;
  deployment: string;
  version: number;
  engine: 'nim' | 'vllm' | 'generic';
  /** Container image (`name:tag`), used by container runtimes. */
  image: string | null;
  gpu: number;
  /** The compiled environment (NIM_* and the config's additional envs). */
  env: Record<string, string>;
  args: string[];
  /** Readiness path, e.g. `/v1/health/ready`. */
  readinessPath: string;
  /** Liveness path, e.g. `/v1/health/live`. */
  livenessPath: string;
  /** Where and how a container runtime places it (the local runtime ignores this); absent when the config says nothing. */
  kubernetes?: KubernetesPlacement;
  /** Hash of what shapes the server process (all of the above but `kubernetes`); a change means "replace". */
  specHash: string;
}

/** The config's Kubernetes settings (executor_config and its k8s_nim_operator_config), as the NIM compiler takes them. */
export interface KubernetesPlacement {
  replicas?: number;
  resources?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  affinity?: Record<string, unknown>;
  /** Size of the memory-backed /dev/shm. */
  shmSize?: string;
  imagePullSecrets?: string[];
  /** Model cache volume size (a PersistentVolumeClaim mounted at the NIM cache path) and its storage class. */
  diskSize?: string;
  storageClass?: string;
  startupGraceSeconds?: number;
  runAsUser?: number;
  runAsGroup?: number;
  /** Deep-merged into the compiled Deployment last; may not change identity labels. */
  override?: Record<string, unknown>;
}

export type InstancePhase =
  /** Accepted but not started (waiting for capacity, pulling an image). */
  | 'pending'
  /** Process or container running, readiness not yet passed. */
  | 'starting'
  /** Readiness passed; `endpoint` serves. */
  | 'ready'
  /** Stopped and will not come back by itself (see `reason`). */
  | 'failed'
  /** Being removed. */
  | 'terminating'
  /** No such instance. */
  | 'missing';

/** Why an instance is not (or no longer) well. Stable codes the planner maps to deployment reasons. */
export type InstanceReason =
  'insufficient_capacity' | 'image_pull' | 'start_failed' | 'exited' | 'crash_loop' | 'oom_killed' | 'unhealthy';

export interface InstanceObservation {
  instanceId: string;
  phase: InstancePhase;
  reason?: InstanceReason;
  /** Human-readable detail from the runtime (scheduler message, exit code). */
  message: string;
  /** Base URL of the server, e.g. `http://127.0.0.1:41234`, once it is running. */
  endpoint?: string;
  /** Restarts since the instance was created. */
  restarts: number;
  /** When the current process or container started. */
  startedAt?: Date;
  /** When readiness first passed for the current process or container. */
  readySince?: Date;
  /** The specHash the instance runs. */
  specHash?: string;
  /** The last lines the server printed (stdout and stderr), oldest first. */
  logTail: string[];
  /** Identity labels, as given in the spec. */
  workspace?: string;
  deployment?: string;
  version?: number;
  /** What a not yet ready instance is waiting on, and since when (absent when the runtime cannot tell). */
  progress?: InstanceProgress;
}

/**
 * Steps of a start, as the runtime sees them: Kubernetes from the pod's Events and status
 * (scheduling, image pull, volume mounts, container start, readiness), the local runtime from
 * the process's output.
 */
export type ProgressPhase =
  | 'unschedulable'
  | 'scheduled'
  | 'mounting'
  | 'pulling'
  | 'creating'
  | 'backoff'
  | 'readiness'
  /** A local process that runs and is not ready yet; `detail` is its last output line. */
  | 'starting';

export interface InstanceProgress {
  phase: ProgressPhase;
  /** What it waits on, one line: an image, a scheduler message, the last output line. */
  detail: string;
  /** When this phase began. */
  since: Date;
}

/** What changed, as a hint; `observe` tells the state. */
export type InstanceChange = 'started' | 'ready' | 'unready' | 'exited';

export interface InstanceEvent {
  instanceId: string;
  change: InstanceChange;
  /** Identity labels of the instance. */
  workspace: string;
  deployment: string;
  version: number;
}

export type InstanceListener = (event: InstanceEvent) => void;

export interface Runtime {
  readonly kind: 'local' | 'kubernetes';
  apply(spec: InstanceSpec): Promise<InstanceObservation>;
  observe(instanceId: string): Promise<InstanceObservation>;
  delete(instanceId: string): Promise<void>;
  list(): Promise<InstanceObservation[]>;
  /** Calls `listener` on every change of an owned instance; returns the unsubscribe function. */
  watch(listener: InstanceListener): () => void;
  /** Resolves when the runtime can be driven (readiness): a cheap call to the cluster; always, locally. */
  ping(): Promise<void>;
  /** Stops background work; instances keep running. */
  close(): Promise<void>;
}

/**
 * `{workspace}.{deployment}.v{version}`, one per deployment version. Names
 * may hold dots, so a workspace's dots are written `~`, which no name holds:
 * `a.b`/`c` and `a`/`b.c` stay two instances. What names may hold besides
 * (`@`, `+`, `_`, `-`) is safe in a file name, an environment value and a
 * Kubernetes annotation, where instance ids go.
 */
export function instanceIdOf(workspace: string, deployment: string, version: number): string {
  return `${workspace.replaceAll('.', '~')}.${deployment}.v${version}`;
}

export function missing(instanceId: string): InstanceObservation {
  return { instanceId, phase: 'missing', message: 'No such instance', restarts: 0, logTail: [] };
}
