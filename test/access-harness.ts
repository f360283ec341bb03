import pg from 'pg';
import { generateApiKey, type Role, type Scope } from '#auth';
import { roleBindingId } from '#db';
import { newId } from '#domain';
import type { Api } from './api-harness.js';

/**
 * Principals for access tests, written straight into the run's database (as an operator's tooling
 * would): keys and role bindings. The API and gateways under test learn of them through the
 * access_changed notification, as they would in production.
 */
export class AccessFixtures {
  readonly pool: pg.Pool;

  constructor() {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set: run the e2e tests through jest (global setup).');
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
  }

  /** Issues a key for `principal`; returns the key and its id. */
  async key(
    principal: string,
    options: { workspace?: string; scopes?: Scope[]; expiresAt?: Date; revoked?: boolean } = {},
  ): Promise<{ key: string; id: string }> {
    const { key, prefix, hash } = generateApiKey();
    const id = newId('apikey');
    await this.pool.query(
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
    return { key, id };
  }

  /** Binds `role` to `principal` in `workspace` (null: platform-wide). */
  async bind(workspace: string | null, principal: string, role: Role): Promise<void> {
    await this.pool.query(
      `INSERT INTO role_bindings (id, workspace, principal, role, granted_by) VALUES ($1, $2, $3, $4::"Role", 'test')
       ON CONFLICT (id) DO NOTHING`,
      [roleBindingId(workspace, principal, role), workspace, principal, role],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Waits until `api` (which reloads on NOTIFY) answers `path` with `key` other than 401. */
export async function untilKnown(api: Api, key: string, path = '/v2/workspaces', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.request('GET', path, undefined, { authorization: `Bearer ${key}` });
    if (res.status !== 401) return;
    if (Date.now() > deadline) throw new Error(`key not accepted within ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
