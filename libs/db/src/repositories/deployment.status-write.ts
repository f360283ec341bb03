import type pg from 'pg';
import {
  assertTransition,
  ConcurrentModificationError,
  MAX_STATUS_HISTORY,
  NotFoundError,
  type DeploymentStatus,
} from '#domain';
import type { PrismaService, Tx } from '../prisma.service.js';
import { reloadVersion } from './deployment.reads.js';
import type { DeploymentWithHistory, StatusRow, StatusWrite } from './deployment.types.js';

/**
 * DeploymentRepository's status writes: the API's (locked, in a transaction)
 * and the workers' (one compare-and-set statement). Both go through the
 * transition table and the same no-op rule (statusChange).
 */

/**
 * Writes a status through the transition table. The version row is locked
 * for the read-check-write, so concurrent writers queue instead of losing
 * an update. Writing the status and message already stored changes nothing.
 */
export function setStatus(
  prisma: PrismaService,
  workspace: string,
  name: string,
  version: number | undefined,
  write: StatusWrite,
): Promise<DeploymentWithHistory> {
  return prisma.$transaction(async (tx) => {
    const current = await lockVersion(tx, workspace, name, version);
    const revision = await applyStatus(tx, current, write);
    if (write.actor !== undefined && revision !== current.revision) {
      await tx.deployment.updateMany({ where: { workspace, name }, data: { updatedBy: write.actor } });
    }
    return reloadVersion(tx, current.id);
  });
}

/**
 * The same for the workers, from the row they read: one statement that
 * compare-and-sets the revision, appends the history entry and trims the
 * history (no lock, no transaction round trips). The transition and the
 * no-op check are made against `current`, which is what the row still is
 * when its revision matches. Returns the new revision; a row that moved on
 * (or is gone) is a ConcurrentModificationError, and the caller reads again.
 */
export async function setStatusFrom(
  pool: pg.Pool,
  current: StatusRow,
  write: StatusWrite & { expectedRevision: number },
): Promise<number> {
  if (write.expectedRevision !== current.revision) throw new ConcurrentModificationError();
  const change = statusChange(
    {
      status: current.status as DeploymentStatus,
      status_message: current.statusMessage,
      status_reason: current.statusReason,
      model_provider_id: current.modelProviderId,
      endpoint: current.endpoint,
      recovery_attempts: current.recoveryAttempts,
    },
    write,
  );
  if (change === null) return current.revision;
  const { rowCount } = await pool.query(
    `WITH moved AS (
       UPDATE deployment_versions SET status = $3::"DeploymentStatus", status_message = $4, status_reason = $5,
         status_changed_at = CASE WHEN $6 THEN now() ELSE status_changed_at END,
         model_provider_id = CASE WHEN $7 THEN $8 ELSE model_provider_id END,
         endpoint = CASE WHEN $9 THEN $10 ELSE endpoint END,
         recovery_attempts = coalesce($11, recovery_attempts),
         revision = revision + 1, updated_at = now()
       WHERE id = $1 AND revision = $2
       RETURNING id
     ), entry AS (
       INSERT INTO deployment_status_events (deployment_version_id, status, status_message)
       SELECT id, $3::"DeploymentStatus", $4 FROM moved WHERE $12
     ), trimmed AS (
       DELETE FROM deployment_status_events WHERE $12 AND deployment_version_id = $1 AND EXISTS (SELECT 1 FROM moved)
         AND id <= (SELECT id FROM deployment_status_events WHERE deployment_version_id = $1
                    ORDER BY id DESC OFFSET ${MAX_STATUS_HISTORY - 1} LIMIT 1)
     ), rewritten AS (
       UPDATE deployment_status_events SET status_message = $4 WHERE $13 AND EXISTS (SELECT 1 FROM moved)
         AND id = (SELECT max(id) FROM deployment_status_events WHERE deployment_version_id = $1)
     )
     SELECT id FROM moved`,
    [
      current.id,
      current.revision,
      write.status,
      write.statusMessage,
      change.reason,
      change.statusChanged,
      write.modelProviderId !== undefined,
      write.modelProviderId ?? null,
      write.endpoint !== undefined,
      write.endpoint ?? null,
      write.recoveryAttempts ?? null,
      change.historyEntry,
      change.rewriteEntry,
    ],
  );
  if (rowCount === 0) throw new ConcurrentModificationError();
  return current.revision + 1;
}

interface LockedVersion {
  id: string;
  status: DeploymentStatus;
  status_message: string;
  status_reason: string | null;
  model_provider_id: string | null;
  endpoint: string | null;
  recovery_attempts: number;
  revision: number;
  is_latest: boolean;
}

/**
 * Writes a status to a locked version row through the transition table.
 * Writing what is already stored changes nothing (no history entry, same
 * revision). History gets an entry when the status or the message changes.
 */
async function applyStatus(tx: Tx, current: LockedVersion, write: StatusWrite): Promise<number> {
  if (write.expectedRevision !== undefined && write.expectedRevision !== current.revision) {
    throw new ConcurrentModificationError();
  }
  const change = statusChange(current, write);
  if (change === null) return current.revision;
  await tx.deploymentVersion.update({
    where: { id: current.id },
    data: {
      status: write.status,
      statusMessage: write.statusMessage,
      statusReason: change.reason,
      ...(change.statusChanged ? { statusChangedAt: new Date() } : {}),
      ...(write.modelProviderId !== undefined ? { modelProviderId: write.modelProviderId } : {}),
      ...(write.endpoint !== undefined ? { endpoint: write.endpoint } : {}),
      ...(write.recoveryAttempts !== undefined ? { recoveryAttempts: write.recoveryAttempts } : {}),
      ...(write.actor !== undefined ? { updatedBy: write.actor } : {}),
      revision: { increment: 1 },
    },
  });
  if (change.historyEntry) await appendHistory(tx, current.id, write.status, write.statusMessage);
  if (change.rewriteEntry) await rewriteNewestEntry(tx, current.id, write.statusMessage);
  return current.revision + 1;
}

/** The fields of a version a status write compares against. */
type StoredStatus = Pick<
  LockedVersion,
  'status' | 'status_message' | 'status_reason' | 'model_provider_id' | 'endpoint' | 'recovery_attempts'
>;

/**
 * What a status write changes, through the transition table; null when it
 * writes what is already stored (no history entry, same revision). History
 * gets an entry when the status or the message changes; with `history: false`
 * a new message alone rewrites the newest entry instead, so the history still
 * ends with the current status and message (and announces nothing: only an
 * insert notifies).
 */
function statusChange(
  current: StoredStatus,
  write: StatusWrite,
): { statusChanged: boolean; reason: string | null; historyEntry: boolean; rewriteEntry: boolean } | null {
  const statusChanged = current.status !== write.status;
  const reason = write.reason !== undefined ? write.reason : statusChanged ? null : current.status_reason;
  const changed = (key: 'modelProviderId' | 'endpoint' | 'recoveryAttempts', stored: unknown) =>
    write[key] !== undefined && write[key] !== stored;
  if (
    !statusChanged &&
    current.status_message === write.statusMessage &&
    reason === current.status_reason &&
    !changed('modelProviderId', current.model_provider_id) &&
    !changed('endpoint', current.endpoint) &&
    !changed('recoveryAttempts', current.recovery_attempts)
  ) {
    return null;
  }
  assertTransition(current.status, write.status);
  const newMessage = current.status_message !== write.statusMessage;
  const historyEntry = statusChanged || (newMessage && write.history !== false);
  return { statusChanged, reason, historyEntry, rewriteEntry: !historyEntry && newMessage };
}

/** Locks a version row (the latest when `version` is undefined) for a read-check-write; NotFoundError if none. */
export async function lockVersion(
  tx: Tx,
  workspace: string,
  name: string,
  version: number | undefined,
): Promise<LockedVersion> {
  const rows =
    version === undefined
      ? await tx.$queryRaw<
          LockedVersion[]
        >`SELECT id, status::text AS status, status_message, status_reason, model_provider_id, endpoint, recovery_attempts,
                 revision, is_latest
          FROM deployment_versions WHERE workspace = ${workspace} AND name = ${name} AND is_latest FOR UPDATE`
      : await tx.$queryRaw<
          LockedVersion[]
        >`SELECT id, status::text AS status, status_message, status_reason, model_provider_id, endpoint, recovery_attempts,
                 revision, is_latest
          FROM deployment_versions WHERE workspace = ${workspace} AND name = ${name} AND version = ${version} FOR UPDATE`;
  if (!rows[0]) {
    throw new NotFoundError(
      'deployment',
      name,
      version === undefined ? ` in workspace '${workspace}'` : ` version ${version} in workspace '${workspace}'`,
    );
  }
  return rows[0];
}

/** A message-only write (`history: false`): the newest entry takes the new message. */
async function rewriteNewestEntry(tx: Tx, id: string, statusMessage: string): Promise<void> {
  await tx.$executeRaw`UPDATE deployment_status_events SET status_message = ${statusMessage}
    WHERE id = (SELECT max(id) FROM deployment_status_events WHERE deployment_version_id = ${id})`;
}

/** Appends a history entry and keeps only the newest MAX_STATUS_HISTORY. */
export async function appendHistory(
  tx: Tx,
  id: string,
  status: DeploymentStatus,
  statusMessage: string,
): Promise<void> {
  await tx.deploymentStatusEvent.create({ data: { deploymentVersionId: id, status, statusMessage } });
  await tx.$executeRaw`DELETE FROM deployment_status_events
    WHERE deployment_version_id = ${id} AND id <= (
      SELECT id FROM deployment_status_events WHERE deployment_version_id = ${id}
      ORDER BY id DESC OFFSET ${MAX_STATUS_HISTORY} LIMIT 1)`;
}
