/**
 * The benchmarks' credential: the PlatformAdmin key they hand the API as MODELPLANE_BOOTSTRAP_ADMIN_KEY
 * (the API stores its hash at start) and send on every request. The gateway never bootstraps, so a
 * benchmark that runs it without an API writes the same rows the API's bootstrap writes.
 */
import pg from 'pg';
import { BOOTSTRAP_PREFIX, hashApiKey } from '#auth';
import { roleBindingId } from '#db';

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789abcdef';
export const BENCH_AUTH: Record<string, string> = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };

/** The rows the API's bootstrap writes for BENCH_ADMIN_KEY: principal `admin`, PlatformAdmin, its key's hash. */
export async function seedBenchAdmin(client: pg.Client): Promise<void> {
  await client.query(`INSERT INTO principals (id, kind, created_by) VALUES ('admin', 'user', 'system')`);
  await client.query(
    `INSERT INTO role_bindings (id, workspace, principal, role, granted_by)
     VALUES ($1, NULL, 'admin', 'PlatformAdmin', 'system')`,
    [roleBindingId(null, 'admin', 'PlatformAdmin')],
  );
  await client.query(
    `INSERT INTO api_keys (id, name, principal, scopes, prefix, key_hash, created_by)
     VALUES ('apikey-bootstrap', 'bootstrap (benchmark)', 'admin', $1, $2, $3, 'system')`,
    [['read', 'write', 'inference', 'admin'], BOOTSTRAP_PREFIX, hashApiKey(BENCH_ADMIN_KEY)],
  );
}
