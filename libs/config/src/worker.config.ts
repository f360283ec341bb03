import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PlatformConfig } from './api.config.js';

const MINUTE = 60_000;

/** The worker: runtime, lifecycle timeouts and queue settings. */
export class WorkerConfig extends PlatformConfig {
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

  /** A version not READY this long after its instance started is FAILED (health_timeout). */
  @IsInt()
  @Min(1000)
  HEALTH_TIMEOUT_MS: number = 20 * MINUTE;

  /** A version whose instance cannot even start (no capacity, no image) this long is FAILED (pending_timeout). */
  @IsInt()
  @Min(1000)
  PENDING_TIMEOUT_MS: number = 30 * MINUTE;

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

  /** Timeout of one `/v1/models` discovery request. */
  @IsInt()
  @Min(100)
  DISCOVERY_TIMEOUT_MS: number = 10_000;

  /** How often manually registered providers are checked. */
  @IsInt()
  @Min(1000)
  PROVIDER_DISCOVERY_INTERVAL_MS: number = 60_000;

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

  /** Local runtime: virtual GPUs to schedule against (0 = unlimited). */
  @IsInt()
  @Min(0)
  LOCAL_RUNTIME_GPUS: number = 0;
}
