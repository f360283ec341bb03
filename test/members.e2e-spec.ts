import { jest } from '@jest/globals';
import type pg from 'pg';
import { OidcTestIssuer } from '../libs/testing/src/oidc-issuer.js';
import { auditEvents, bearer, keyFor, testPool } from './access-helpers.js';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('workspace members', () => {
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

  const members = (ws: string) => `/v2/workspaces/${ws}/members`;
  const member = (ws: string, principal: string) => `${members(ws)}/${encodeURIComponent(principal)}`;

  it('lists the creator as the only Admin of a new workspace', async () => {
    const ws = await newWorkspace(api, 'mem');
    const res = await api.request('GET', members(ws));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [{ principal: 'admin', roles: ['Admin'], granted_at: expect.stringMatching(ISO), granted_by: 'admin' }],
    });
  });

  it('answers 404 for the members of a workspace that does not exist', async () => {
    const res = await api.request('GET', members(uniqueName('nows')));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('workspace/not_found');
  });

  it('adds a Viewer who may read but not write, refused with 403 naming permission and workspace', async () => {
    const ws = await newWorkspace(api, 'memv');
    const viewer = uniqueName('viewer');
    const added = await api.request('POST', members(ws), { principal: viewer, roles: ['Viewer'] });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      principal: viewer,
      roles: ['Viewer'],
      granted_at: expect.stringMatching(ISO),
      granted_by: 'admin',
    });
    const events = await auditEvents(pool, { action: 'member.add', resource: viewer });
    expect(events).toEqual([
      {
        principal: 'admin',
        workspace: ws,
        action: 'member.add',
        resource: viewer,
        outcome: 'success',
        status_code: 201,
      },
    ]);

    const key = await keyFor(api, pool, viewer);
    const list = await api.request('GET', members(ws), undefined, bearer(key));
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { principal: string }) => m.principal).sort()).toEqual(['admin', viewer].sort());
    expect((await api.request('GET', `/v2/workspaces/${ws}/deployment-configs`, undefined, bearer(key))).status).toBe(
      200,
    );

    const write = await api.request('POST', members(ws), { principal: uniqueName('u') }, bearer(key));
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("'members.write'");
    expect(write.body.detail).toContain(`'${ws}'`);
    const config = await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, nimConfig('c1'), bearer(key));
    expect(config.status).toBe(403);
    expect(config.body.detail).toContain("'deployment-configs.write'");
    expect(config.body.detail).toContain(`'${ws}'`);
  });

  it('makes a member an Editor by default, who may write deployment configs but not members', async () => {
    const ws = await newWorkspace(api, 'meme');
    const editor = uniqueName('editor');
    const added = await api.request('POST', members(ws), { principal: editor });
    expect(added.status).toBe(201);
    expect(added.body.roles).toEqual(['Editor']);
    const key = await keyFor(api, pool, editor);
    const config = await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, nimConfig('c1'), bearer(key));
    expect(config.status).toBe(201);
    const write = await api.request('POST', members(ws), { principal: uniqueName('u') }, bearer(key));
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("'members.write'");
  });

  it('refuses roles outside Viewer/Editor/Admin and malformed principals with 422', async () => {
    const ws = await newWorkspace(api, 'mem422');
    for (const body of [
      { principal: uniqueName('u'), roles: ['PlatformAdmin'] },
      { principal: uniqueName('u'), roles: ['Owner'] },
      { principal: uniqueName('u'), roles: [] },
      { principal: 'group:' },
      { principal: 'service-account:Not Valid' },
      { principal: 'has space' },
      { roles: ['Viewer'] },
    ]) {
      const res = await api.request('POST', members(ws), body);
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
    }
    expect((await api.request('GET', members(ws))).body.data).toHaveLength(1);
  });

  it('refuses adding an existing member with 409', async () => {
    const ws = await newWorkspace(api, 'mem409');
    const user = uniqueName('u');
    expect((await api.request('POST', members(ws), { principal: user, roles: ['Viewer'] })).status).toBe(201);
    const again = await api.request('POST', members(ws), { principal: user, roles: ['Editor'] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('member/already_exists');
    expect((await api.request('POST', members(ws), { principal: 'admin' })).status).toBe(409);
  });

  it("replaces a member's roles with PUT, and answers 404 for one who is not a member", async () => {
    const ws = await newWorkspace(api, 'memput');
    const user = 'alice@example.com';
    await api.request('POST', members(ws), { principal: user, roles: ['Viewer'] });
    const put = await api.request('PUT', member(ws, user), { roles: ['Editor', 'Admin', 'Editor'] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ principal: user, roles: ['Editor', 'Admin'] });
    expect(await auditEvents(pool, { action: 'member.update', workspace: ws })).toEqual([
      expect.objectContaining({ workspace: ws, outcome: 'success', status_code: 200 }),
    ]);
    const listed = (await api.request('GET', members(ws))).body.data;
    expect(listed.find((m: { principal: string }) => m.principal === user).roles).toEqual(['Editor', 'Admin']);

    const missing = await api.request('PUT', member(ws, 'nobody@example.com'), { roles: ['Viewer'] });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('member/not_found');
    expect((await api.request('PUT', member(ws, user), { roles: ['PlatformAdmin'] })).status).toBe(422);
  });

  it('takes principals with ":" and "@" in the path, and removes a member with 200', async () => {
    const ws = await newWorkspace(api, 'memdel');
    const sa = `service-account:${uniqueName('ci')}`;
    await api.request('POST', members(ws), { principal: sa, roles: ['Editor'] });
    const put = await api.request('PUT', `${members(ws)}/${sa}`, { roles: ['Viewer'] });
    expect(put.status).toBe(200);
    const del = await api.request('DELETE', `${members(ws)}/${sa}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({
      message: 'Resource deleted successfully.',
      id: sa,
      deleted_at: expect.stringMatching(ISO),
    });
    expect(await auditEvents(pool, { action: 'member.remove', resource: sa })).toHaveLength(1);
    expect((await api.request('DELETE', `${members(ws)}/${sa}`)).status).toBe(404);
    expect((await api.request('GET', members(ws))).body.data).toHaveLength(1);
  });

  it('a `*` binding grants its role to every authenticated principal, until it is removed', async () => {
    const ws = await newWorkspace(api, 'memstar');
    const stranger = uniqueName('stranger');
    const key = await keyFor(api, pool, stranger);
    expect((await api.request('GET', members(ws), undefined, bearer(key))).status).toBe(403);
    expect((await api.request('POST', members(ws), { principal: '*', roles: ['Viewer'] })).status).toBe(201);
    expect((await api.request('GET', members(ws), undefined, bearer(key))).status).toBe(200);
    expect((await api.request('POST', members(ws), { principal: uniqueName('u') }, bearer(key))).status).toBe(403);
    expect((await api.request('GET', members(ws), undefined, { authorization: '' })).status).toBe(401);
    const del = await api.request('DELETE', `${members(ws)}/%2A`);
    expect(del.status).toBe(200);
    expect(del.body.id).toBe('*');
    expect((await api.request('GET', members(ws), undefined, bearer(key))).status).toBe(403);
  });

  it('refuses to remove or demote the last Admin with 409 member/last_admin', async () => {
    const ws = await newWorkspace(api, 'memlast');
    const del = await api.request('DELETE', member(ws, 'admin'));
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('member/last_admin');
    const put = await api.request('PUT', member(ws, 'admin'), { roles: ['Editor'] });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('member/last_admin');
    // A refused change is recorded too, once (the failed DELETE; the PUT under its own action).
    expect(await auditEvents(pool, { action: 'member.remove', workspace: ws })).toEqual([
      expect.objectContaining({ principal: 'admin', outcome: 'failed', status_code: 409 }),
    ]);
    // With a second Admin, the first may go (and the second is then the last).
    const other = uniqueName('admin2');
    await api.request('POST', members(ws), { principal: other, roles: ['Admin'] });
    expect((await api.request('PUT', member(ws, 'admin'), { roles: ['Viewer'] })).status).toBe(200);
    expect((await api.request('DELETE', member(ws, other))).status).toBe(409);
  });

  it('lets only one of two concurrent removals of the last two Admins through', async () => {
    for (let round = 0; round < 3; round++) {
      const ws = await newWorkspace(api, 'memrace');
      const other = uniqueName('admin2');
      await api.request('POST', members(ws), { principal: other, roles: ['Admin'] });
      const [a, b] = await Promise.all([
        api.request('DELETE', member(ws, 'admin')),
        api.request('DELETE', member(ws, other)),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const left = (await api.request('GET', members(ws))).body.data;
      expect(left).toHaveLength(1);
      expect(left[0].roles).toEqual(['Admin']);
    }
  });
});

describe('workspace members bound through OIDC groups', () => {
  let issuer: OidcTestIssuer;
  let api: Api;
  beforeAll(async () => {
    issuer = await OidcTestIssuer.start();
    api = await startApi({ OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: issuer.audience });
  });
  afterAll(async () => {
    await api.close();
    await issuer.stop();
  });

  it('a role bound to group:NAME reaches a token whose groups claim lists NAME', async () => {
    const ws = await newWorkspace(api, 'memgrp');
    const group = uniqueName('team');
    const token = await issuer.sign({ sub: uniqueName('oidc-user'), groups: [group] });
    const outsider = await issuer.sign({ sub: uniqueName('oidc-user'), groups: ['someone-else'] });
    expect((await api.request('GET', `/v2/workspaces/${ws}/members`, undefined, bearer(token))).status).toBe(403);

    const added = await api.request('POST', `/v2/workspaces/${ws}/members`, {
      principal: `group:${group}`,
      roles: ['Viewer'],
    });
    expect(added.status).toBe(201);
    expect((await api.request('GET', `/v2/workspaces/${ws}/members`, undefined, bearer(token))).status).toBe(200);
    expect((await api.request('GET', `/v2/workspaces/${ws}/members`, undefined, bearer(outsider))).status).toBe(403);
    const write = await api.request('POST', `/v2/workspaces/${ws}/members`, { principal: 'x' }, bearer(token));
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("'members.write'");
  });
});
