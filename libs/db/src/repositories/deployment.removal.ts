import type pg from 'pg';
import type { DeploymentStatus } from '#domain';
import type { PrismaService, Tx } from '../prisma.service.js';
import { WITH_HISTORY } from './deployment.reads.js';
import type { DeploymentWithHistory, HistoryEntry } from './deployment.types.js';
import { lockHead } from './versioning.js';

/**
 * Removing a deployment's records once it is DELETED, as NeMo does (its SDK waits for DELETED by waiting
 * for a 404). Only a deployment deleted as a whole goes: every version DELETED. The retired versions of a
 * live deployment are its rollout history and stay. The record is not lost: the same transaction appends
 * a `deployment.removed` audit event holding every version and its status history (no secrets: a
 * deployment holds none), and long-polls and event streams that outlive the row answer from it.
 */

export const DEPLOYMENT_REMOVED_ACTION = 'deployment.removed';

/** Why the records went: the retention after DELETED ran out, a DELETE of a DELETED deployment, or of its last DELETED version. */
export type RemovalCause = 'retention' | 'deleted_again' | 'last_version_deleted';

/** One version as the removal record keeps it: the API's field names, Modelplane's vocabulary (FAILED). */
export interface RemovedVersion {
  id: string;
  entity_version: number;
  project: string | null;
  config: string;
  config_version: number;
  status: DeploymentStatus;
  status_message: string;
  status_reason: string | null;
  status_changed_at: string;
  endpoint: string | null;
  model_provider_id: string | null;
  auth_context: unknown;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  status_history: { timestamp: string; status: DeploymentStatus; status_message: string }[];
}

/** The `details` of a `deployment.removed` audit event. */
export interface RemovalRecord {
  cause: RemovalCause;
  deployment: { id: string; created_at: string; created_by: string | null; updated_by: string | null };
  /** Newest first. */
  versions: RemovedVersion[];
}

/**
 * Removes a locked deployment head and everything under it, appending its record to the audit log and
 * telling the status channel (so event streams and long-polls look again and find the record).
 */
export async function removeLocked(tx: Tx, headId: string, actor: string, cause: RemovalCause): Promise<void> {
  const head = await tx.deployment.findUniqueOrThrow({ where: { id: headId } });
  const versions = await tx.deploymentVersion.findMany({
    where: { deploymentId: headId },
    include: WITH_HISTORY,
    orderBy: { version: 'desc' },
  });
  const record: RemovalRecord = {
    cause,
    deployment: {
      id: head.id,
      created_at: head.createdAt.toISOString(),
      created_by: head.createdBy,
      updated_by: head.updatedBy,
    },
    versions: versions.map((v) => ({
      id: v.id,
      entity_version: v.version,
      project: v.project,
      config: v.configName,
      config_version: v.configVersion,
      status: v.status as DeploymentStatus,
      status_message: v.statusMessage,
      status_reason: v.statusReason,
      status_changed_at: v.statusChangedAt.toISOString(),
      endpoint: v.endpoint,
      model_provider_id: v.modelProviderId,
      auth_context: v.authContext,
      created_at: v.createdAt.toISOString(),
      created_by: v.createdBy,
      updated_at: v.updatedAt.toISOString(),
      updated_by: v.updatedBy,
      status_history: v.history.map((h) => ({
        timestamp: h.at.toISOString(),
        status: h.status as DeploymentStatus,
        status_message: h.statusMessage,
      })),
    })),
  };
  const latest = versions[0];
  await tx.$executeRaw`INSERT INTO audit_events (principal, workspace, action, resource, version, outcome, details)
    VALUES (${actor}, ${head.workspace}, ${DEPLOYMENT_REMOVED_ACTION}, ${head.name}, ${latest?.version ?? null},
            'success'::"AuditOutcome", ${JSON.stringify(record)}::jsonb)`;
  await tx.deployment.delete({ where: { id: headId } });
  const wake = { workspace: head.workspace, name: head.name, version: latest?.version ?? 0, status: 'DELETED' };
  await tx.$executeRaw`SELECT pg_notify('deployment_status', ${JSON.stringify({ ...wake, status_message: 'Removed' })})`;
}

/**
 * Removes `workspace/name` if every version is DELETED and the last became so at least `retentionMs` ago
 * (by the database's clock). Under the head row's lock, so it is atomic against new versions and
 * deletes, and idempotent across workers: the second finds no row. True when this call removed it.
 */
export function removeIfSettled(
  prisma: PrismaService,
  workspace: string,
  name: string,
  retentionMs: number,
  actor: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const headId = await lockHead(tx, 'deployments', workspace, name, 'UPDATE');
    if (!headId) return false;
    const rows = await tx.$queryRaw<{ due: boolean | null }[]>`
      SELECT bool_and(status = 'DELETED') AND max(status_changed_at) <= now() - make_interval(secs => ${retentionMs / 1000})
        AS due
      FROM deployment_versions WHERE deployment_id = ${headId}`;
    if (!rows[0]?.due) return false;
    await removeLocked(tx, headId, actor, 'retention');
    return true;
  });
}

/** Deployments whose versions have all been DELETED for `retentionMs` or longer (what the sweep removes). */
export async function expiredDeleted(
  pool: pg.Pool,
  retentionMs: number,
  limit: number,
): Promise<{ workspace: string; name: string }[]> {
  const { rows } = await pool.query<{ workspace: string; name: string }>(
    // From the latest versions that are DELETED (indexed by status), not every deployment.
    `SELECT l.workspace, l.name FROM deployment_versions l
      WHERE l.is_latest AND l.status = 'DELETED'
        AND NOT EXISTS (SELECT 1 FROM deployment_versions v WHERE v.deployment_id = l.deployment_id AND v.status <> 'DELETED')
        AND (SELECT max(v.status_changed_at) FROM deployment_versions v WHERE v.deployment_id = l.deployment_id)
            <= now() - make_interval(secs => $1)
      LIMIT $2`,
    [retentionMs / 1000, limit],
  );
  return rows;
}

/** The latest version of a removed deployment as its removal record keeps it, or null if none was removed. */
export async function findRemoved(
  pool: pg.Pool,
  workspace: string,
  name: string,
): Promise<DeploymentWithHistory | null> {
  const { rows } = await pool.query<{ details: RemovalRecord | null }>(
    `SELECT details FROM audit_events WHERE workspace = $1 AND action = $2 AND resource = $3 ORDER BY id DESC LIMIT 1`,
    [workspace, DEPLOYMENT_REMOVED_ACTION, name],
  );
  const record = rows[0]?.details;
  const latest = record?.versions?.[0];
  return latest ? fromRecord(workspace, name, record.deployment.id, latest) : null;
}

/** A removed version back in the shape reads return, so the API presents it as it presented the row. */
function fromRecord(workspace: string, name: string, deploymentId: string, v: RemovedVersion): DeploymentWithHistory {
  const history: HistoryEntry[] = v.status_history.map((h) => ({
    at: new Date(h.timestamp),
    status: h.status,
    statusMessage: h.status_message,
  }));
  return {
    id: v.id,
    deploymentId,
    workspace,
    name,
    version: v.entity_version,
    isLatest: true,
    project: v.project,
    configVersionId: null,
    configName: v.config,
    configVersion: v.config_version,
    status: v.status,
    statusMessage: v.status_message,
    statusReason: v.status_reason,
    statusChangedAt: new Date(v.status_changed_at),
    recoveryAttempts: 0,
    endpoint: v.endpoint,
    modelProviderId: v.model_provider_id,
    modelEntitySpec: null,
    authContext: (v.auth_context ?? null) as DeploymentWithHistory['authContext'],
    revision: 0,
    createdAt: new Date(v.created_at),
    updatedAt: new Date(v.updated_at),
    createdBy: v.created_by,
    updatedBy: v.updated_by,
    history,
    servingVersion: null,
  };
}
