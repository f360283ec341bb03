import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { insertKey } from './access-helpers.js';
import { nimConfig, startApi, TEST_ADMIN_KEY, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(120_000);

const HOST = 'http://127.0.0.1:9';

interface Row {
  id: string;
  at: Date;
  principal: string | null;
  key_id: string | null;
  workspace: string | null;
  action: string;
  resource: string | null;
  version: number | null;
  outcome: string;
  status_code: number;
  method: string;
  path: string;
  request_id: string | null;
  client_address: string | null;
  message: string | null;
}

interface TestKey {
  principal: string;
  keyId: string;
  auth: Record<string, string>;
}

/** Values that must never reach the audit log or a log line. */
const secretValue = (tag: string) => `sk-audit-${tag}-${randomBytes(12).toString('hex')}`;

describe('audit log (e2e)', () => {
  let api: Api;
  let db: pg.Pool;
  let ws: string;
  let other: string;
  let editor: TestKey;
  let wsAdmin: TestKey;
  let otherAdmin: TestKey;
  const values: string[] = [];
  const credentials: string[] = [TEST_ADMIN_KEY];
  /** Every event a test matched to a request, checked again at the end: still exactly one per request. */
  // Request ids count per process (req-1, req-2, …), so an event is told apart by its action and workspace too.
  const matched: { since: string; requestId: string; action: string; workspace: string | null }[] = [];

  const watermark = async (): Promise<string> =>
    (await db.query<{ m: string }>('SELECT coalesce(max(id), 0)::text AS m FROM audit_events')).rows[0].m;

  /** The first event after `since` with this action in this workspace (null: none), once it is written. */
  async function eventAfter(since: string, action: string, workspace: string | null): Promise<Row> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const { rows } = await db.query<Row>(
        `SELECT * FROM audit_events
          WHERE id > $1 AND action = $2 AND workspace IS NOT DISTINCT FROM $3 ORDER BY id`,
        [since, action, workspace],
      );
      if (rows.length > 0) {
        matched.push({ since, requestId: rows[0].request_id!, action, workspace });
        return rows[0];
      }
      if (Date.now() > deadline) throw new Error(`no audit event ${action} in ${workspace} after id ${since}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends a request and returns its response with the one audit event it wrote. */
  async function audited(
    method: string,
    path: string,
    body: unknown,
    action: string,
    workspace: string | null,
    headers?: Record<string, string>,
  ): Promise<{ res: ApiResponse; event: Row }> {
    const since = await watermark();
    const res = await api.request(method, path, body, headers);
    return { res, event: await eventAfter(since, action, workspace) };
  }

  /** A key of a principal of its own, bound to `role` in `workspace`, once this API has loaded it. */
  async function newKey(role: 'Editor' | 'Admin', workspace: string): Promise<TestKey> {
    const principal = uniqueName(role.toLowerCase());
    const { key, id: keyId } = await insertKey(db, principal, {
      scopes: ['read', 'write', 'admin'],
      roles: [[workspace, role]],
    });
    credentials.push(key);
    const auth = { authorization: `Bearer ${key}` };
    const deadline = Date.now() + 5_000;
    while ((await api.request('GET', `/v2/workspaces/${workspace}`, undefined, auth)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`the key of ${principal} never started working`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { principal, keyId, auth };
  }

  /** What every successful call by the bootstrap PlatformAdmin records. */
  const byAdmin = (res: ApiResponse, method: string, path: string) => ({
    principal: 'admin',
    key_id: expect.any(String),
    outcome: 'success',
    status_code: res.status,
    method,
    path,
    request_id: expect.any(String),
    client_address: '127.0.0.1',
    message: null,
  });

  beforeAll(async () => {
    // The test's own refusals (and a key polled before its NOTIFY arrives) must not trip the limiter.
    api = await startApi({ AUTH_FAILURE_LIMIT: '10000' });
    db = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    ws = uniqueName('aud');
    other = uniqueName('aud-other');
    const created = await audited('POST', '/v2/workspaces', { name: ws }, 'workspace.create', ws);
    expect(created.res.status).toBe(201);
    expect(created.event).toMatchObject({
      ...byAdmin(created.res, 'POST', '/v2/workspaces'),
      workspace: ws,
      resource: ws,
      version: null,
    });
    expect((await api.request('POST', '/v2/workspaces', { name: other })).status).toBe(201);
    [editor, wsAdmin, otherAdmin] = await Promise.all([
      newKey('Editor', ws),
      newKey('Admin', ws),
      newKey('Admin', other),
    ]);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  describe('every mutation writes one event', () => {
    const W = () => `/v2/workspaces/${ws}`;

    it('secrets: create, update, delete (the value never recorded)', async () => {
      const path = '/v2/workspaces/:workspace/secrets';
      const first = secretValue('create');
      const second = secretValue('update');
      values.push(first, second);
      const c = await audited('POST', `${W()}/secrets`, { name: 's1', value: first }, 'secret.create', ws);
      expect(c.res.status).toBe(201);
      expect(c.event).toMatchObject({ ...byAdmin(c.res, 'POST', path), workspace: ws, resource: 's1' });
      const u = await audited('PATCH', `${W()}/secrets/s1`, { value: second }, 'secret.update', ws);
      expect(u.res.status).toBe(200);
      expect(u.event).toMatchObject({ ...byAdmin(u.res, 'PATCH', `${path}/:name`), resource: 's1' });
      const d = await audited('DELETE', `${W()}/secrets/s1`, undefined, 'secret.delete', ws);
      expect(d.res.status).toBe(204);
      expect(d.event).toMatchObject({ ...byAdmin(d.res, 'DELETE', `${path}/:name`), resource: 's1' });
    });

    it('models: create (by an Editor: its principal and key), patch, delete', async () => {
      const path = '/v2/workspaces/:workspace/models';
      const c = await audited('POST', `${W()}/models`, { name: 'm1' }, 'model.create', ws, editor.auth);
      expect(c.res.status).toBe(201);
      expect(c.event).toMatchObject({
        principal: editor.principal,
        key_id: editor.keyId,
        workspace: ws,
        resource: 'm1',
        outcome: 'success',
        status_code: 201,
        method: 'POST',
        path,
      });
      const u = await audited('PATCH', `${W()}/models/m1`, { description: 'd' }, 'model.update', ws);
      expect(u.res.status).toBe(200);
      expect(u.event).toMatchObject({ ...byAdmin(u.res, 'PATCH', `${path}/:name`), resource: 'm1' });
      const d = await audited('DELETE', `${W()}/models/m1`, undefined, 'model.delete', ws);
      expect(d.res.status).toBe(204);
      expect(d.event).toMatchObject({ ...byAdmin(d.res, 'DELETE', `${path}/:name`), resource: 'm1' });
    });

    it('providers: create, update (PUT), status, delete', async () => {
      const path = '/v2/workspaces/:workspace/providers';
      const c = await audited('POST', `${W()}/providers`, { name: 'p1', host_url: HOST }, 'provider.create', ws);
      expect(c.res.status).toBe(201);
      expect(c.event).toMatchObject({ ...byAdmin(c.res, 'POST', path), resource: 'p1' });
      const body = { host_url: HOST, description: 'put' };
      const u = await audited('PUT', `${W()}/providers/p1`, body, 'provider.update', ws);
      expect(u.res.status).toBe(200);
      expect(u.event).toMatchObject({ ...byAdmin(u.res, 'PUT', `${path}/:name`), resource: 'p1' });
      const s = await audited('PUT', `${W()}/providers/p1/status`, { status: 'READY' }, 'provider.set-status', ws);
      expect(s.res.status).toBe(200);
      expect(s.event).toMatchObject({ ...byAdmin(s.res, 'PUT', `${path}/:name/status`), resource: 'p1' });
      const d = await audited('DELETE', `${W()}/providers/p1`, undefined, 'provider.delete', ws);
      expect(d.res.status).toBe(204);
      expect(d.event).toMatchObject({ ...byAdmin(d.res, 'DELETE', `${path}/:name`), resource: 'p1' });
    });

    it('deployment configs and deployments: create, new version, status, delete, with the versions written', async () => {
      const cfgPath = '/v2/workspaces/:workspace/deployment-configs';
      const c = await audited('POST', `${W()}/deployment-configs`, nimConfig('c1'), 'deployment-config.create', ws);
      expect(c.res.status).toBe(201);
      expect(c.event).toMatchObject({ ...byAdmin(c.res, 'POST', cfgPath), resource: 'c1', version: 1 });
      const { name: _name, ...v2 } = nimConfig('c1', { description: 'v2' });
      const n = await audited('POST', `${W()}/deployment-configs/c1`, v2, 'deployment-config.new-version', ws);
      expect(n.res.status).toBe(201);
      expect(n.event).toMatchObject({ ...byAdmin(n.res, 'POST', `${cfgPath}/:name`), resource: 'c1', version: 2 });

      const depPath = '/v2/workspaces/:workspace/deployments';
      const dc = await audited('POST', `${W()}/deployments`, { name: 'd1', config: 'c1' }, 'deployment.create', ws);
      expect(dc.res.status).toBe(201);
      expect(dc.event).toMatchObject({ ...byAdmin(dc.res, 'POST', depPath), resource: 'd1', version: 1 });
      const body = { config: 'c1', config_version: 1 };
      const dn = await audited('POST', `${W()}/deployments/d1`, body, 'deployment.new-version', ws);
      expect(dn.res.status).toBe(201);
      expect(dn.event).toMatchObject({ ...byAdmin(dn.res, 'POST', `${depPath}/:name`), resource: 'd1', version: 2 });
      const status = { status: 'FAILED', status_message: 'test' };
      const ds = await audited('POST', `${W()}/deployments/d1/status`, status, 'deployment.set-status', ws);
      expect(ds.res.status).toBe(200);
      expect(ds.event).toMatchObject({
        ...byAdmin(ds.res, 'POST', `${depPath}/:name/status`),
        resource: 'd1',
        version: 2,
      });
      const dd = await audited('DELETE', `${W()}/deployments/d1`, undefined, 'deployment.delete', ws);
      expect(dd.res.status).toBe(202);
      expect(dd.event).toMatchObject({ ...byAdmin(dd.res, 'DELETE', `${depPath}/:name`), resource: 'd1' });

      expect((await api.request('POST', `${W()}/deployment-configs`, nimConfig('c2'))).status).toBe(201);
      const cd = await audited('DELETE', `${W()}/deployment-configs/c2`, undefined, 'deployment-config.delete', ws);
      expect(cd.res.status).toBe(204);
      expect(cd.event).toMatchObject({ ...byAdmin(cd.res, 'DELETE', `${cfgPath}/:name`), resource: 'c2' });
    });

    it('the encryption key rotation: a platform-wide event', async () => {
      const r = await audited('POST', '/v2/admin/secrets/rotate', undefined, 'secret.rotate', null);
      expect(r.res.status).toBe(200);
      expect(r.event).toMatchObject({ ...byAdmin(r.res, 'POST', '/v2/admin/secrets/rotate'), workspace: null });
    });

    it('workspace delete', async () => {
      const doomed = uniqueName('aud-del');
      expect((await api.request('POST', '/v2/workspaces', { name: doomed })).status).toBe(201);
      const d = await audited('DELETE', `/v2/workspaces/${doomed}`, undefined, 'workspace.delete', doomed);
      expect(d.res.status).toBe(204);
      expect(d.event).toMatchObject({
        ...byAdmin(d.res, 'DELETE', '/v2/workspaces/:workspace'),
        workspace: doomed,
        resource: doomed,
      });
    });
  });

  describe('refusals and failures', () => {
    it('no credential: a denied 401 event with no principal, for a read as for a change', async () => {
      const none = { authorization: '' };
      const g = await audited('GET', `/v2/workspaces/${ws}/models`, undefined, 'model.list', ws, none);
      expect(g.res.status).toBe(401);
      expect(g.event).toMatchObject({
        principal: null,
        key_id: null,
        outcome: 'denied',
        status_code: 401,
        method: 'GET',
        path: '/v2/workspaces/:workspace/models',
        message: expect.any(String),
      });
      const p = await audited('POST', `/v2/workspaces/${ws}/models`, { name: 'x' }, 'model.create', ws, none);
      expect(p.res.status).toBe(401);
      expect(p.event).toMatchObject({ principal: null, outcome: 'denied', status_code: 401, method: 'POST' });
    });

    it("another workspace's Admin: a denied 403 event naming the caller and its key", async () => {
      const path = `/v2/workspaces/${ws}/models/m0`;
      const g = await audited('GET', path, undefined, 'model.get', ws, otherAdmin.auth);
      expect(g.res.status).toBe(403);
      expect(g.event).toMatchObject({
        principal: otherAdmin.principal,
        key_id: otherAdmin.keyId,
        workspace: ws,
        resource: 'm0',
        outcome: 'denied',
        status_code: 403,
        message: g.res.body.detail,
      });
    });

    it('a 422 and a 409 are failed events whose message is the error code, never what was sent', async () => {
      const value = secretValue('invalid');
      values.push(value);
      const bad = await audited(
        'POST',
        `/v2/workspaces/${ws}/secrets`,
        { name: `bad name ${value}`, value },
        'secret.create',
        ws,
      );
      expect(bad.res.status).toBe(422);
      expect(bad.event).toMatchObject({ outcome: 'failed', status_code: 422, message: bad.res.body.code });
      expect(bad.event.message).toBe('validation/failed');
      expect(bad.event.resource).toBeNull();

      const dupValue = secretValue('dup');
      values.push(dupValue);
      // Through `audited`, so its event is written before the next watermark is taken.
      const first = await audited(
        'POST',
        `/v2/workspaces/${ws}/secrets`,
        { name: 'dup', value: dupValue },
        'secret.create',
        ws,
      );
      expect(first.res.status).toBe(201);
      const dup = await audited(
        'POST',
        `/v2/workspaces/${ws}/secrets`,
        { name: 'dup', value: dupValue },
        'secret.create',
        ws,
      );
      expect(dup.res.status).toBe(409);
      expect(dup.event).toMatchObject({ outcome: 'failed', status_code: 409, message: dup.res.body.code });
    });
  });

  describe('reading the log', () => {
    const list = (path: string, auth?: Record<string, string>) => api.request('GET', path, undefined, auth);

    it("the workspace route shows only its workspace's events, newest first, to its Admin", async () => {
      const res = await list(`/v2/workspaces/${ws}/audit-events?page_size=100`, wsAdmin.auth);
      expect(res.status).toBe(200);
      expect(res.body.sort).toBe('-at');
      expect(res.body.data.length).toBeGreaterThan(10);
      expect(res.body.data.every((e: { workspace?: string }) => e.workspace === ws)).toBe(true);
      const at = res.body.data.map((e: { at: string }) => Date.parse(e.at));
      expect([...at].sort((a, b) => b - a)).toEqual(at);
      expect(res.body.data[0]).toEqual(
        expect.objectContaining({ id: expect.stringMatching(/^\d+$/), action: expect.any(String) }),
      );
      const created = res.body.data.find((e: { action: string }) => e.action === 'workspace.create');
      expect(created).toMatchObject({ principal: 'admin', resource: ws, outcome: 'success', status_code: 201 });
      expect(created).not.toHaveProperty('version');
    });

    it('a workspace filter cannot widen the workspace route', async () => {
      for (const filter of [`filter[workspace]=${other}`, `filter=workspace:${other}`]) {
        const res = await list(`/v2/workspaces/${ws}/audit-events?${filter}`, wsAdmin.auth);
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual([]);
      }
    });

    it('needs Admin in the workspace: an Editor, or the Admin of another workspace, gets 403', async () => {
      expect((await list(`/v2/workspaces/${ws}/audit-events`, editor.auth)).status).toBe(403);
      expect((await list(`/v2/workspaces/${ws}/audit-events`, otherAdmin.auth)).status).toBe(403);
      expect((await list(`/v2/workspaces/${ws}/audit-events`, { authorization: '' })).status).toBe(401);
    });

    it('the global route needs PlatformAdmin and filters by every field', async () => {
      expect((await list('/v2/audit-events', wsAdmin.auth)).status).toBe(403);
      const q = (filter: string) => list(`/v2/audit-events?page_size=100&filter=${encodeURIComponent(filter)}`);
      const models = ['model.list', 'model.create', 'model.get'];
      const denied = await q(JSON.stringify({ workspace: ws, outcome: 'denied', action: { $in: models } }));
      expect(denied.status).toBe(200);
      expect(denied.body.data.map((e: { status_code: number }) => e.status_code).sort()).toEqual([401, 401, 403]);

      const byKey = await q(JSON.stringify({ key_id: editor.keyId, principal: editor.principal, outcome: 'success' }));
      expect(byKey.body.data).toEqual([expect.objectContaining({ action: 'model.create', resource: 'm1' })]);

      const conflict = await q(`workspace:${ws} AND status_code:409 AND method:POST`);
      expect(conflict.body.data).toEqual([expect.objectContaining({ outcome: 'failed', message: expect.any(String) })]);

      const since = new Date(Date.now() - 10 * 60_000).toISOString();
      const recent = await q(
        JSON.stringify({ workspace: ws, action: { $like: 'deployment-config.' }, at: { $gte: since } }),
      );
      expect(recent.body.data.map((e: { action: string }) => e.action).sort()).toEqual([
        'deployment-config.create',
        'deployment-config.create',
        'deployment-config.delete',
        'deployment-config.new-version',
      ]);
      const future = await q(JSON.stringify({ workspace: ws, at: { $gt: '2999-01-01T00:00:00Z' } }));
      expect(future.body.data).toEqual([]);

      const rotations = await list('/v2/audit-events?filter[action]=secret.rotate&sort=at&page_size=1');
      expect(rotations.body).toMatchObject({ sort: 'at', data: [{ action: 'secret.rotate' }] });
      expect(rotations.body.data[0]).not.toHaveProperty('workspace');

      expect((await list('/v2/audit-events?sort=principal')).status).toBe(422);
      expect((await list('/v2/audit-events?filter[outcome]=maybe')).status).toBe(400);
    });
  });

  it("an API serving the gateway's routes records a refused inference call once", async () => {
    // The gateway records its refusals itself (its replies are hijacked); the API's onResponse hook sees them too.
    const both = await startApi({ AUTH_FAILURE_LIMIT: '10000' }, { gateway: true });
    try {
      const since = await watermark();
      const path = `/v2/workspaces/${ws}/inference/gateway/openai/-/v1/models`;
      const res = await both.request('GET', path, undefined, { authorization: '' });
      expect(res.status).toBe(401);
      const event = await eventAfter(since, 'inference.list_models', ws);
      expect(event).toMatchObject({ principal: null, outcome: 'denied', status_code: 401, method: 'GET' });
      await new Promise((r) => setTimeout(r, 300));
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE id > $1 AND action = 'inference.list_models' AND workspace = $2`,
        [since, ws],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await both.close();
    }
  });

  it('the log is append-only: UPDATE and DELETE are refused', async () => {
    const id = await watermark();
    await expect(db.query(`UPDATE audit_events SET message = 'x' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toThrow(/append-only/);
  });

  it('each request wrote exactly one event', async () => {
    for (const { since, requestId, action, workspace } of matched) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events
          WHERE id > $1 AND request_id = $2 AND action = $3 AND workspace IS NOT DISTINCT FROM $4`,
        [since, requestId, action, workspace],
      );
      expect({ action, workspace, n: rows[0].n }).toEqual({ action, workspace, n: 1 });
    }
  });

  it('no secret value or credential appears in any audit event or log line', async () => {
    expect(values.length).toBeGreaterThan(3);
    const { rows } = await db.query<{ text: string }>('SELECT row_to_json(a)::text AS text FROM audit_events a');
    const log = rows.map((r) => r.text).join('\n');
    const lines = api.logs.join('\n');
    for (const needle of [...values, ...credentials]) {
      expect(log.includes(needle)).toBe(false);
      expect(lines.includes(needle)).toBe(false);
    }
    expect(log).not.toMatch(/mp_[0-9a-f]{12}_/);
  });
});
