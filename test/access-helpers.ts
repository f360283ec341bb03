import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateApiKey } from '#auth';
import type { Api } from './api-harness.js';

/**
 * Credentials for test principals other than the bootstrap admin: a key row written straight into the
 * run's database (as the API-key endpoints would), then waited for until the API's access snapshot holds
 * it (the access_changed notification reloads it).
 */
export function testPool(url = process.env.TEST_DATABASE_URL): pg.Pool {
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the e2e tests through jest (global setup).');
  return new pg.Pool({ connectionString: url, max: 2 });
}

export async function keyFor(
  api: Api,
  pool: pg.Pool,
  principal: string,
  scopes: string[] = ['read', 'write', 'inference', 'admin'],
): Promise<string> {
  const { key, prefix, hash } = generateApiKey();
  await pool.query(
    `INSERT INTO api_keys (id, name, principal, scopes, prefix, key_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'admin')`,
    [`key-${randomBytes(6).toString('hex')}`, `test ${principal}`, principal, scopes, prefix, hash],
  );
  await until(async () => (await api.request('GET', '/v2/workspaces', undefined, bearer(key))).status === 200);
  return key;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
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
  await until(async () => (await read()).length >= count);
  await new Promise((r) => setTimeout(r, 100));
  return read();
}
