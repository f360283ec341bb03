import { jest } from '@jest/globals';
import type pg from 'pg';
import { PERMISSIONS, roleGrants, routeDeclarations, type AccessDeclaration, type Permission, type Role } from '#auth';
import { GATEWAY_ROUTES } from '#gateway';
import { OidcTestIssuer } from '#testing';
import { buildOpenApi } from '../apps/api/src/app.factory.js';
import { bind, insertKey, testPool, untilKnown } from './access-helpers.js';
import { startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(120_000);

/**
 * Every operation of the API (read from its own OpenAPI document and route declarations) and every
 * gateway route, called by every kind of caller the issue names, must answer what the permission table
 * says: 401 without a valid credential, 403 without the permission, anything else (a 404 for the made-up
 * names used here, a 422 for the empty bodies) when allowed. Nothing is stubbed: real keys, real role
 * bindings, a real OIDC issuer for the group-bound principal.
 */
type Case = {
  label: string;
  /** The workspace the case's calls name. */
  target: 'A' | 'C';
  auth: () => string | undefined;
  /** What decides: a 401, the key's restriction, or the role held in the target workspace. */
  kind: 'unauthenticated' | 'other-workspace-key' | 'role';
  role: Role | null;
};

type Expected = 'allowed' | 401 | 403;

function expectedFor(declaration: AccessDeclaration, c: Case): Expected | 'public' {
  if (declaration === 'public') return 'public';
  if (c.kind === 'unauthenticated') return 401;
  const spec = PERMISSIONS[declaration];
  if (c.kind === 'other-workspace-key') {
    if (spec.workspaced) return 403;
    // A key restricted to a workspace still lists workspaces and manages its principal's keys there.
    return declaration === 'workspace.list' || declaration === 'api-keys.manage' ? 'allowed' : 403;
  }
  if (c.role === 'PlatformAdmin') return 'allowed';
  if (!spec.workspaced) return spec.role === 'authenticated' ? 'allowed' : 403;
  return roleGrants(c.role, declaration as Permission) ? 'allowed' : 403;
}

describe('permission matrix: every route × every kind of caller', () => {
  let api: Api;
  let pool: pg.Pool;
  let issuer: OidcTestIssuer;
  const ws = { A: uniqueName('pm-a'), B: uniqueName('pm-b'), C: uniqueName('pm-c') };
  const keys: Record<string, string> = {};
  let groupToken = '';

  beforeAll(async () => {
    issuer = await OidcTestIssuer.start();
    api = await startApi(
      { OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: issuer.audience, AUTH_FAILURE_LIMIT: '100000' },
      { gateway: true },
    );
    pool = testPool();
    for (const name of Object.values(ws)) {
      expect((await api.request('POST', '/v2/workspaces', { name })).status).toBe(201);
    }
    const u = (s: string) => `${s}-${ws.A}`;
    await bind(pool, ws.A, u('viewer'), 'Viewer');
    await bind(pool, ws.A, u('editor'), 'Editor');
    await bind(pool, ws.A, u('admin'), 'Admin');
    await bind(pool, ws.B, u('admin-b'), 'Admin');
    await bind(pool, ws.A, u('scoped'), 'Admin');
    await bind(pool, ws.B, u('scoped'), 'Admin');
    await bind(pool, null, u('platform'), 'PlatformAdmin');
    await bind(pool, ws.A, `group:${u('ml')}`, 'Editor');
    await bind(pool, ws.C, '*', 'Viewer');
    for (const who of ['viewer', 'editor', 'admin', 'admin-b', 'platform', 'everyone']) {
      keys[who] = (await insertKey(pool, u(who))).key;
    }
    keys.scoped = (await insertKey(pool, u('scoped'), { workspace: ws.B })).key;
    keys.expired = (await insertKey(pool, u('admin'), { expiresAt: new Date(Date.now() - 1000) })).key;
    keys.revoked = (await insertKey(pool, u('admin'), { revoked: true })).key;
    groupToken = await issuer.sign({ sub: u('grace'), email: 'grace@example.com', groups: [u('ml')] });
    await untilKnown(api, keys.platform);
    await untilKnown(api, keys.everyone);
  });

  afterAll(async () => {
    // The `*` binding of C and the roles in B reach every principal of the run: gone with their workspaces.
    for (const name of [ws.B, ws.C]) await api?.request('DELETE', `/v2/workspaces/${name}`);
    await pool?.query(`DELETE FROM role_bindings WHERE principal LIKE $1`, [`%-${ws.A}`]);
    await pool?.end();
    await api?.close();
    await issuer?.stop();
  });

  // Allowed callers last: one of them deletes workspace A (the last operation).
  const cases: Case[] = [
    { label: 'no credential', target: 'A', auth: () => undefined, kind: 'unauthenticated', role: null },
    { label: 'expired key', target: 'A', auth: () => keys.expired, kind: 'unauthenticated', role: null },
    { label: 'revoked key', target: 'A', auth: () => keys.revoked, kind: 'unauthenticated', role: null },
    {
      label: 'unknown key',
      target: 'A',
      auth: () => `mp_${'0'.repeat(12)}_${'x'.repeat(43)}`,
      kind: 'unauthenticated',
      role: null,
    },
    {
      label: 'key of another workspace',
      target: 'A',
      auth: () => keys.scoped,
      kind: 'other-workspace-key',
      role: 'Admin',
    },
    { label: 'Admin of another workspace', target: 'A', auth: () => keys['admin-b'], kind: 'role', role: null },
    { label: 'Viewer', target: 'A', auth: () => keys.viewer, kind: 'role', role: 'Viewer' },
    { label: 'Editor', target: 'A', auth: () => keys.editor, kind: 'role', role: 'Editor' },
    { label: 'group-bound Editor (OIDC)', target: 'A', auth: () => groupToken, kind: 'role', role: 'Editor' },
    { label: '* binding (Viewer)', target: 'C', auth: () => keys.everyone, kind: 'role', role: 'Viewer' },
    { label: 'Admin', target: 'A', auth: () => keys.admin, kind: 'role', role: 'Admin' },
    { label: 'PlatformAdmin', target: 'A', auth: () => keys.platform, kind: 'role', role: 'PlatformAdmin' },
  ];

  it('answers every operation as the permission table says', async () => {
    const declarations = new Map(
      routeDeclarations(api.app).map((r) => [r.handler.replace(/Controller\./, '_'), r.declaration]),
    );
    const document = buildOpenApi(api.app);
    const operations: { method: string; path: string; declaration: AccessDeclaration }[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = item[method];
        if (!op) continue;
        const declaration = declarations.get(op.operationId ?? '');
        if (declaration === undefined) throw new Error(`${method} ${path}: no declaration found for ${op.operationId}`);
        operations.push({ method: method.toUpperCase(), path, declaration });
      }
    }
    for (const route of GATEWAY_ROUTES) {
      const path = route.url
        .replace(':workspace', '{workspace}')
        .replace(':name', 'nope')
        .replace('*', 'v1/chat/completions');
      operations.push({ method: route.methods.includes('POST') ? 'POST' : 'GET', path, declaration: route.access });
    }
    // The workspace's deletion last, so every other call finds it.
    operations.sort((a, b) => Number(isWorkspaceDelete(a)) - Number(isWorkspaceDelete(b)));
    expect(operations.length).toBeGreaterThan(45);

    const mismatches: string[] = [];
    const tally: Record<string, number> = {};
    for (const op of operations) {
      for (const c of cases) {
        const expected = expectedFor(op.declaration, c);
        const path = op.path
          .replace('{workspace}', ws[c.target])
          .replace(/\{version\}/g, '1')
          .replace(/\{[a-z_]+\}/g, 'matrix-nope');
        const token = c.auth();
        const res = await api.request(op.method, path, ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined, {
          authorization: token ? `Bearer ${token}` : '',
        });
        const ok =
          expected === 'public'
            ? res.status < 500
            : expected === 'allowed'
              ? res.status !== 401 && res.status !== 403 && res.status < 500
              : res.status === expected;
        tally[String(expected)] = (tally[String(expected)] ?? 0) + 1;
        if (!ok)
          mismatches.push(
            `${op.method} ${op.path} as ${c.label}: expected ${expected}, got ${res.status} ${res.text.slice(0, 160)}`,
          );
        if (expected === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
    console.log(
      `[permission-matrix] ${operations.length} operations × ${cases.length} callers: ${JSON.stringify(tally)}`,
    );
    expect(mismatches).toEqual([]);
  });
});

describe('an unauthenticated caller', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ AUTH_FAILURE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('gets 401 before its body is read: no parse error, size limit, media-type or validation message', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"name": '],
      ['application/json', '['.repeat(10_000)],
      ['application/json', JSON.stringify({ name: 'x'.repeat(2_000_000) })],
      ['application/x-www-form-urlencoded', 'name=a'],
      ['application/json', '{"name": "ok-name", "unknown": 1}'],
    ];
    for (const [type, body] of bodies) {
      const res = await api.request('POST', '/v2/workspaces', body, { 'content-type': type, authorization: '' });
      expect({ type, status: res.status, code: res.body?.code }).toEqual({
        type,
        status: 401,
        code: 'auth/credential_missing',
      });
    }
    // With the admin's key the same bodies get their own answers.
    expect(
      (await api.request('POST', '/v2/workspaces', '{"name": ', { 'content-type': 'application/json' })).status,
    ).toBe(400);
  });
});

function isWorkspaceDelete(op: { method: string; path: string }): boolean {
  return op.method === 'DELETE' && op.path === '/v2/workspaces/{workspace}';
}
