import { jest } from '@jest/globals';
import type pg from 'pg';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { OidcTestIssuer } from '../libs/testing/src/oidc-issuer.js';
import { auditEvents, bearer, keyFor, testPool } from './access-helpers.js';
import { newWorkspace, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(90_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RB = '/v2/iam/role-bindings';

describe('role bindings', () => {
  let api: Api;
  let pool: pg.Pool;
  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
  });
  afterAll(async () => {
    await pool.end();
    await api.close();
  });

  it('grants a workspace role (201, NeMo shape), gets it by id, and refuses it twice with 409', async () => {
    const ws = await newWorkspace(api, 'rb');
    const principal = `service-account:${uniqueName('ci')}`;
    const res = await api.request('POST', RB, { principal, workspace: ws, role: 'Editor' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^rb-[0-9a-f]{24}$/),
      name: res.body.id,
      principal,
      workspace: ws,
      role: 'Editor',
      granted_by: 'admin',
      granted_at: expect.stringMatching(ISO),
      revoked_at: null,
    });
    // A platform route: the event carries the binding's id, not a workspace.
    expect(await auditEvents(pool, { action: 'role-binding.create', resource: res.body.id })).toEqual([
      expect.objectContaining({ principal: 'admin', workspace: null, outcome: 'success', status_code: 201 }),
    ]);
    expect((await api.request('GET', `${RB}/${res.body.id}`)).body).toEqual(res.body);
    const members = (await api.request('GET', `/v2/workspaces/${ws}/members`)).body.data;
    expect(members.find((m: { principal: string }) => m.principal === principal).roles).toEqual(['Editor']);

    const again = await api.request('POST', RB, { principal, workspace: ws, role: 'Editor' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('role_binding/already_exists');
    expect((await api.request('GET', `${RB}/rb-000000000000000000000000`)).status).toBe(404);
  });

  it('lists with paging and filters on principal, role, workspace and granted_by', async () => {
    const ws = await newWorkspace(api, 'rbl');
    const user = uniqueName('lister');
    for (const role of ['Viewer', 'Admin']) {
      expect((await api.request('POST', RB, { principal: user, workspace: ws, role })).status).toBe(201);
    }
    const byWs = await api.request('GET', `${RB}?filter[workspace]=${ws}`);
    expect(byWs.status).toBe(200);
    expect(byWs.body.data).toHaveLength(3); // the creator's Admin and the two above
    expect(byWs.body.pagination).toMatchObject({ page: 1, total_results: 3 });
    expect(byWs.body.sort).toBe('granted_at');
    expect(byWs.body.filter).toEqual({ workspace: ws });
    expect(byWs.body.data.every((b: { revoked_at: null }) => b.revoked_at === null)).toBe(true);

    const admins = await api.request('GET', `${RB}?filter[workspace]=${ws}&filter[role]=Admin&sort=principal`);
    expect(admins.body.data.map((b: { principal: string }) => b.principal)).toEqual(['admin', user].sort());
    const mine = await api.request('GET', `${RB}?filter[principal]=${user}&filter[granted_by]=admin&page_size=1`);
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.pagination).toMatchObject({ total_pages: 2, total_results: 2 });
    expect((await api.request('GET', `${RB}?filter[role]=Owner`)).status).toBe(400);
    expect((await api.request('GET', `${RB}?sort=created_at`)).status).toBe(422);
    const platform = await api.request('GET', `${RB}?filter[role]=PlatformAdmin&filter[principal]=admin`);
    expect(platform.body.data).toEqual([expect.objectContaining({ principal: 'admin', workspace: null })]);
  });

  it('needs a workspace for Viewer/Editor/Admin and none for PlatformAdmin (422), an existing workspace (404)', async () => {
    const ws = await newWorkspace(api, 'rbv');
    const cases: [unknown, number][] = [
      [{ principal: 'u1', role: 'Viewer' }, 422],
      [{ principal: 'u1', workspace: ws, role: 'PlatformAdmin' }, 422],
      [{ principal: '*', role: 'PlatformAdmin' }, 422],
      [{ principal: 'u1', workspace: ws, role: 'Owner' }, 422],
      [{ principal: 'group:', workspace: ws, role: 'Viewer' }, 422],
      [{ principal: 'u1', workspace: uniqueName('nows'), role: 'Viewer' }, 404],
    ];
    for (const [body, status] of cases) {
      expect({ body, status: (await api.request('POST', RB, body)).status }).toEqual({ body, status });
    }
  });

  it('is PlatformAdmin only: a workspace Admin is refused with 403 naming platform.admin', async () => {
    const ws = await newWorkspace(api, 'rb403');
    const wsAdmin = uniqueName('wsadmin');
    await api.request('POST', `/v2/workspaces/${ws}/members`, { principal: wsAdmin, roles: ['Admin'] });
    const key = await keyFor(api, pool, wsAdmin);
    for (const [method, path, body] of [
      ['GET', RB, undefined],
      ['POST', RB, { principal: 'x', workspace: ws, role: 'Viewer' }],
      ['GET', `${RB}/rb-000000000000000000000000`, undefined],
      ['DELETE', `${RB}/rb-000000000000000000000000`, undefined],
    ] as const) {
      const res = await api.request(method, path, body, bearer(key));
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      expect(res.body.detail).toContain("'platform.admin'");
    }
  });

  it('deletes a binding (200 DeleteResponse) with one audit event; the grantee loses the role at once', async () => {
    const ws = await newWorkspace(api, 'rbd');
    const user = uniqueName('grantee');
    const created = await api.request('POST', RB, { principal: user, workspace: ws, role: 'Viewer' });
    const key = await keyFor(api, pool, user);
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key))).status).toBe(200);
    const del = await api.request('DELETE', `${RB}/${created.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({
      message: 'Resource deleted successfully.',
      id: created.body.id,
      deleted_at: expect.stringMatching(ISO),
    });
    expect(await auditEvents(pool, { action: 'role-binding.delete', resource: created.body.id })).toEqual([
      expect.objectContaining({ principal: 'admin', outcome: 'success', status_code: 200 }),
    ]);
    expect((await api.request('GET', `/v2/workspaces/${ws}`, undefined, bearer(key))).status).toBe(403);
    expect((await api.request('GET', `${RB}/${created.body.id}`)).status).toBe(404);
    expect((await api.request('DELETE', `${RB}/${created.body.id}`)).status).toBe(404);
  });

  it("refuses to delete a workspace's last Admin binding with 409", async () => {
    const ws = await newWorkspace(api, 'rbla');
    const [binding] = (await api.request('GET', `${RB}?filter[workspace]=${ws}`)).body.data;
    const del = await api.request('DELETE', `${RB}/${binding.id}`);
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('member/last_admin');
  });

  it('grants PlatformAdmin platform-wide: its holder may manage role bindings; it can be deleted again', async () => {
    const user = uniqueName('pa');
    const created = await api.request('POST', RB, { principal: user, role: 'PlatformAdmin' });
    expect(created.status).toBe(201);
    expect(created.body.workspace).toBeNull();
    const key = await keyFor(api, pool, user);
    expect((await api.request('GET', RB, undefined, bearer(key))).status).toBe(200);
    expect((await api.request('DELETE', `${RB}/${created.body.id}`)).status).toBe(200);
    expect((await api.request('GET', RB, undefined, bearer(key))).status).toBe(403);
  });
});

describe('the last PlatformAdmin binding (a database of its own)', () => {
  let databaseUrl: string;
  let api: Api;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase('modelplane_rb');
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    api = await startApi({ DATABASE_URL: databaseUrl });
  });
  afterAll(async () => {
    await api.close();
    await dropTestDatabase(databaseUrl);
  });

  it('cannot be deleted (409); with a second one, either may go but not both', async () => {
    const [bootstrap] = (await api.request('GET', `${RB}?filter[role]=PlatformAdmin`)).body.data;
    expect(bootstrap.principal).toBe('admin');
    const refused = await api.request('DELETE', `${RB}/${bootstrap.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('role_binding/last_platform_admin');

    const second = await api.request('POST', RB, { principal: 'ops', role: 'PlatformAdmin' });
    expect(second.status).toBe(201);
    const [a, b] = await Promise.all([
      api.request('DELETE', `${RB}/${second.body.id}`),
      api.request('DELETE', `${RB}/${bootstrap.id}`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    // Whichever went, exactly one PlatformAdmin binding is left (read directly: it may not be the caller's).
    const own = testPool(databaseUrl);
    const { rows } = await own.query(`SELECT count(*)::int AS n FROM role_bindings WHERE role = 'PlatformAdmin'`);
    await own.end();
    expect(rows[0].n).toBe(1);
  });
});

describe('GET /apis/auth/discovery', () => {
  it('answers without a credential: auth_enabled and no oidc when OIDC is off', async () => {
    const api = await startApi();
    try {
      const res = await api.request('GET', '/apis/auth/discovery', undefined, { authorization: '' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ auth_enabled: true });
    } finally {
      await api.close();
    }
  });

  it("publishes the issuer, client id, scopes and the issuer's endpoints when OIDC is on", async () => {
    const issuer = await OidcTestIssuer.start();
    const api = await startApi({
      OIDC_ISSUER: issuer.issuer,
      OIDC_AUDIENCE: issuer.audience,
      OIDC_CLIENT_ID: 'modelplane-cli',
      OIDC_SCOPE_PREFIX: 'api://modelplane/',
    });
    try {
      const res = await api.request('GET', '/apis/auth/discovery', undefined, { authorization: '' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        auth_enabled: true,
        oidc: {
          issuer: issuer.issuer,
          client_id: 'modelplane-cli',
          authorization_endpoint: `${issuer.issuer}/authorize`,
          token_endpoint: `${issuer.issuer}/token`,
          device_authorization_endpoint: `${issuer.issuer}/device/code`,
          userinfo_endpoint: `${issuer.issuer}/userinfo`,
          default_scopes: ['openid', 'profile', 'email', 'offline_access'],
          scope_prefix: 'api://modelplane/',
        },
      });
    } finally {
      await api.close();
      await issuer.stop();
    }
  });

  it('says auth_enabled false when authentication is off', async () => {
    const api = await startApi({ AUTH_ENABLED: 'false' });
    try {
      const res = await api.request('GET', '/apis/auth/discovery', undefined, { authorization: '' });
      expect(res.body).toEqual({ auth_enabled: false });
    } finally {
      await api.close();
    }
  });
});
