import type { DeploymentStatus } from '#domain';
import type {
  DeploymentConfigVersion,
  DeploymentStatusEvent,
  DeploymentVersion,
  Prisma,
} from '../generated/prisma/client.js';

/** The shapes DeploymentRepository takes and returns, shared by its modules. */

export type HistoryEntry = Pick<DeploymentStatusEvent, 'at' | 'status' | 'statusMessage'>;
export type WithHistory = {
  history: HistoryEntry[];
  /** The deployment's newest READY version (the one its provider routes to), or null. */
  servingVersion: number | null;
};
export type DeploymentWithHistory = DeploymentVersion & WithHistory;

export interface ConfigRef {
  name: string;
  /** A specific version, or undefined for the latest. */
  version?: number;
}

export interface StatusWrite {
  status: DeploymentStatus;
  statusMessage: string;
  /** Machine-readable cause; omitted keeps the stored one unless the status changes (then it is cleared). */
  reason?: string | null;
  modelProviderId?: string | null;
  endpoint?: string | null;
  recoveryAttempts?: number;
  /**
   * `false`: a new message alone rewrites the current one and the newest history entry instead of
   * adding one (progress while waiting: `Pulling image …, 3m12s` every few seconds). A status
   * change always gets an entry.
   */
  history?: boolean;
  /** Compare-and-set: fail with 409 unless the row is still at this revision. */
  expectedRevision?: number;
  /** Who wrote it through the API (the version's updated_by); the workers' own writes leave that alone. */
  actor?: string;
}

/** Who writes a new version: its created_by, and the AuthContext the deployment records. */
export interface DeploymentAuthor {
  actor: string;
  authContext: Prisma.InputJsonValue;
}

export type DeleteOutcome = 'marked' | 'deleted';

/** What setStatusFrom compares a write against: the row as the worker read it. */
export type StatusRow = Pick<
  DeploymentVersion,
  'id' | 'status' | 'statusMessage' | 'statusReason' | 'modelProviderId' | 'endpoint' | 'recoveryAttempts' | 'revision'
>;

/** A version as the reconciler needs it: its row and the config it runs. */
export type ReconcileVersion = DeploymentVersion & {
  config: Pick<DeploymentConfigVersion, 'engine' | 'modelEntityId' | 'modelSpec' | 'executorConfig'> | null;
};
