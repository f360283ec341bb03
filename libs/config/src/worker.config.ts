import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AccessConfig } from './access.config.js';
import { toBool } from './env.js';

const MINUTE = 60_000;

/**
 * The worker: runtime, lifecycle timeouts and queue settings. Access settings too: its `/metrics` takes
 * the same API keys (and OIDC tokens) as the API's.
 */
export class WorkerConfig extends AccessConfig {
  /** Reconcile jobs processed at once. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY: number = 32;

  /** How often every deployment that is not terminal is re-enqueued (the safety net). */
  @IsInt()
  @Min(1000)
  RESYNC_INTERVAL_MS: number = 30_000;

  /** How soon a deployment that is changing (starting, deleting) is looked at again. */
  @IsInt()
  @Min(50)
  POLL_INTERVAL_MS: number = 1000;

  /**
   * How soon a version waiting on its instance (starting, waiting for capacity) is looked at
   * again when nothing happens: the runtime reports every change of the instance at once, so
   * this is only the net under a lost report. Timeouts are checked when they fall due.
   */
  @IsInt()
  @Min(50)
  WAITING_RECHECK_MS: number = 10_000;

  /**
   * Progress while waiting: a PENDING version's message says what its instance waits on and for how
   * long (`Pulling image …, 3m12s`); the clock in it is rewritten at most this often, without a
   * status history entry (a new phase of the start gets one at once).
   */
  @IsInt()
  @Min(100)
  PROGRESS_INTERVAL_MS: number = 5000;

  /** A version not READY this long after its instance started is FAILED (health_timeout). */
  @IsInt()
  @Min(1000)
  HEALTH_TIMEOUT_MS: number = 20 * MINUTE;

  /** A version whose instance cannot even start (no capacity, no image) this long is FAILED (pending_timeout). */
  @IsInt()
  @Min(1000)
  PENDING_TIMEOUT_MS: number = 30 * MINUTE;

  /**
   * Rollouts on GPUs that fit one copy only: a new version that has waited this long for capacity the
   * serving version holds gets it: the serving version is stopped (a short outage instead of a rollout
   * that never finishes). 0 = never (the new version fails after PENDING_TIMEOUT_MS, the old keeps serving).
   */
  @IsInt()
  @Min(0)
  ROLLOUT_MAKE_ROOM_AFTER_MS: number = 2 * MINUTE;

  /**
   * How long a deployment deleted as a whole (every version DELETED) stays readable as DELETED before its
   * records are removed, its versions and status history kept in the audit log (`deployment.removed`).
   * 0 = at once, as NeMo: its SDK waits for DELETED by waiting for a 404. Longer ones are removed by the
   * sweep that runs every RESYNC_INTERVAL_MS. Retired versions of a live deployment always stay.
   */
  @IsInt()
  @Min(0)
  @Max(365 * 24 * 3600)
  DELETED_DEPLOYMENT_RETENTION_SECONDS: number = 0;

  /** Restarts after which an instance that keeps exiting is FAILED (crash_loop). */
  @IsInt()
  @Min(1)
  @Max(100)
  CRASH_LOOP_RESTARTS: number = 3;

  /** Recreations of a READY version's vanished instance before it is FAILED (drift). */
  @IsInt()
  @Min(0)
  @Max(100)
  DRIFT_MAX_ATTEMPTS: number = 5;

  /** Deadline of one `/v1/models` discovery exchange, from connecting to the last byte of the answer. */
  @IsInt()
  @Min(100)
  DISCOVERY_TIMEOUT_MS: number = 10_000;

  /** Largest `/v1/models` answer read, in bytes; a larger one is cut off and the provider is ERROR. */
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  DISCOVERY_MAX_BYTES: number = 4 * 1024 * 1024;

  /** Providers registered by hand checked at once; a slow one holds one slot, never the others' turns. */
  @IsInt()
  @Min(1)
  @Max(256)
  DISCOVERY_CONCURRENCY: number = 8;

  /** How often manually registered providers are checked. */
  @IsInt()
  @Min(1000)
  PROVIDER_DISCOVERY_INTERVAL_MS: number = 60_000;

  /**
   * Kubernetes runtime: the kubeconfig file to use. Unset: in a pod, its ServiceAccount; outside,
   * `$KUBECONFIG` or `~/.kube/config` (the usual client order).
   */
  @IsOptional()
  @IsString()
  KUBERNETES_KUBECONFIG?: string;

  /** Kubernetes runtime: the namespace NIMs run in. Unset: the worker's own namespace in a pod, else `default`. */
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'KUBERNETES_NAMESPACE must be a namespace name' })
  KUBERNETES_NAMESPACE?: string;

  /** Kubernetes runtime: the Secret (key `NGC_API_KEY`) NIM pods read their NGC key from; referenced, never read. */
  @Matches(/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/, { message: 'KUBERNETES_NGC_SECRET must be a Secret name' })
  KUBERNETES_NGC_SECRET: string = 'ngc-api';

  /** Kubernetes runtime: image pull secrets (comma-separated) for configs that name none, e.g. `ngc-registry`. */
  @Matches(/^([a-z0-9][-.a-z0-9]*[a-z0-9]?)?(,[a-z0-9][-.a-z0-9]*[a-z0-9]?)*$/, {
    message: 'KUBERNETES_IMAGE_PULL_SECRETS must be comma-separated Secret names',
  })
  KUBERNETES_IMAGE_PULL_SECRETS: string = '';

  /**
   * Kubernetes runtime: how the control plane reaches a ready NIM. Placeholders `{service}`,
   * `{namespace}`, `{port}`, `{podIP}`. The default is the Service's cluster DNS name (the worker and
   * gateway run in the cluster); from outside, e.g. `http://{podIP}:{port}` where pod IPs are routed,
   * or an ingress per NIM such as `https://{service}.nims.example.com`.
   */
  @Matches(/^https?:\/\/\S+$/, { message: 'KUBERNETES_ENDPOINT_TEMPLATE must be an http(s) URL template' })
  KUBERNETES_ENDPOINT_TEMPLATE: string = 'http://{service}.{namespace}.svc.cluster.local:{port}';

  /**
   * Kubernetes runtime: may a rolling update start a new pod before the old one stops? `auto`: only
   * for instances without GPUs (a second GPU copy may not fit, and the update would wait for ever).
   */
  @IsIn(['auto', 'always', 'never'])
  KUBERNETES_SURGE: 'auto' | 'always' | 'never' = 'auto';

  /** Kubernetes runtime: the model cache (`disk_size`) as a PersistentVolumeClaim, or an emptyDir (no storage class needed). */
  @IsIn(['pvc', 'empty-dir'])
  KUBERNETES_MODEL_CACHE: 'pvc' | 'empty-dir' = 'pvc';

  /** Kubernetes runtime: how long an image pull or container configuration error may last before the version is FAILED. */
  @IsInt()
  @Min(0)
  KUBERNETES_START_ERROR_GRACE_MS: number = 3 * MINUTE;

  /** Kubernetes runtime: how often the watched objects are listed afresh and checked for drift (the safety net under the watches). */
  @IsInt()
  @Min(10_000)
  KUBERNETES_RESYNC_MS: number = 5 * MINUTE;

  /** Local runtime: where instance records and logs live. */
  @IsString()
  LOCAL_RUNTIME_STATE_DIR: string = '.modelplane/local-runtime';

  /** Local runtime: the command to run per instance (default: the NIM simulator). Placeholders {port} {model} {instanceId}. */
  @IsOptional()
  @IsString()
  LOCAL_RUNTIME_COMMAND?: string;

  /** Local runtime: first wait before restarting an instance that exited (doubles up to a minute, as kubelet does). */
  @IsInt()
  @Min(10)
  LOCAL_RUNTIME_RESTART_BACKOFF_MS: number = 1000;

  /**
   * Local runtime: niceness of the instances (0 to 19, also applied to their autogroup). The
   * default, 19, lets the API and the worker stay responsive however many servers start on the
   * same machine; 0 runs them at the worker's priority.
   */
  @IsInt()
  @Min(0)
  @Max(19)
  LOCAL_RUNTIME_NICE: number = 19;

  /**
   * Local runtime, when the worker runs as root: the unprivileged user the instances run as (created
   * with useradd when missing), so they cannot read the worker's environment or memory.
   */
  @Matches(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'LOCAL_RUNTIME_USER must be a user name' })
  LOCAL_RUNTIME_USER: string = 'modelplane-instance';

  /**
   * Local runtime: stop every instance when the worker stops (`npm start` sets it, so Ctrl-C leaves nothing
   * running; their deployments start them again at the next start). Off: instances outlive the worker and
   * the next worker adopts them.
   */
  @Transform(toBool)
  @IsBoolean()
  LOCAL_RUNTIME_STOP_INSTANCES_ON_EXIT: boolean = false;

  /** Local runtime: virtual GPUs to schedule against (0 = unlimited). */
  @IsInt()
  @Min(0)
  LOCAL_RUNTIME_GPUS: number = 0;

  /**
   * Health endpoints for probes (`GET /health/live`, `GET /health/ready`) on this port; 0 turns them off.
   * Several workers on one machine (tests, benchmarks) need distinct ports or 0.
   */
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_HEALTH_PORT: number = 8082;

  /**
   * Address the health endpoints listen on. All interfaces, like the API's `HOST` and `GATEWAY_HOST`:
   * Kubernetes probes connect to the pod's IP, and the answers name only which dependency is down.
   */
  @IsString()
  WORKER_HEALTH_HOST: string = '0.0.0.0';
}
