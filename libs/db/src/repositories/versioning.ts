import type { Tx } from '../prisma.service.js';

/**
 * Helpers for head + immutable-version tables. Table and column names are
 * compile-time constants from this package, never user input; values are
 * bound parameters.
 */
type HeadTable = 'deployment_configs' | 'deployments';
type VersionTable = 'deployment_config_versions' | 'deployment_versions';
type HeadColumn = 'config_id' | 'deployment_id';

/** Locks a head row (FOR UPDATE or FOR SHARE) and returns its id, or null. */
export async function lockHead(
  tx: Tx,
  table: HeadTable,
  workspace: string,
  name: string,
  mode: 'UPDATE' | 'SHARE',
): Promise<string | null> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM ${table} WHERE workspace = $1 AND name = $2 FOR ${mode}`,
    workspace,
    name,
  );
  return rows[0]?.id ?? null;
}

/**
 * Takes the next version number under the head row's lock and clears
 * `is_latest` on the previous latest, returning what a new version needs;
 * `actor` (who writes the new version) becomes the head's updated_by.
 * Concurrent callers queue on the row lock, so each gets its own number.
 */
export async function nextVersion(
  tx: Tx,
  head: HeadTable,
  versions: VersionTable,
  headColumn: HeadColumn,
  workspace: string,
  name: string,
  actor: string,
): Promise<{ headId: string; version: number; project: string | null } | null> {
  const bumped = await tx.$queryRawUnsafe<{ id: string; latest_version: number }[]>(
    `UPDATE ${head} SET latest_version = latest_version + 1, updated_at = now(), updated_by = $3
      WHERE workspace = $1 AND name = $2 RETURNING id, latest_version`,
    workspace,
    name,
    actor,
  );
  if (bumped.length === 0) return null;
  const { id, latest_version } = bumped[0];
  const previous = await tx.$queryRawUnsafe<{ project: string | null }[]>(
    `UPDATE ${versions} SET is_latest = false WHERE ${headColumn} = $1 AND is_latest RETURNING project`,
    id,
  );
  return { headId: id, version: latest_version, project: previous[0]?.project ?? null };
}
