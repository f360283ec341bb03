import type { DeploymentStatus } from '#domain';
import type { InstanceSpec } from '#runtime';

/** The reconcile planner's inputs and outputs (see deployment.planner.ts). */
export interface VersionView {
  id: string;
  version: number;
  isLatest: boolean;
  status: DeploymentStatus;
  statusMessage: string;
  statusReason: string | null;
  statusChangedAt: Date;
  revision: number;
  recoveryAttempts: number;
  endpoint: string | null;
  /** When the status message was last written (progress ticks are spaced by PlanSettings.progressIntervalMs). */
  messageAt: Date;
  /** Null only for versions whose config version was deleted (they are DELETED). */
  spec: InstanceSpec | null;
}

export interface PlanSettings {
  healthTimeoutMs: number;
  pendingTimeoutMs: number;
  crashLoopRestarts: number;
  driftMaxAttempts: number;
  pollIntervalMs: number;
  /**
   * Re-check of a version that waits on its instance (starting, waiting for
   * capacity): the runtime's change events wake the deployment when the
   * instance moves, so this is only the net under a lost event. Never later
   * than the next timeout, never sooner than `pollIntervalMs`.
   */
  waitingRecheckMs: number;
  /**
   * A rollout on GPUs that fit one copy only: once the new version has waited
   * this long for capacity (insufficient_capacity) that the serving version
   * holds, the serving version is stopped to make room (a short outage
   * instead of a rollout that can never finish). 0: never; the new version
   * fails after the pending timeout and the old keeps serving.
   */
  makeRoomAfterMs?: number;
  /**
   * How long a deployment whose every version is DELETED stays readable before its records are removed
   * (its history goes to the audit log). 0: at once, as NeMo, whose SDK waits for DELETED by waiting for
   * a 404. Undefined: never by the planner (the workers' sweep still removes it).
   */
  deletedRetentionMs?: number;
  /**
   * Progress while waiting (`Pulling image …, 3m12s`): the message of a version that waits in the same
   * phase is rewritten at most this often, without a history entry. Default 5000.
   */
  progressIntervalMs?: number;
}

export interface StatusChange {
  status: DeploymentStatus;
  statusMessage: string;
  reason?: string | null;
  recoveryAttempts?: number;
  endpoint?: string | null;
  /** false: a progress tick, which rewrites the message without a history entry (see StatusWrite.history). */
  history?: boolean;
}

export type Step =
  | { kind: 'apply'; spec: InstanceSpec }
  | { kind: 'delete'; instanceId: string }
  | { kind: 'status'; versionId: string; revision: number; change: StatusChange }
  /** The instance is ready: read its models, publish the provider, then mark the version READY. */
  | { kind: 'discover'; versionId: string; revision: number; version: number; endpoint: string }
  /** Point the deployment's provider at the serving version (or mark it unavailable when none serves). */
  | { kind: 'route'; serving: { version: number; endpoint: string } | null }
  | { kind: 'removeProvider' }
  /** Every version is DELETED and the retention ran out: remove the records (they go to the audit log). */
  | { kind: 'removeDeployment' };

export interface Plan {
  steps: Step[];
  /** Look again after this long (ms), or null when the deployment is settled. */
  recheckInMs: number | null;
}

export const FAILURE_REASONS = {
  startFailed: 'start_failed',
  crashLoop: 'crash_loop',
  healthTimeout: 'health_timeout',
  pendingTimeout: 'pending_timeout',
  drift: 'drift',
} as const;

/** The reason of a serving version stopped to free its GPUs for the latest (see PlanSettings.makeRoomAfterMs). */
export const MAKE_ROOM_REASON = 'make_room';
