import { jest } from '@jest/globals';
import type pg from 'pg';
import { loadVirtualModelRoutes } from '#db/virtual-model-routes';
import { bearer, insertKey, testPool, untilKnown } from './access-helpers.js';
import { ADMIN_AUTH, newWorkspace, startApi, type Api, type ApiResponse } from './api-harness.js';
import { eventually } from './worker-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const issue = (res: ApiResponse) => ({
  status: res.status,
  loc: res.body.detail?.[0]?.loc?.join('.'),
  msg: res.body.detail?.[0]?.msg,
});
const entry = (config_type: string, config: unknown) => ({ name: 'modelplane', config_type, config });
/** What NeMo's SDK sends on every call, a body or not. */
const sdk = { 'content-type': 'application/json', ...ADMIN_AUTH };

/**
 * Virtual models through a real API on both path families, with the bodies NeMo's SDK sends; pipelines are
 * checked by libs/routing (its unit tests cover each rule), so here: that each kind of refusal reaches the
 * client as a 422 naming the field, and the registry's conventions (paging, filters, authorship, locking).
 */
describe('virtual models', () => {
  let api: Api;
  let pool: pg.Pool;
  let ws: string;
  const own = (path = '') => `/v2/workspaces/${ws}/virtual-models${path}`;
  const nemo = (path = '') => `/apis/inference-gateway/v2/workspaces/${ws}/virtual-models${path}`;

  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
    ws = await newWorkspace(api, 'vm');
  });
  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  it("CRUD on NeMo's family with the SDK's bodies: create, get, list envelope, patch, delete", async () => {
    const body = {
      name: 'sdk-router',
      default_model_entity: `${ws}/llama-8b`,
      request_middleware: [
        entry('weighted', {
          targets: [
            { model: 'llama-8b', weight: 3 },
            { model: 'llama-70b', weight: 1 },
          ],
        }),
      ],
    };
    const created = await api.request('POST', nemo(), body, sdk);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^virtualmodel-[0-9a-f]{20}$/),
      entity_id: created.body.id,
      name: 'sdk-router',
      workspace: ws,
      default_model_entity: `${ws}/llama-8b`,
      models: [],
      request_middleware: body.request_middleware,
      response_middleware: [],
      post_response_middleware: [],
      autoprovisioned: false,
      db_version: 1,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      created_by: 'admin',
      updated_by: 'admin',
    });
    expect(created.headers.get('etag')).toBe('"1"');
    expect((await api.request('GET', nemo('/sdk-router'), undefined, sdk)).body).toEqual(created.body);
    expect((await api.request('GET', own('/sdk-router'))).body).toEqual(created.body);

    const listed = await api.request('GET', `${nemo()}?page=1&page_size=10`, undefined, sdk);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      data: [created.body],
      pagination: { page: 1, page_size: 10, current_page_size: 1, total_pages: 1, total_results: 1 },
      sort: 'created_at',
    });

    const patched = await api.request('PATCH', nemo('/sdk-router'), { default_model_entity: 'llama-70b' }, sdk);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      default_model_entity: `${ws}/llama-70b`,
      request_middleware: body.request_middleware, // absent: kept
      db_version: 2,
    });
    expect(patched.body.updated_at >= created.body.updated_at).toBe(true);

    const deleted = await api.request('DELETE', nemo('/sdk-router'), undefined, sdk);
    expect(deleted.status).toBe(204);
    expect((await api.request('GET', nemo('/sdk-router'))).body.code).toBe('virtual_model/not_found');
  });

  it('stores every field, references as workspace/name, and gives the gateway its routing table', async () => {
    const body = {
      name: 'tiers',
      project: 'team-a',
      models: [{ model: 'small' }, { model: `${ws}/big`, backend_format: 'OPENAI_CHAT' }],
      request_middleware: [
        entry('rules', { rules: [{ when: { has_images: true }, model: 'vlm' }], default_model: 'small' }),
        entry('fallback', { models: ['big'], on: ['status_5xx', 'stream_break'] }),
      ],
      response_middleware: [entry('escalation', { tiers: ['big'] })],
      post_response_middleware: [entry('shadow', { model: 'small-v2', share: 0.1 })],
      autoprovisioned: false,
      override_proxy: null,
    };
    const res = await api.request('POST', own(), body);
    expect(res.status).toBe(201);
    const { override_proxy: _, ...stored } = body;
    expect(res.body).toMatchObject({
      ...stored,
      models: [{ model: `${ws}/small` }, { model: `${ws}/big`, backend_format: 'OPENAI_CHAT' }],
    });
    expect(res.body).not.toHaveProperty('default_model_entity');

    const routes = (await loadVirtualModelRoutes(pool)).filter((r) => r.workspace === ws);
    expect(routes).toContainEqual({
      workspace: ws,
      name: 'tiers',
      default_model_entity: null,
      models: res.body.models,
      request_middleware: body.request_middleware,
      response_middleware: body.response_middleware,
      post_response_middleware: body.post_response_middleware,
    });
  });

  it('announces every write on routing_changed, so the gateway reloads', async () => {
    const client = await pool.connect();
    const heard: string[] = [];
    client.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
    try {
      await client.query('LISTEN routing_changed');
      // The database is shared with the test files running beside this one (they write virtual models too), so
      // what is checkable is that each write is followed by an announcement, not how many there are in all.
      const announced = async (write: Promise<{ status: number }>, status: number) => {
        const before = heard.filter((h) => h === 'routing_changed:virtual_models').length;
        expect((await write).status).toBe(status);
        await eventually(async () => heard.filter((h) => h === 'routing_changed:virtual_models').length > before);
      };
      await announced(api.request('POST', own(), { name: 'noisy' }), 201);
      await announced(api.request('PATCH', own('/noisy'), { autoprovisioned: true }), 200);
      await announced(api.request('DELETE', own('/noisy')), 204);
    } finally {
      await client.query('UNLISTEN routing_changed');
      client.release();
    }
  });

  it.each([
    [
      'a weight of 0',
      { request_middleware: [entry('weighted', { targets: [{ model: 'a', weight: 0 }] })] },
      'body.request_middleware.0.config.targets.0.weight',
      /weight must be > 0/,
    ],
    [
      'a config type in the wrong phase',
      { request_middleware: [entry('shadow', { model: 'a', share: 0.5 })] },
      'body.request_middleware.0.config_type',
      /belongs in post_response_middleware/,
    ],
    [
      'an unknown config type',
      { response_middleware: [entry('teleport', {})] },
      'body.response_middleware.0.config_type',
      /config_type must be one of/,
    ],
    [
      "a config's model in another workspace",
      { post_response_middleware: [entry('shadow', { model: 'other/a', share: 0.5 })] },
      'body.post_response_middleware.0.config.model',
      /another workspace/,
    ],
    [
      'a default model entity in another workspace',
      { default_model_entity: 'other/a' },
      'body.default_model_entity',
      /another workspace/,
    ],
    ['a model in another workspace', { models: [{ model: 'other/a' }] }, 'body.models.0.model', /another workspace/],
    ['a malformed reference', { default_model_entity: 'a/b/c' }, 'body.default_model_entity', /workspace\/name/],
    [
      'a stored config',
      { request_middleware: [{ name: 'modelplane', config_type: 'fallback', config_id: 'x' }] },
      'body.request_middleware.0.config_id',
      /not supported/,
    ],
    [
      'another plugin',
      { request_middleware: [{ name: 'nemo-switchyard', config_type: 'weighted', config: {} }] },
      'body.request_middleware.0.name',
      /built-in/,
    ],
    ['a pipeline that is not a list', { request_middleware: { a: 1 } }, 'body.request_middleware', /array/],
    ['override_proxy', { override_proxy: 'plugin.proxy' }, 'body.override_proxy', /not supported/],
    ['guardrail_config_ids (read-only)', { guardrail_config_ids: ['ws/g'] }, 'body.guardrail_config_ids', /read-only/],
    ['parent (read-only)', { parent: 'x' }, 'body.parent', /read-only/],
    ['an unknown field', { db_version: 3 }, 'body.db_version', /not a known field/],
    [
      'a backend format NeMo does not have',
      { models: [{ model: 'a', backend_format: 'GRPC' }] },
      'body.models.0.backend_format',
      /must be one of/,
    ],
  ])('refuses %s with a 422 naming the field, on create and on PATCH', async (_, fields, loc, msg) => {
    expect(issue(await api.request('POST', own(), { name: 'refused', ...fields }))).toEqual({
      status: 422,
      loc,
      msg: expect.stringMatching(msg),
    });
    await api.request('POST', own(), { name: 'target' });
    expect(issue(await api.request('PATCH', own('/target'), fields))).toEqual({
      status: 422,
      loc,
      msg: expect.stringMatching(msg),
    });
    expect((await api.request('GET', own('/refused'))).status).toBe(404);
  });

  it('refuses a name that is not an entity name', async () => {
    expect(issue(await api.request('POST', own(), { name: 'Bad Name' }))).toMatchObject({
      status: 422,
      loc: 'body.name',
    });
  });

  it("refuses a model entity's name (409 name_taken) and a duplicate (409 already_exists)", async () => {
    expect((await api.request('POST', `/v2/workspaces/${ws}/models`, { name: 'llama-entity' })).status).toBe(201);
    const taken = await api.request('POST', own(), { name: 'llama-entity' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('virtual_model/name_taken');
    expect((await api.request('POST', own(), { name: 'twice' })).status).toBe(201);
    const again = await api.request('POST', nemo(), { name: 'twice' }, sdk);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('virtual_model/already_exists');
  });

  it('goes with its workspace', async () => {
    const gone = await newWorkspace(api, 'vmd');
    expect((await api.request('POST', `/v2/workspaces/${gone}/virtual-models`, { name: 'doomed' })).status).toBe(201);
    expect((await api.request('DELETE', `/v2/workspaces/${gone}`)).status).toBe(204);
    expect((await loadVirtualModelRoutes(pool)).filter((r) => r.workspace === gone)).toEqual([]);
  });

  it('answers 404 for a missing workspace or virtual model', async () => {
    const gone = `/v2/workspaces/gone-${ws}/virtual-models`;
    expect((await api.request('POST', gone, { name: 'gone-vm' })).body.code).toBe('workspace/not_found');
    expect((await api.request('GET', gone)).body.code).toBe('workspace/not_found');
    expect((await api.request('PATCH', own('/nope'), {})).body.code).toBe('virtual_model/not_found');
    expect((await api.request('DELETE', own('/nope'))).body.code).toBe('virtual_model/not_found');
  });
});

describe('virtual models: PATCH semantics, locking, lists and permissions', () => {
  let api: Api;
  let pool: pg.Pool;
  let ws: string;
  const own = (path = '') => `/v2/workspaces/${ws}/virtual-models${path}`;

  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
    ws = await newWorkspace(api, 'vml');
  });
  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  it('PATCH changes only the fields present; null clears', async () => {
    const fallback = [entry('fallback', { models: ['b'] })];
    await api.request('POST', own(), {
      name: 'partial',
      default_model_entity: 'a',
      models: [{ model: 'a' }],
      request_middleware: fallback,
      autoprovisioned: true,
    });
    const kept = await api.request('PATCH', own('/partial'), {});
    expect(kept.body).toMatchObject({ default_model_entity: `${ws}/a`, request_middleware: fallback, db_version: 2 });
    const cleared = await api.request('PATCH', own('/partial'), {
      default_model_entity: null,
      models: null,
      request_middleware: null,
      autoprovisioned: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ models: [], request_middleware: [], autoprovisioned: false, db_version: 3 });
    expect(cleared.body).not.toHaveProperty('default_model_entity');
  });

  it('If-Match: the current db_version (or its ETag, or *) writes; a stale one is 412 and writes nothing', async () => {
    const created = await api.request('POST', own(), { name: 'locked', default_model_entity: 'a' });
    const etag = created.headers.get('etag') as string;
    const first = await api.request('PATCH', own('/locked'), { default_model_entity: 'b' }, { 'if-match': etag });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await api.request('PATCH', own('/locked'), { default_model_entity: 'c' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('virtual_model/stale_version');
    expect(stale.body.detail).toMatch(/db_version 2/);
    // NeMo's db_version as it is, a list, a weak tag (never matches), `*`
    expect((await api.request('PATCH', own('/locked'), {}, { 'if-match': '2' })).status).toBe(200);
    expect((await api.request('PATCH', own('/locked'), {}, { 'if-match': '"1", "3"' })).status).toBe(200);
    expect((await api.request('PATCH', own('/locked'), {}, { 'if-match': 'W/"4"' })).status).toBe(412);
    expect((await api.request('PATCH', own('/locked'), {}, { 'if-match': '*' })).status).toBe(200);
    const now = await api.request('GET', own('/locked'));
    expect(now.body).toMatchObject({ default_model_entity: `${ws}/b`, db_version: 5 });
    expect((await api.request('DELETE', own('/locked'), undefined, { 'if-match': '"4"' })).status).toBe(412);
    expect((await api.request('DELETE', own('/locked'), undefined, { 'if-match': '"5"' })).status).toBe(204);
    // A precondition on something missing is still a 404.
    expect((await api.request('PATCH', own('/locked'), {}, { 'if-match': '"5"' })).status).toBe(404);
  });

  it('lists with filters, sort and include_autoprovisioned', async () => {
    const lw = await newWorkspace(api, 'vmf');
    const base = `/v2/workspaces/${lw}/virtual-models`;
    await api.request('POST', base, { name: 'alpha', default_model_entity: 'x' });
    await api.request('POST', base, { name: 'beta', default_model_entity: 'y', project: 'p1' });
    await api.request('POST', base, { name: 'gamma', default_model_entity: 'x', autoprovisioned: true });
    const names = async (query: string) => {
      const res = await api.request('GET', `${base}?${query}`);
      expect(res.status).toBe(200);
      return res.body.data.map((v: { name: string }) => v.name);
    };
    expect(await names('sort=-name')).toEqual(['gamma', 'beta', 'alpha']);
    expect(await names(`filter[default_model_entity]=${lw}/x&sort=name`)).toEqual(['alpha', 'gamma']);
    expect(await names('filter[autoprovisioned]=true')).toEqual(['gamma']);
    expect(await names('filter[project]=p1')).toEqual(['beta']);
    expect(await names('include_autoprovisioned=false&sort=name')).toEqual(['alpha', 'beta']);
    // NeMo's SDK says it the other way round (virtual_models.list(exclude_autoprovisioned=True)).
    expect(await names('exclude_autoprovisioned=true&filter[name]=alpha')).toEqual(['alpha']);
    expect(await names('exclude_autoprovisioned=true&sort=name')).toEqual(['alpha', 'beta']);
    expect(await names('exclude_autoprovisioned=false&sort=name')).toEqual(['alpha', 'beta', 'gamma']);
    expect(
      issue(await api.request('GET', `${base}?exclude_autoprovisioned=true&include_autoprovisioned=true`)),
    ).toMatchObject({
      status: 422,
      loc: 'query.exclude_autoprovisioned',
    });
    expect(
      await names('filter=name~a AND default_model_entity:' + encodeURIComponent(`"${lw}/x"`) + '&sort=name'),
    ).toEqual(['alpha', 'gamma']);
    const paged = await api.request('GET', `${base}?page=2&page_size=2&sort=name`);
    expect(paged.body.data.map((v: { name: string }) => v.name)).toEqual(['gamma']);
    expect(paged.body.pagination).toEqual({
      page: 2,
      page_size: 2,
      current_page_size: 1,
      total_pages: 2,
      total_results: 3,
    });
    expect(issue(await api.request('GET', `${base}?sort=db_version`))).toMatchObject({
      status: 422,
      loc: 'query.sort',
    });
    expect(issue(await api.request('GET', `${base}?include_autoprovisioned=maybe`))).toMatchObject({
      status: 422,
      loc: 'query.include_autoprovisioned',
    });
    expect((await api.request('GET', `${base}?filter[description]=x`)).status).toBe(400);
  });

  it('a Viewer reads but cannot write; an Editor writes and is recorded as the author', async () => {
    const viewer = await insertKey(pool, `viewer-${ws}`, { roles: [[ws, 'Viewer']] });
    const editor = await insertKey(pool, `editor-${ws}`, { roles: [[ws, 'Editor']] });
    await untilKnown(api, viewer.key);
    await untilKnown(api, editor.key);
    const made = await api.request('POST', own(), { name: 'by-editor' }, bearer(editor.key));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ created_by: `editor-${ws}`, updated_by: `editor-${ws}` });
    expect((await api.request('GET', own('/by-editor'), undefined, bearer(viewer.key))).status).toBe(200);
    expect((await api.request('GET', own(), undefined, bearer(viewer.key))).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', own(), { name: 'by-viewer' }],
      ['PATCH', own('/by-editor'), {}],
      ['DELETE', own('/by-editor'), undefined],
    ] as const) {
      const res = await api.request(method, path, body, bearer(viewer.key));
      expect({ method, status: res.status, code: res.body.code }).toEqual({
        method,
        status: 403,
        code: 'auth/permission_denied',
      });
    }
    const patched = await api.request('PATCH', own('/by-editor'), { autoprovisioned: true });
    expect(patched.body).toMatchObject({ created_by: `editor-${ws}`, updated_by: 'admin' });
  });
});
