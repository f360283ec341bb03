import { jest } from '@jest/globals';
import pg from 'pg';
import { startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const KEY = /^mp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys', () => {
  let api: Api;
  let db: pg.Client;
  /** A user the admin issued a full key to; it created `ws` and is its Admin. */
  let alice: string;
  let aliceKey: string;
  let ws: string;

  const issue = (body: Record<string, unknown>, key?: string): Promise<ApiResponse> =>
    api.request('POST', '/v2/iam/api-keys', body, key ? bearer(key) : {});

  /** The audit events of one action on one resource, once the onResponse hook has written them. */
  async function auditEvents(action: string, resource: string, expected: number) {
    const query = () =>
      db.query('SELECT * FROM audit_events WHERE action = $1 AND resource = $2 ORDER BY id', [action, resource]);
    for (let i = 0; i < 40 && (await query()).rows.length < expected; i++) await sleep(50);
    await sleep(100); // a further event, were one written, would be here by now
    return (await query()).rows;
  }

  beforeAll(async () => {
    api = await startApi();
    db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    alice = uniqueName('alice');
    const res = await issue({ name: 'alice-full', principal: alice, scopes: ['read', 'write', 'admin'] });
    expect(res.status).toBe(201);
    aliceKey = res.body.key;
    ws = uniqueName('wsk');
    const created = await api.request('POST', '/v2/workspaces', { name: ws }, bearer(aliceKey));
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('issues a key shown once, that works within its scopes and is refused (403 naming the scope) beyond them', async () => {
    const res = await issue({ name: 'reader', scopes: ['read'] }, aliceKey);
    expect(res.status).toBe(201);
    const { key, ...meta } = res.body;
    expect(key).toMatch(KEY);
    expect(meta).toEqual({
      id: expect.stringMatching(/^apikey-[0-9a-f]{20}$/),
      name: 'reader',
      principal: alice,
      scopes: ['read'],
      prefix: key.slice(0, 15),
      created_at: expect.any(String),
      created_by: alice,
    });
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key))).status).toBe(200);
    const denied = await api.request('POST', `/v2/workspaces/${ws}/models`, { name: 'm1' }, bearer(key));
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('auth/scope_missing');
    expect(denied.body.detail).toContain("'write' scope");

    // Never shown again: not by GET, not in a list, not in the database, the audit log or the logs.
    const got = await api.request('GET', `/v2/iam/api-keys/${meta.id}`, undefined, bearer(aliceKey));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(meta);
    const list = await api.request('GET', '/v2/iam/api-keys?page_size=100', undefined, bearer(aliceKey));
    expect(list.body.data.map((k: { id: string }) => k.id)).toContain(meta.id);
    for (const r of [got, list]) expect(r.text).not.toContain(key.slice(16));
    const row = await db.query(
      'SELECT row_to_json(k)::text AS t, encode(key_hash, $2) AS h FROM api_keys k WHERE id = $1',
      [meta.id, 'escape'],
    );
    expect(row.rows[0].t).not.toContain(key.slice(16));
    expect(row.rows[0].h).not.toContain(key.slice(16));
    const audit = await db.query(`SELECT count(*)::int AS n FROM audit_events a WHERE row_to_json(a)::text LIKE $1`, [
      `%${key.slice(16)}%`,
    ]);
    expect(audit.rows[0].n).toBe(0);
    expect(api.logs.join('\n')).not.toContain(key.slice(16));
  });

  it('never gives a key a scope the issuing credential lacks', async () => {
    const reader = (await issue({ name: 'r', scopes: ['read'] }, aliceKey)).body.key;
    const viaReader = await issue({ name: 'x', scopes: ['admin'] }, reader);
    expect(viaReader.status).toBe(403);
    expect(viaReader.body.code).toBe('auth/scope_missing');
    expect(viaReader.body.detail).toContain("'admin' scope");
    const widened = await issue({ name: 'x', scopes: ['read', 'inference'] }, aliceKey);
    expect(widened.status).toBe(403);
    expect(widened.body.code).toBe('auth/scope_missing');
    expect(widened.body.detail).toContain("'inference' scope");
  });

  it('issues keys for others only to a PlatformAdmin, creating service accounts on first use', async () => {
    const other = await issue({ name: 'x', principal: uniqueName('bob'), scopes: ['read'] }, aliceKey);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('auth/not_key_owner');

    const sa = `service-account:${uniqueName('ci')}`;
    const res = await issue({ name: 'ci', principal: sa, workspace: ws, scopes: ['read', 'inference'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      principal: sa,
      workspace: ws,
      scopes: ['read', 'inference'],
      created_by: 'admin',
    });
    const principal = await db.query('SELECT kind::text AS kind, created_by FROM principals WHERE id = $1', [sa]);
    expect(principal.rows).toEqual([{ kind: 'service_account', created_by: 'admin' }]);
    const who = await api.request('GET', '/v2/iam/whoami', undefined, bearer(res.body.key));
    expect(who.body).toMatchObject({
      principal: sa,
      kind: 'service_account',
      key_workspace: ws,
      platform_admin: false,
    });
  });

  it('lets a key restricted to a workspace issue and see keys of that workspace only', async () => {
    const restricted = (await issue({ name: 'ws-admin', workspace: ws, scopes: ['read', 'admin'] }, aliceKey)).body;
    const unrestricted = (await issue({ name: 'anywhere', scopes: ['read'] }, aliceKey)).body;
    const inWs = await issue({ name: 'ws-reader', workspace: ws, scopes: ['read'] }, restricted.key);
    expect(inWs.status).toBe(201);
    expect(inWs.body).toMatchObject({ principal: alice, workspace: ws, created_by: alice });
    for (const workspace of [undefined, uniqueName('other')]) {
      const res = await issue({ name: 'x', workspace, scopes: ['read'] }, restricted.key);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('auth/key_workspace');
      expect(res.body.detail).toContain(`'${ws}'`);
    }
    const list = await api.request('GET', '/v2/iam/api-keys?page_size=100', undefined, bearer(restricted.key));
    expect(list.status).toBe(200);
    expect(new Set(list.body.data.map((k: { workspace?: string }) => k.workspace))).toEqual(new Set([ws]));
    const hidden = await api.request('GET', `/v2/iam/api-keys/${unrestricted.id}`, undefined, bearer(restricted.key));
    expect(hidden.status).toBe(404);
    const who = await api.request('GET', '/v2/iam/whoami', undefined, bearer(restricted.key));
    expect(who.body).toMatchObject({ key_workspace: ws, roles: { [ws]: 'Admin' }, platform_admin: false });
  });

  it('answers whoami with the principal, its key and its roles', async () => {
    const who = await api.request('GET', '/v2/iam/whoami', undefined, bearer(aliceKey));
    expect(who.status).toBe(200);
    expect(who.body).toEqual({
      principal: alice,
      kind: 'user',
      groups: [],
      via: 'api_key',
      key_id: expect.stringMatching(/^apikey-/),
      scopes: ['read', 'write', 'admin'],
      platform_admin: false,
      // Other suites' `*` bindings may add roles elsewhere; this workspace's is the creator's Admin.
      roles: expect.objectContaining({ [ws]: 'Admin' }),
    });
    const admin = await api.request('GET', '/v2/iam/whoami');
    expect(admin.body).toMatchObject({ principal: 'admin', platform_admin: true, key_id: 'apikey-bootstrap' });
  });

  it('refuses an expired key with 401 auth/credential_expired', async () => {
    const expiresAt = Date.now() + 2000;
    const res = await issue(
      { name: 'short', scopes: ['read'], expires_at: new Date(expiresAt).toISOString() },
      aliceKey,
    );
    expect(res.status).toBe(201);
    expect(res.body.expires_at).toBe(new Date(expiresAt).toISOString());
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(res.body.key))).status).toBe(200);
    await sleep(expiresAt - Date.now() + 100);
    const late = await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(res.body.key));
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('auth/credential_expired');
  });

  it('refuses a revoked key at once; revoking again is a no-op 204; one audit event per call', async () => {
    const res = await issue({ name: 'to-revoke', scopes: ['read'] }, aliceKey);
    const { id, key } = res.body;
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key))).status).toBe(200);
    const del = await api.request('DELETE', `/v2/iam/api-keys/${id}`, undefined, bearer(aliceKey));
    expect(del.status).toBe(204);
    const refused = await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('auth/credential_revoked');
    const got = (await api.request('GET', `/v2/iam/api-keys/${id}`, undefined, bearer(aliceKey))).body;
    expect(got).toMatchObject({ revoked_at: expect.any(String), revoked_by: alice });
    expect((await api.request('DELETE', `/v2/iam/api-keys/${id}`, undefined, bearer(aliceKey))).status).toBe(204);
    const again = (await api.request('GET', `/v2/iam/api-keys/${id}`, undefined, bearer(aliceKey))).body;
    expect(again.revoked_at).toBe(got.revoked_at);
    const rotate = await api.request('POST', `/v2/iam/api-keys/${id}/rotate`, {}, bearer(aliceKey));
    expect(rotate.status).toBe(409);
    expect(rotate.body.code).toBe('api_key/revoked');

    const events = await auditEvents('api-key.revoke', id, 2);
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ principal: alice, outcome: 'success', status_code: 204 });
  });

  it('rotates: the new key works, the old one until its grace period ends; a rotated key cannot be rotated again', async () => {
    const name = uniqueName('rot');
    const old = (await issue({ name, scopes: ['read'] }, aliceKey)).body;
    const res = await api.request(
      'POST',
      `/v2/iam/api-keys/${old.id}/rotate`,
      { grace_period_seconds: 1 },
      bearer(aliceKey),
    );
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(KEY);
    expect(res.body).toMatchObject({ name, principal: alice, scopes: ['read'] });
    expect(res.body.id).not.toBe(old.id);
    const rotatedAt = Date.now();
    for (const key of [res.body.key, old.key]) {
      expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key))).status).toBe(200);
    }
    const before = (await api.request('GET', `/v2/iam/api-keys/${old.id}`, undefined, bearer(aliceKey))).body;
    expect(before.replaced_by).toBe(res.body.id);
    expect(Math.abs(Date.parse(before.expires_at) - (rotatedAt + 1000))).toBeLessThan(1000);
    await sleep(Date.parse(before.expires_at) - Date.now() + 100);
    const late = await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(old.key));
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('auth/credential_expired');
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(res.body.key))).status).toBe(200);

    const twice = await api.request('POST', `/v2/iam/api-keys/${old.id}/rotate`, undefined, bearer(aliceKey));
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('api_key/already_rotated');

    // One event per call, the refused one too (the key named from the path), with its error code.
    const events = await auditEvents('api-key.rotate', old.id, 2);
    expect(events.map((e) => e.status_code).sort()).toEqual([201, 409]);
    const refused = await db.query(
      `SELECT message FROM audit_events WHERE action = 'api-key.rotate' AND resource = $1 AND status_code = 409`,
      [old.id],
    );
    expect(refused.rows.map((r) => r.message)).toEqual(['api_key/already_rotated']);
    const created = await auditEvents('api-key.create', name, 1);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ principal: alice, outcome: 'success', status_code: 201 });
  });

  it('rotates with the default grace period when no body is sent, keeping the old expiry if sooner', async () => {
    const old = (await issue({ name: 'default-grace', scopes: ['read'] }, aliceKey)).body;
    const res = await api.request('POST', `/v2/iam/api-keys/${old.id}/rotate`, undefined, bearer(aliceKey));
    expect(res.status).toBe(201);
    const after = (await api.request('GET', `/v2/iam/api-keys/${old.id}`, undefined, bearer(aliceKey))).body;
    expect(Math.abs(Date.parse(after.expires_at) - (Date.now() + 24 * 3600 * 1000))).toBeLessThan(5000);

    const soon = new Date(Date.now() + 60_000).toISOString();
    const short = (await issue({ name: 'short-lived', scopes: ['read'], expires_at: soon }, aliceKey)).body;
    const rotated = await api.request('POST', `/v2/iam/api-keys/${short.id}/rotate`, {}, bearer(aliceKey));
    expect(rotated.body.expires_at).toBe(soon);
    const kept = (await api.request('GET', `/v2/iam/api-keys/${short.id}`, undefined, bearer(aliceKey))).body;
    expect(kept.expires_at).toBe(soon);
  });

  it('records last_used_at within ~6 s of a use', async () => {
    const res = (await issue({ name: 'used', scopes: ['read'] }, aliceKey)).body;
    expect(res.last_used_at).toBeUndefined();
    const usedAt = Date.now();
    await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(res.key));
    let lastUsed: string | undefined;
    while (Date.now() - usedAt < 6500 && !lastUsed) {
      await sleep(250);
      lastUsed = (await api.request('GET', `/v2/iam/api-keys/${res.id}`, undefined, bearer(aliceKey))).body
        .last_used_at;
    }
    expect(lastUsed).toBeDefined();
    expect(Math.abs(Date.parse(lastUsed!) - usedAt)).toBeLessThan(1000);
  });

  it("hides another principal's keys (404, not listed); a PlatformAdmin sees and manages them", async () => {
    const bob = uniqueName('bob');
    const bobKey = (await issue({ name: 'bob', principal: bob, scopes: ['read', 'write', 'admin'] })).body.key;
    const mine = (await issue({ name: 'alice-only', scopes: ['read'] }, aliceKey)).body;
    for (const [method, path] of [
      ['GET', `/v2/iam/api-keys/${mine.id}`],
      ['POST', `/v2/iam/api-keys/${mine.id}/rotate`],
      ['DELETE', `/v2/iam/api-keys/${mine.id}`],
    ]) {
      const res = await api.request(method, path, undefined, bearer(bobKey));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('api_key/not_found');
    }
    const missing = await api.request('GET', '/v2/iam/api-keys/apikey-00000000000000000000', undefined, bearer(bobKey));
    expect(missing.body).toEqual({ detail: expect.any(String), code: 'api_key/not_found' });
    const bobList = await api.request('GET', '/v2/iam/api-keys?page_size=100', undefined, bearer(bobKey));
    expect(bobList.body.data.map((k: { principal: string }) => k.principal)).toEqual([bob]);
    const filtered = await api.request('GET', `/v2/iam/api-keys?filter[principal]=${alice}`, undefined, bearer(bobKey));
    expect(filtered.body.data).toEqual([]);

    const adminList = await api.request('GET', `/v2/iam/api-keys?filter[principal]=${alice}&filter[name]=alice-only`);
    expect(adminList.status).toBe(200);
    expect(adminList.body.data).toEqual([mine].map(({ key: _key, ...meta }) => meta));
    expect(adminList.body.pagination).toMatchObject({ total_results: 1 });
    expect((await api.request('GET', `/v2/iam/api-keys/${mine.id}`)).status).toBe(200);
    expect((await api.request('POST', `/v2/iam/api-keys/${mine.id}/rotate`, {})).status).toBe(201);
    expect((await api.request('DELETE', `/v2/iam/api-keys/${mine.id}`)).status).toBe(204);
  });

  it('refuses a workspace that does not exist or that the caller cannot see with 404', async () => {
    const res = await issue({ name: 'x', workspace: uniqueName('nows'), scopes: ['read'] }, aliceKey);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('workspace/not_found');
    const foreign = uniqueName('adminws');
    expect((await api.request('POST', '/v2/workspaces', { name: foreign })).status).toBe(201);
    const hidden = await issue({ name: 'x', workspace: foreign, scopes: ['read'] }, aliceKey);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('workspace/not_found');
  });

  it.each([
    [{ scopes: ['read'] }, 'name'],
    [{ name: '', scopes: ['read'] }, 'name'],
    [{ name: 'x' }, 'scopes'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['read', 'root'] }, 'scopes'],
    [{ name: 'x', scopes: ['read', 'read'] }, 'scopes'],
    [{ name: 'x', scopes: ['read'], expires_at: 'tomorrow' }, 'expires_at'],
    [{ name: 'x', scopes: ['read'], expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
    [{ name: 'x', scopes: ['read'], principal: 'group:ml' }, 'principal'],
    [{ name: 'x', scopes: ['read'], principal: '*' }, 'principal'],
    [{ name: 'x', scopes: ['read'], principal: 'service-account:Bad Name' }, 'principal'],
    [{ name: 'x', scopes: ['read'], key: 'mp_chosen' }, 'key'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const res = await issue(body);
    expect(res.status).toBe(422);
    expect(res.body.detail.some((d: { loc: string[] }) => d.loc.includes(field))).toBe(true);
  });

  it.each([-1, 2_592_001, 1.5, '10'])('refuses grace_period_seconds %j with 422', async (grace) => {
    const id = (await issue({ name: 'g', scopes: ['read'] })).body.id;
    const res = await api.request('POST', `/v2/iam/api-keys/${id}/rotate`, { grace_period_seconds: grace });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toContain('grace_period_seconds');
  });
});
