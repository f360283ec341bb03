import { Injectable } from '@nestjs/common';
import {
  AlreadyExistsError,
  assertTransition,
  ConcurrentModificationError,
  DeploymentBeingDeletedError,
  DeploymentConfigRefNotFoundError,
  MAX_STATUS_HISTORY,
  newId,
  NotFoundError,
  STATUS_MESSAGES,
  type DeploymentStatus,
} from '#domain';
import {
  Prisma,
  type DeploymentConfigVersion,
  type DeploymentStatusEvent,
  type DeploymentVersion,
} from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import { PrismaService, type Tx } from '../prisma.service.js';
import { DEPLOYMENT_VERSIONS, selectList } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';
import { lockHead, nextVersion } from './versioning.js';

export const DEPLOYMENT_SORTABLE = {
  name: 'name',
  created_at: 'created_at',
  updated_at: 'updated_at',
  status: 'status',
  entity_version: 'version',
};

export type HistoryEntry = Pick<DeploymentStatusEvent, 'at' | 'status' | 'statusMessage'>;
type WithHistory = {
  history: HistoryEntry[];
  /** The deployment's newest READY version (the one its provider routes to), or null. */
  servingVersion: number | null;
};
export type DeploymentWithHistory = DeploymentVersion & WithHistory;

/**
 * What every read of a version carries beyond its columns: its history,
 * oldest first, as one JSON column, and the version of the deployment that
 * serves (the newest READY one).
 */
const DETAIL_SELECT = `(SELECT coalesce(json_agg(json_build_object('at', e.at, 'status', e.status, 'statusMessage', e.status_message) ORDER BY e.id), '[]')
  FROM deployment_status_events e WHERE e.deployment_version_id = t.id) AS history,
  (SELECT max(s.version) FROM deployment_versions s WHERE s.deployment_id = t.deployment_id AND s.status = 'READY') AS "servingVersion"`;

/** JSON carries timestamps as text. */
function parseHistory(row: DeploymentWithHistory): DeploymentWithHistory {
  for (const entry of row.history) entry.at = new Date(entry.at);
  return row;
}

/** Prisma include for reads inside write transactions. */
const WITH_HISTORY = { history: { orderBy: { id: 'asc' } } } as const;

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

@Injectable()
export class DeploymentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Version 1 in CREATED with its first history entry. */
  create(
    workspace: string,
    name: string,
    project: string | null,
    config: ConfigRef,
    author: DeploymentAuthor,
  ): Promise<DeploymentWithHistory> {
    return mapWriteErrors(
      () =>
        this.prisma.$transaction(async (tx) => {
          const cfg = await resolveConfig(tx, workspace, config);
          const head = await tx.deployment.create({
            data: {
              id: newId('deployment'),
              workspace,
              name,
              latestVersion: 1,
              createdBy: author.actor,
              updatedBy: author.actor,
            },
          });
          return insertVersion(tx, {
            deploymentId: head.id,
            workspace,
            name,
            version: 1,
            project,
            config: cfg,
            status: 'CREATED',
            statusMessage: STATUS_MESSAGES.created,
            author,
          });
        }),
      {
        onDuplicate: () => new AlreadyExistsError('deployment', workspace, name),
        onMissingRef: () => new NotFoundError('workspace', workspace),
      },
    );
  }

  /** Version N+1 in PENDING; the previous versions keep their status (they serve until it is READY). */
  newVersion(
    workspace: string,
    name: string,
    config: ConfigRef,
    author: DeploymentAuthor,
  ): Promise<DeploymentWithHistory> {
    return this.prisma.$transaction(async (tx) => {
      // Lock the head before reading the latest status, so a concurrent delete
      // (which locks it too) either marks this version or is seen here.
      if (!(await lockHead(tx, 'deployments', workspace, name, 'UPDATE'))) {
        throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
      }
      const cfg = await resolveConfig(tx, workspace, config);
      const latest = await tx.deploymentVersion.findFirst({
        where: { workspace, name, isLatest: true },
        select: { status: true },
      });
      if (latest && (latest.status === 'DELETING' || latest.status === 'DELETED')) {
        throw new DeploymentBeingDeletedError(name, latest.status);
      }
      const next = await nextVersion(
        tx,
        'deployments',
        'deployment_versions',
        'deployment_id',
        workspace,
        name,
        author.actor,
      );
      if (!next) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
      return insertVersion(tx, {
        deploymentId: next.headId,
        workspace,
        name,
        version: next.version,
        project: next.project,
        config: cfg,
        status: 'PENDING',
        statusMessage: STATUS_MESSAGES.updatePending,
        author,
      });
    });
  }

  /** The latest version of each deployment, or every version with `allVersions`. */
  async list(query: ListQuery, allVersions: boolean): Promise<{ rows: DeploymentWithHistory[]; total: number }> {
    const page = await findPage<DeploymentVersion, WithHistory>(this.prisma.pool, DEPLOYMENT_VERSIONS, query, {
      extraWhere: allVersions ? undefined : 'is_latest',
      extraSelect: DETAIL_SELECT,
    });
    page.rows.forEach(parseHistory);
    return page;
  }

  async findLatest(workspace: string, name: string): Promise<DeploymentWithHistory | null> {
    const row = await findOne<DeploymentVersion, WithHistory>(
      this.prisma.pool,
      DEPLOYMENT_VERSIONS,
      'workspace = $1 AND name = $2 AND is_latest',
      [workspace, name],
      DETAIL_SELECT,
    );
    return row && parseHistory(row);
  }

  async findVersion(workspace: string, name: string, version: number): Promise<DeploymentWithHistory | null> {
    const row = await findOne<DeploymentVersion, WithHistory>(
      this.prisma.pool,
      DEPLOYMENT_VERSIONS,
      'workspace = $1 AND name = $2 AND version = $3',
      [workspace, name, version],
      DETAIL_SELECT,
    );
    return row && parseHistory(row);
  }

  /** All versions, newest first. */
  async versions(workspace: string, name: string): Promise<DeploymentWithHistory[]> {
    const { rows } = await this.prisma.pool.query<DeploymentWithHistory>(
      `SELECT ${selectList(DEPLOYMENT_VERSIONS, 't')}, ${DETAIL_SELECT} FROM deployment_versions t
        WHERE workspace = $1 AND name = $2 ORDER BY version DESC`,
      [workspace, name],
    );
    return rows.map(parseHistory);
  }

  /**
   * Writes a status through the transition table. The version row is locked
   * for the read-check-write, so concurrent writers queue instead of losing
   * an update. Writing the status and message already stored changes nothing.
   */
  setStatus(
    workspace: string,
    name: string,
    version: number | undefined,
    write: StatusWrite,
  ): Promise<DeploymentWithHistory> {
    return this.prisma.$transaction(async (tx) => {
      const current = await lockVersion(tx, workspace, name, version);
      const revision = await applyStatus(tx, current, write);
      if (write.actor !== undefined && revision !== current.revision) {
        await tx.deployment.updateMany({ where: { workspace, name }, data: { updatedBy: write.actor } });
      }
      return this.reload(tx, current.id);
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
  async setStatusFrom(current: StatusRow, write: StatusWrite & { expectedRevision: number }): Promise<number> {
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
    const { rowCount } = await this.prisma.pool.query(
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
      ],
    );
    if (rowCount === 0) throw new ConcurrentModificationError();
    return current.revision + 1;
  }

  /**
   * Deleting a deployment marks every version that is not DELETED as
   * DELETING (the workers tear them down); when every version is already
   * DELETED the records are removed.
   */
  delete(workspace: string, name: string, actor: string): Promise<DeleteOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const headId = await lockHead(tx, 'deployments', workspace, name, 'UPDATE');
      if (!headId) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
      const live = await tx.deploymentVersion.findMany({
        where: { deploymentId: headId, status: { not: 'DELETED' } },
        select: { id: true, status: true },
      });
      if (live.length === 0) {
        await tx.deployment.delete({ where: { id: headId } });
        return 'deleted';
      }
      for (const v of live) if (v.status !== 'DELETING') await markDeleting(tx, v.id, actor);
      await tx.deployment.update({ where: { id: headId }, data: { updatedBy: actor } });
      return 'marked';
    });
  }

  /** The same for one version; removing the last version removes the deployment. */
  deleteVersion(workspace: string, name: string, version: number, actor: string): Promise<DeleteOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const headId = await lockHead(tx, 'deployments', workspace, name, 'UPDATE');
      if (!headId) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
      const target = await lockVersion(tx, workspace, name, version);
      if (target.status !== 'DELETED') {
        if (target.status !== 'DELETING') await markDeleting(tx, target.id, actor);
        await tx.deployment.update({ where: { id: headId }, data: { updatedBy: actor } });
        return 'marked';
      }
      await tx.deploymentVersion.delete({ where: { id: target.id } });
      const remaining = await tx.deploymentVersion.findFirst({
        where: { deploymentId: headId },
        orderBy: { version: 'desc' },
        select: { id: true },
      });
      if (!remaining) await tx.deployment.delete({ where: { id: headId } });
      else if (target.is_latest)
        await tx.deploymentVersion.update({ where: { id: remaining.id }, data: { isLatest: true } });
      return 'deleted';
    });
  }

  /** Every version of a deployment with the config it runs, oldest first (the reconciler's view). */
  async versionsForReconcile(workspace: string, name: string): Promise<ReconcileVersion[]> {
    const { rows } = await this.prisma.pool.query<ReconcileVersion>(
      `SELECT ${selectList(DEPLOYMENT_VERSIONS, 't')},
         CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('engine', c.engine, 'modelEntityId', c.model_entity_id,
           'modelSpec', c.model_spec, 'executorConfig', c.executor_config) END AS config
       FROM deployment_versions t LEFT JOIN deployment_config_versions c ON c.id = t.config_version_id
       WHERE t.workspace = $1 AND t.name = $2 ORDER BY t.version`,
      [workspace, name],
    );
    return rows;
  }

  /** Deployments with a version that is not DELETED: what the resync re-enqueues. */
  async unsettled(): Promise<{ workspace: string; name: string }[]> {
    const { rows } = await this.prisma.pool.query<{ workspace: string; name: string }>(
      `SELECT DISTINCT workspace, name FROM deployment_versions WHERE status <> 'DELETED'`,
    );
    return rows;
  }

  /** Whether a version exists and is not DELETED (an instance of it may live). */
  async isLive(workspace: string, name: string, version: number): Promise<boolean> {
    const { rowCount } = await this.prisma.pool.query(
      `SELECT 1 FROM deployment_versions WHERE workspace = $1 AND name = $2 AND version = $3 AND status <> 'DELETED'`,
      [workspace, name, version],
    );
    return (rowCount ?? 0) > 0;
  }

  private reload(tx: Tx, id: string): Promise<DeploymentWithHistory> {
    return reloadVersion(tx, id);
  }
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
 * gets an entry when the status or the message changes.
 */
function statusChange(
  current: StoredStatus,
  write: StatusWrite,
): { statusChanged: boolean; reason: string | null; historyEntry: boolean } | null {
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
  return { statusChanged, reason, historyEntry: statusChanged || current.status_message !== write.statusMessage };
}

async function lockVersion(
  tx: Tx,
  workspace: string,
  name: string,
  version: number | undefined,
): Promise<LockedVersion> {
  const rows =
    version === undefined
      ? await tx.$queryRaw<
          LockedVersion[]
        >`SELECT id, status::text AS status, status_message, model_provider_id, revision, is_latest
          FROM deployment_versions WHERE workspace = ${workspace} AND name = ${name} AND is_latest FOR UPDATE`
      : await tx.$queryRaw<
          LockedVersion[]
        >`SELECT id, status::text AS status, status_message, model_provider_id, revision, is_latest
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

async function markDeleting(tx: Tx, id: string, actor: string): Promise<void> {
  await tx.deploymentVersion.update({
    where: { id },
    data: {
      updatedBy: actor,
      status: 'DELETING',
      statusMessage: STATUS_MESSAGES.deletionRequested,
      statusReason: null,
      statusChangedAt: new Date(),
      revision: { increment: 1 },
    },
  });
  await appendHistory(tx, id, 'DELETING', STATUS_MESSAGES.deletionRequested);
}

/** Appends a history entry and keeps only the newest MAX_STATUS_HISTORY. */
async function appendHistory(tx: Tx, id: string, status: DeploymentStatus, statusMessage: string): Promise<void> {
  await tx.deploymentStatusEvent.create({ data: { deploymentVersionId: id, status, statusMessage } });
  await tx.$executeRaw`DELETE FROM deployment_status_events
    WHERE deployment_version_id = ${id} AND id <= (
      SELECT id FROM deployment_status_events WHERE deployment_version_id = ${id}
      ORDER BY id DESC OFFSET ${MAX_STATUS_HISTORY} LIMIT 1)`;
}

interface ResolvedConfig {
  id: string;
  name: string;
  version: number;
  /** The model entity's spec, as the version will keep it (see entitySpecOf). */
  modelEntitySpec: Prisma.InputJsonValue | null;
}

/**
 * Finds the config version a deployment will run, holding the config's head
 * row FOR SHARE so a concurrent config delete waits for us (or we for it).
 */
async function resolveConfig(tx: Tx, workspace: string, ref: ConfigRef): Promise<ResolvedConfig> {
  const headId = await lockHead(tx, 'deployment_configs', workspace, ref.name, 'SHARE');
  const row = headId
    ? await tx.deploymentConfigVersion.findFirst({
        where:
          ref.version === undefined ? { configId: headId, isLatest: true } : { configId: headId, version: ref.version },
        select: { id: true, name: true, version: true, modelEntityId: true },
      })
    : null;
  if (!row) {
    throw new DeploymentConfigRefNotFoundError(workspace, ref.name, ref.version);
  }
  const { modelEntityId, ...config } = row;
  return { ...config, modelEntitySpec: modelEntityId ? await entitySpecOf(tx, modelEntityId) : null };
}

/**
 * What of a model entity shapes its server (the reference's env step 5 and
 * trust_remote_code): its spec's chat template and tool calling, and
 * trust_remote_code. Null when the entity does not exist (yet) or sets none.
 */
async function entitySpecOf(tx: Tx, entityRef: string): Promise<Prisma.InputJsonValue | null> {
  const slash = entityRef.indexOf('/');
  if (slash < 0) return null;
  const model = await tx.model.findUnique({
    where: { workspace_name: { workspace: entityRef.slice(0, slash), name: entityRef.slice(slash + 1) } },
    select: { spec: true, trustRemoteCode: true },
  });
  if (!model) return null;
  const spec = (model.spec ?? {}) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  if (typeof spec.chat_template === 'string') picked.chat_template = spec.chat_template;
  if (spec.tool_call_config && typeof spec.tool_call_config === 'object')
    picked.tool_call_config = spec.tool_call_config;
  if (model.trustRemoteCode) picked.trust_remote_code = true;
  return Object.keys(picked).length > 0 ? (picked as Prisma.InputJsonValue) : null;
}

async function insertVersion(
  tx: Tx,
  v: {
    deploymentId: string;
    workspace: string;
    name: string;
    version: number;
    project: string | null;
    config: ResolvedConfig;
    status: DeploymentStatus;
    statusMessage: string;
    author: DeploymentAuthor;
  },
): Promise<DeploymentWithHistory> {
  const id = newId('deployment');
  const row = await tx.deploymentVersion.create({
    data: {
      id,
      deploymentId: v.deploymentId,
      workspace: v.workspace,
      name: v.name,
      version: v.version,
      isLatest: true,
      project: v.project,
      configVersionId: v.config.id,
      configName: v.config.name,
      configVersion: v.config.version,
      ...(v.config.modelEntitySpec !== null ? { modelEntitySpec: v.config.modelEntitySpec } : {}),
      status: v.status,
      statusMessage: v.statusMessage,
      authContext: v.author.authContext,
      createdBy: v.author.actor,
      updatedBy: v.author.actor,
      history: { create: { status: v.status, statusMessage: v.statusMessage } },
    },
    include: WITH_HISTORY,
  });
  return { ...row, servingVersion: v.version === 1 ? null : await servingVersion(tx, v.deploymentId) };
}

/** A version as a write leaves it, read inside the write's transaction. */
async function reloadVersion(tx: Tx, id: string): Promise<DeploymentWithHistory> {
  const row = await tx.deploymentVersion.findUniqueOrThrow({ where: { id }, include: WITH_HISTORY });
  return { ...row, servingVersion: await servingVersion(tx, row.deploymentId) };
}

/** The deployment's newest READY version, or null (see DETAIL_SELECT). */
async function servingVersion(tx: Tx, deploymentId: string): Promise<number | null> {
  const rows = await tx.$queryRaw<{ version: number | null }[]>`SELECT max(version) AS version
    FROM deployment_versions WHERE deployment_id = ${deploymentId} AND status = 'READY'`;
  return rows[0]?.version ?? null;
}

/** What setStatusFrom compares a write against: the row as the worker read it. */
export type StatusRow = Pick<
  DeploymentVersion,
  'id' | 'status' | 'statusMessage' | 'statusReason' | 'modelProviderId' | 'endpoint' | 'recoveryAttempts' | 'revision'
>;

/** A version as the reconciler needs it: its row and the config it runs. */
export type ReconcileVersion = DeploymentVersion & {
  config: Pick<DeploymentConfigVersion, 'engine' | 'modelEntityId' | 'modelSpec' | 'executorConfig'> | null;
};
