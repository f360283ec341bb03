import type pg from 'pg';
import type { DeploymentVersion } from '../generated/prisma/client.js';
import type { Tx } from '../prisma.service.js';
import { DEPLOYMENT_VERSIONS, selectList } from '../query/tables.js';
import type { DeploymentWithHistory, ReconcileVersion, WithHistory } from './deployment.types.js';
import { findOne, findPage, type ListQuery } from './list.js';

/** DeploymentRepository's reads: on the shared pool, or inside a write's transaction. */

export const DEPLOYMENT_SORTABLE = {
  name: 'name',
  created_at: 'created_at',
  updated_at: 'updated_at',
  status: 'status',
  entity_version: 'version',
};

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
export const WITH_HISTORY = { history: { orderBy: { id: 'asc' } } } as const;

export async function listVersions(
  pool: pg.Pool,
  query: ListQuery,
  allVersions: boolean,
): Promise<{ rows: DeploymentWithHistory[]; total: number }> {
  const page = await findPage<DeploymentVersion, WithHistory>(pool, DEPLOYMENT_VERSIONS, query, {
    extraWhere: allVersions ? undefined : 'is_latest',
    extraSelect: DETAIL_SELECT,
  });
  page.rows.forEach(parseHistory);
  return page;
}

export async function findLatest(
  pool: pg.Pool,
  workspace: string,
  name: string,
): Promise<DeploymentWithHistory | null> {
  const row = await findOne<DeploymentVersion, WithHistory>(
    pool,
    DEPLOYMENT_VERSIONS,
    'workspace = $1 AND name = $2 AND is_latest',
    [workspace, name],
    DETAIL_SELECT,
  );
  return row && parseHistory(row);
}

export async function findVersion(
  pool: pg.Pool,
  workspace: string,
  name: string,
  version: number,
): Promise<DeploymentWithHistory | null> {
  const row = await findOne<DeploymentVersion, WithHistory>(
    pool,
    DEPLOYMENT_VERSIONS,
    'workspace = $1 AND name = $2 AND version = $3',
    [workspace, name, version],
    DETAIL_SELECT,
  );
  return row && parseHistory(row);
}

/** All versions, newest first. */
export async function allVersions(pool: pg.Pool, workspace: string, name: string): Promise<DeploymentWithHistory[]> {
  const { rows } = await pool.query<DeploymentWithHistory>(
    `SELECT ${selectList(DEPLOYMENT_VERSIONS, 't')}, ${DETAIL_SELECT} FROM deployment_versions t
      WHERE workspace = $1 AND name = $2 ORDER BY version DESC`,
    [workspace, name],
  );
  return rows.map(parseHistory);
}

/** Every version of a deployment with the config it runs, oldest first (the reconciler's view). */
export async function versionsForReconcile(
  pool: pg.Pool,
  workspace: string,
  name: string,
): Promise<ReconcileVersion[]> {
  const { rows } = await pool.query<ReconcileVersion>(
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
export async function unsettled(pool: pg.Pool): Promise<{ workspace: string; name: string }[]> {
  const { rows } = await pool.query<{ workspace: string; name: string }>(
    `SELECT DISTINCT workspace, name FROM deployment_versions WHERE status <> 'DELETED'`,
  );
  return rows;
}

/** Deployments per workspace and status of their latest version (the worker's `modelplane_deployments` gauge). */
export async function countByStatus(pool: pg.Pool): Promise<{ workspace: string; status: string; count: number }[]> {
  const { rows } = await pool.query<{ workspace: string; status: string; count: number }>(
    `SELECT workspace, status, count(*)::int AS count FROM deployment_versions WHERE is_latest GROUP BY workspace, status`,
  );
  return rows;
}

/** Whether a version exists and is not DELETED (an instance of it may live). */
export async function isLive(pool: pg.Pool, workspace: string, name: string, version: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM deployment_versions WHERE workspace = $1 AND name = $2 AND version = $3 AND status <> 'DELETED'`,
    [workspace, name, version],
  );
  return (rowCount ?? 0) > 0;
}

/** A version as a write leaves it, read inside the write's transaction. */
export async function reloadVersion(tx: Tx, id: string): Promise<DeploymentWithHistory> {
  const row = await tx.deploymentVersion.findUniqueOrThrow({ where: { id }, include: WITH_HISTORY });
  return { ...row, servingVersion: await servingVersion(tx, row.deploymentId) };
}

/** The deployment's newest READY version, or null (see DETAIL_SELECT). */
export async function servingVersion(tx: Tx, deploymentId: string): Promise<number | null> {
  const rows = await tx.$queryRaw<{ version: number | null }[]>`SELECT max(version) AS version
    FROM deployment_versions WHERE deployment_id = ${deploymentId} AND status = 'READY'`;
  return rows[0]?.version ?? null;
}
