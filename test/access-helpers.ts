import pg from 'pg';
import { generateApiKey } from '#auth';
import { roleBindingId } from '#db';
import { newId } from '#domain';
import type { Api } from './api-harness.js';
import { eventually } from './worker-harness.js';

/**
 * Credentials for test principals other than the bootstrap admin: a key row written straight into the
 * run's database (as the API-key endpoints would), then waited for until the API's access snapshot holds
 * it (the access_changed notification reloads it).
 */
export function testPool(url = process.env.TEST_DATABASE_URL): pg.Pool {
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the e2e tests through jest (global setup).');
  return new pg.Pool({ connectionString: url, max: 2 });
}

export type Role = 'Viewer' | 'Editor' | 'Admin' | 'PlatformAdmin';

export interface TestKey {
  id: string;
  key: string;
  principal: string;
}

/**
 * An API key for `principal` and, with `roles`, role bindings for it, written as rows (as the endpoints
 * would): the NOTIFY on those tables reloads every process's access snapshot. `expiresAt` in the past or
 * `revoked` make credentials that must be refused.
 */
export async function insertKey(
  pool: pg.Pool,
  principal: string,
  options: {
    scopes?: string[];
    workspace?: string | null;
    roles?: [workspace: string | null, role: Role][];
    expiresAt?: Date;
    revoked?: boolean;
  } = {},
): Promise<TestKey> {
  const { key, prefix, hash } = generateApiKey();
  const id = newId('apikey');
  await pool.query(`INSERT INTO principals (id, kind, created_by) VALUES ($1, $2, 'test') ON CONFLICT DO NOTHING`, [
    principal,
    principal.startsWith('service-account:') ? 'service_account' : 'user',
  ]);
  await pool.query(
    `INSERT INTO api_keys (id, name, principal, workspace, scopes, prefix, key_hash, expires_at, revoked_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'test')`,
    [
      id,
      `test key of ${principal}`,
      principal,
      options.workspace ?? null,
      options.scopes ?? ['read', 'write', 'inference', 'admin'],
      prefix,
      hash,
      options.expiresAt ?? null,
      options.revoked ? new Date() : null,
    ],
  );
  for (const [workspace, role] of options.roles ?? []) await bind(pool, workspace, principal, role);
  return { id, key, principal };
}

/** Binds `role` to `principal` (a user, `group:x`, `*`, …) in `workspace` (null: platform-wide). */
export async function bind(pool: pg.Pool, workspace: string | null, principal: string, role: Role): Promise<void> {
  await pool.query(
    `INSERT INTO role_bindings (id, workspace, principal, role, granted_by) VALUES ($1, $2, $3, $4::"Role", 'test')
     ON CONFLICT (id) DO NOTHING`,
    [roleBindingId(workspace, principal, role), workspace, principal, role],
  );
}

/** A key for `principal` that `api` already accepts (it reloads on NOTIFY). */
export async function keyFor(
  api: Api,
  pool: pg.Pool,
  principal: string,
  scopes: string[] = ['read', 'write', 'inference', 'admin'],
): Promise<string> {
  const { key } = await insertKey(pool, principal, { scopes });
  await untilKnown(api, key);
  return key;
}

/** Waits until `api` answers `path` with `key` other than 401. */
export async function untilKnown(api: Api, key: string, path = '/v2/workspaces'): Promise<void> {
  await eventually(async () => (await api.request('GET', path, undefined, bearer(key))).status !== 401, 5_000, 25);
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface AuditRow {
  principal: string | null;
  workspace: string | null;
  action: string;
  resource: string | null;
  outcome: string;
  status_code: number;
}

/**
 * The audit events of `action` on `resource` and/or in `workspace` once `count` of them are written (they
 * are written after the response is sent), then a short wait for any extra one, so a test can assert
 * "exactly one".
 */
export async function auditEvents(
  pool: pg.Pool,
  where: { action: string; resource?: string; workspace?: string },
  count = 1,
): Promise<AuditRow[]> {
  const read = async () =>
    (
      await pool.query<AuditRow>(
        `SELECT principal, workspace, action, resource, outcome::text AS outcome, status_code
         FROM audit_events
         WHERE action = $1 AND ($2::text IS NULL OR resource = $2) AND ($3::text IS NULL OR workspace = $3)
         ORDER BY id`,
        [where.action, where.resource ?? null, where.workspace ?? null],
      )
    ).rows;
  await eventually(async () => (await read()).length >= count, 5_000, 25);
  await new Promise((r) => setTimeout(r, 100));
  return read();
}
