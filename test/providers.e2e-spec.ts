import { jest } from '@jest/globals';
import { newWorkspace, startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HOST = 'http://127.0.0.1:9';
const locs = (res: ApiResponse): unknown[] => res.body.detail.map((i: { loc: unknown }) => i.loc);
const names = (res: ApiResponse): string[] => res.body.data.map((p: { name: string }) => p.name);

describe('model providers', () => {
  let api: Api;
  let ws: string;
  let base: string;
  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'prov');
    base = `/v2/workspaces/${ws}/providers`;
    expect(
      (await api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'api-key', value: 'sk-provider-test' }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('create', () => {
    it('applies the defaults: status UNKNOWN, status_message "", served_models []', async () => {
      const res = await api.request('POST', base, { name: 'minimal', host_url: HOST });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^modelprovider-[0-9a-f]{20}$/),
        name: 'minimal',
        workspace: ws,
        host_url: HOST,
        served_models: [],
        status: 'UNKNOWN',
        status_message: '',
        auth_context: { principal_id: 'admin' },
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        created_by: 'admin',
        updated_by: 'admin',
      });
      expect(res.text).not.toContain('null');
      expect((await api.request('GET', `${base}/minimal`)).body).toEqual(res.body);
    });

    it('stores every field', async () => {
      const body = {
        name: 'full',
        project: 'team-a',
        description: 'Everything set',
        host_url: 'https://integrate.api.nvidia.com',
        api_key_secret_name: 'api-key',
        served_models: [{ model_entity_id: `${ws}/llama`, served_model_name: 'meta/llama-3.1-8b-instruct' }],
        enabled_models: ['meta/llama-3.1-8b-instruct'],
        status: 'READY',
        status_message: 'up',
        default_extra_body: { temperature: 0.1 },
        default_extra_headers: { 'X-Default': 'd' },
        required_extra_body: { stream: false },
        required_extra_headers: { 'X-Required': 'r' },
        model_deployment_id: `${ws}/dep`,
        auth_context: { tenant: 't1' },
        auth_header_format: 'x-api-key: {{ auth_secret }}',
      };
      const res = await api.request('POST', base, body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        ...body,
        // Recorded by the server from the caller; a sent auth_context is never taken (it would be forged).
        auth_context: { principal_id: 'admin' },
        id: expect.any(String),
        workspace: ws,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        created_by: 'admin',
        updated_by: 'admin',
      });
      expect(res.text).not.toContain('sk-provider-test');
      expect((await api.request('GET', `${base}/full`)).body).toEqual(res.body);
    });

    it('refuses api_key_secret_name naming a missing secret with 422 naming the field', async () => {
      const res = await api.request('POST', base, {
        name: 'no-secret',
        host_url: HOST,
        api_key_secret_name: 'missing-key',
      });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['body', 'api_key_secret_name']]);
      expect(res.body.detail[0].msg).toContain("'missing-key'");
      expect((await api.request('GET', `${base}/no-secret`)).status).toBe(404);
    });

    it('refuses a secret of another workspace', async () => {
      const other = await newWorkspace(api, 'provx');
      expect(
        (await api.request('POST', `/v2/workspaces/${other}/secrets`, { name: 'foreign-key', value: 'sk-foreign' }))
          .status,
      ).toBe(201);
      const res = await api.request('POST', base, {
        name: 'foreign',
        host_url: HOST,
        api_key_secret_name: 'foreign-key',
      });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['body', 'api_key_secret_name']]);
    });

    it('accepts an existing secret', async () => {
      const res = await api.request('POST', base, {
        name: 'with-secret',
        host_url: HOST,
        api_key_secret_name: 'api-key',
      });
      expect(res.status).toBe(201);
      expect(res.body.api_key_secret_name).toBe('api-key');
    });

    it('refuses a duplicate with 409', async () => {
      const res = await api.request('POST', base, { name: 'minimal', host_url: HOST });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe(`Model provider with workspace '${ws}' and name 'minimal' already exists`);
    });

    it.each([
      ['a missing host_url', {}, ['body', 'host_url']],
      ['a host_url without scheme', { host_url: 'example.com' }, ['body', 'host_url']],
      ['an ftp host_url', { host_url: 'ftp://example.com' }, ['body', 'host_url']],
      ['an unknown status', { host_url: HOST, status: 'BROKEN' }, ['body', 'status']],
      [
        'a bad header name in default_extra_headers',
        { host_url: HOST, default_extra_headers: { 'Bad Header': 'x' } },
        ['body', 'default_extra_headers'],
      ],
      [
        'a multi-line header value',
        { host_url: HOST, required_extra_headers: { 'X-A': 'a\r\nX-B: b' } },
        ['body', 'required_extra_headers'],
      ],
      [
        'a served model without a workspace',
        { host_url: HOST, served_models: [{ model_entity_id: 'llama', served_model_name: 'x' }] },
        ['body', 'served_models', 0, 'model_entity_id'],
      ],
      ['an unknown field', { host_url: HOST, api_key: 'sk-inline' }, ['body', 'api_key']],
    ])('refuses %s with 422 naming it', async (_label, fields, loc) => {
      const name = uniqueName('bad');
      const res = await api.request('POST', base, { name, ...fields });
      expect(res.status).toBe(422);
      expect(locs(res)).toContainEqual(loc);
      expect(res.text).not.toContain('sk-inline');
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
    });

    it('answers 404 for an unknown provider', async () => {
      const res = await api.request('GET', `${base}/nope`);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Model provider 'nope' was not found in workspace '${ws}'`);
    });
  });

  describe('auth_header_format', () => {
    it.each([
      'Authorization: Bearer {{ auth_secret }}',
      'x-api-key: {{auth_secret}}',
      'X-Key: {{auth_secret }}',
      'api-key: prefix-{{ auth_secret }}-suffix',
    ])('accepts %j', async (format) => {
      const name = uniqueName('ahf');
      const res = await api.request('POST', base, { name, host_url: HOST, auth_header_format: format });
      expect(res.status).toBe(201);
      expect(res.body.auth_header_format).toBe(format);
    });

    it.each([
      ['no placeholder', 'Authorization: Bearer token'],
      ['two placeholders', 'Authorization: {{ auth_secret }} {{ auth_secret }}'],
      ['another variable', 'Authorization: Bearer {{ other }}'],
      ['another variable besides auth_secret', 'X-Key: {{ auth_secret }}{{ other }}'],
      ['a filter on the placeholder', 'X-Key: {{ auth_secret | upper }}'],
      ['a statement', '{% if true %}X-Key: {{ auth_secret }}{% endif %}'],
      ['no ": " separator', 'Authorization:Bearer {{ auth_secret }}'],
      ['no separator at all', 'Authorization {{ auth_secret }}'],
      ['an empty value', '{{ auth_secret }}: '],
      ['an empty name', ': {{ auth_secret }}'],
      ['a header name with a space', 'Bad Header: {{ auth_secret }}'],
      ['a header name with parentheses', 'X(Key): {{ auth_secret }}'],
      ['a line break', 'X-Key: {{ auth_secret }}\r\nX-Other: y'],
      ['the empty string', ''],
      ['a number', 42],
    ])('refuses %s with 422 naming the field', async (_label, format) => {
      const name = uniqueName('ahf');
      const res = await api.request('POST', base, { name, host_url: HOST, auth_header_format: format });
      expect(res.status).toBe(422);
      expect(locs(res)).toContainEqual(['body', 'auth_header_format']);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
      const put = await api.request('PUT', `${base}/${name}`, { host_url: HOST, auth_header_format: format });
      expect(put.status).toBe(422);
      expect(locs(put)).toContainEqual(['body', 'auth_header_format']);
    });
  });

  describe('PUT (upsert)', () => {
    it('creates a provider that does not exist, with 200', async () => {
      const res = await api.request('PUT', `${base}/upserted`, { host_url: HOST, description: 'made by PUT' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'upserted',
        workspace: ws,
        host_url: HOST,
        description: 'made by PUT',
        status: 'UNKNOWN',
        status_message: '',
        served_models: [],
      });
      expect((await api.request('GET', `${base}/upserted`)).body).toEqual(res.body);
    });

    it('fully replaces: omitted fields return to their defaults, identity is kept', async () => {
      expect(
        (await api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'replace-key', value: 'sk-replace' }))
          .status,
      ).toBe(201);
      const first = await api.request('PUT', `${base}/replaced`, {
        host_url: HOST,
        project: 'p1',
        description: 'first',
        api_key_secret_name: 'replace-key',
        served_models: [{ model_entity_id: `${ws}/m`, served_model_name: 'm' }],
        enabled_models: ['m'],
        status: 'READY',
        status_message: 'ok',
        default_extra_headers: { 'X-A': 'a' },
        required_extra_body: { a: 1 },
        model_deployment_id: `${ws}/dep`,
        auth_context: { a: 1 },
        auth_header_format: 'x-api-key: {{ auth_secret }}',
      });
      expect(first.status).toBe(200);
      expect(first.body.api_key_secret_name).toBe('replace-key');
      expect((await api.request('DELETE', `/v2/workspaces/${ws}/secrets/replace-key`)).status).toBe(409);

      const second = await api.request('PUT', `${base}/replaced`, { host_url: 'https://other.example.com' });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({
        id: first.body.id,
        name: 'replaced',
        workspace: ws,
        host_url: 'https://other.example.com',
        served_models: [],
        status: 'UNKNOWN',
        status_message: '',
        auth_context: { principal_id: 'admin' },
        created_at: first.body.created_at,
        updated_at: expect.stringMatching(ISO),
        created_by: 'admin',
        updated_by: 'admin',
      });
      expect((await api.request('GET', `${base}/replaced`)).body).toEqual(second.body);
      // The secret is no longer referenced, so it can be deleted now.
      expect((await api.request('DELETE', `/v2/workspaces/${ws}/secrets/replace-key`)).status).toBe(204);
    });

    it('concurrent PUTs of a new name create exactly one provider, and every PUT succeeds', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.request('PUT', `${base}/racing`, { host_url: HOST, description: `writer ${i}` }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const list = await api.request('GET', `${base}?filter[name]=racing`);
      expect(list.body.pagination.total_results).toBe(1);
      expect(list.body.data[0].description).toMatch(/^writer \d$/);
    });

    it('concurrent POSTs of one name give one 201 and 409 for the rest', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => api.request('POST', base, { name: 'posting', host_url: HOST })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    });

    it('refuses a name in the body, a missing host_url and a missing secret', async () => {
      const named = await api.request('PUT', `${base}/put-bad`, { name: 'put-bad', host_url: HOST });
      expect(named.status).toBe(422);
      expect(locs(named)).toContainEqual(['body', 'name']);
      const noHost = await api.request('PUT', `${base}/put-bad`, { description: 'x' });
      expect(noHost.status).toBe(422);
      expect(locs(noHost)).toContainEqual(['body', 'host_url']);
      const noSecret = await api.request('PUT', `${base}/put-bad`, {
        host_url: HOST,
        api_key_secret_name: 'missing-key',
      });
      expect(noSecret.status).toBe(422);
      expect(locs(noSecret)).toEqual([['body', 'api_key_secret_name']]);
      expect((await api.request('GET', `${base}/put-bad`)).status).toBe(404);
    });

    it('answers 404 for an unknown workspace', async () => {
      const ghost = uniqueName('ghost');
      const res = await api.request('PUT', `/v2/workspaces/${ghost}/providers/p`, { host_url: HOST });
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Workspace '${ghost}' was not found`);
    });
  });

  describe('PUT status', () => {
    const statusOf = (name: string, body: unknown) => api.request('PUT', `${base}/${name}/status`, body);
    beforeAll(async () => {
      const res = await api.request('POST', base, {
        name: 'stat',
        host_url: HOST,
        description: 'keep',
        api_key_secret_name: 'api-key',
        auth_header_format: 'x-api-key: {{ auth_secret }}',
      });
      expect(res.status).toBe(201);
    });

    it('sets status and message', async () => {
      const res = await statusOf('stat', { status: 'READY', status_message: 'all good' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'READY',
        status_message: 'all good',
        description: 'keep',
        host_url: HOST,
        api_key_secret_name: 'api-key',
      });
    });

    it('a status without a message sets the message to "" (checklist 68)', async () => {
      const res = await statusOf('stat', { status: 'ERROR' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ERROR');
      expect(res.body.status_message).toBe('');
      expect((await api.request('GET', `${base}/stat`)).body.status_message).toBe('');
    });

    it('a message alone keeps the status', async () => {
      const res = await statusOf('stat', { status_message: 'still broken' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ERROR', status_message: 'still broken' });
    });

    it('served_models and model_deployment_id alone leave everything else', async () => {
      const before = (await api.request('GET', `${base}/stat`)).body;
      const served = [{ model_entity_id: `${ws}/llama`, served_model_name: 'meta/llama' }];
      const res = await statusOf('stat', { served_models: served, model_deployment_id: `${ws}/dep-1` });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...before,
        served_models: served,
        model_deployment_id: `${ws}/dep-1`,
        updated_at: expect.stringMatching(ISO),
      });
      const empty = await statusOf('stat', {});
      expect(empty.status).toBe(200);
      const { updated_at: _a, ...kept } = res.body;
      const { updated_at: _b, ...after } = empty.body;
      expect(after).toEqual(kept);
    });

    it('refuses fields outside the status (422), an unknown status (422) and an unknown provider (404)', async () => {
      const extra = await statusOf('stat', { status: 'READY', host_url: 'http://evil.example' });
      expect(extra.status).toBe(422);
      expect(locs(extra)).toContainEqual(['body', 'host_url']);
      const bad = await statusOf('stat', { status: 'FINE' });
      expect(bad.status).toBe(422);
      expect(locs(bad)).toContainEqual(['body', 'status']);
      expect((await api.request('GET', `${base}/stat`)).body.host_url).toBe(HOST);
      const missing = await statusOf('nope', { status: 'READY' });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toContain("'nope'");
    });
  });

  describe('delete', () => {
    it('removes ws/provider from the model_providers of the models that listed it, and nothing else', async () => {
      const other = await newWorkspace(api, 'provd');
      for (const w of [ws, other]) {
        expect(
          (await api.request('POST', `/v2/workspaces/${w}/providers`, { name: 'shared-name', host_url: HOST })).status,
        ).toBe(201);
      }
      const lists: Record<string, string[]> = {
        'uses-it': [`${ws}/shared-name`, `${ws}/minimal`],
        'only-it': [`${ws}/shared-name`],
        'other-ws-same-name': [`${other}/shared-name`],
      };
      for (const [name, model_providers] of Object.entries(lists)) {
        expect((await api.request('POST', `/v2/workspaces/${ws}/models`, { name, model_providers })).status).toBe(201);
      }
      const crossWs = await api.request('POST', `/v2/workspaces/${other}/models`, {
        name: 'cross',
        model_providers: [`${ws}/shared-name`, `${other}/shared-name`],
      });
      expect(crossWs.status).toBe(201);

      const del = await api.request('DELETE', `${base}/shared-name`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await api.request('GET', `${base}/shared-name`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/shared-name`)).status).toBe(404);

      const get = async (w: string, name: string) =>
        (await api.request('GET', `/v2/workspaces/${w}/models/${name}`)).body;
      expect((await get(ws, 'uses-it')).model_providers).toEqual([`${ws}/minimal`]);
      expect((await get(ws, 'only-it')).model_providers).toEqual([]);
      expect((await get(ws, 'other-ws-same-name')).model_providers).toEqual([`${other}/shared-name`]);
      expect((await get(other, 'cross')).model_providers).toEqual([`${other}/shared-name`]);
      // The namesake in the other workspace is untouched.
      expect((await api.request('GET', `/v2/workspaces/${other}/providers/shared-name`)).status).toBe(200);
    });

    it('answers 404 for an unknown provider and an unknown workspace', async () => {
      const res = await api.request('DELETE', `${base}/never-was`);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Model provider 'never-was' was not found in workspace '${ws}'`);
      const ghost = uniqueName('ghost');
      const ws404 = await api.request('DELETE', `/v2/workspaces/${ghost}/providers/p`);
      expect(ws404.status).toBe(404);
      expect(ws404.body.detail).toBe(`Workspace '${ghost}' was not found`);
    });
  });

  describe('list', () => {
    let lws: string;
    let lbase: string;
    const STATUSES: Record<string, string> = {
      'p-ready': 'READY',
      'p-error': 'ERROR',
      'p-unknown': 'UNKNOWN',
      'p-pending': 'PENDING',
      'p-ready2': 'READY',
    };
    beforeAll(async () => {
      lws = await newWorkspace(api, 'provl');
      lbase = `/v2/workspaces/${lws}/providers`;
      for (const [name, status] of Object.entries(STATUSES)) {
        expect((await api.request('POST', lbase, { name, host_url: HOST, status })).status).toBe(201);
      }
    });

    it('lists with the envelope', async () => {
      const res = await api.request('GET', lbase);
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(Object.keys(STATUSES));
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 5,
        total_pages: 1,
        total_results: 5,
      });
    });

    it('filters by status', async () => {
      const ready = await api.request('GET', `${lbase}?filter[status]=READY&sort=name`);
      expect(ready.status).toBe(200);
      expect(names(ready)).toEqual(['p-ready', 'p-ready2']);
      const two = await api.request('GET', `${lbase}?filter[status][]=ERROR&filter[status][]=PENDING&sort=name`);
      expect(names(two)).toEqual(['p-error', 'p-pending']);
      const not = await api.request(
        'GET',
        `${lbase}?filter[status][$nin][]=READY&filter[status][$nin][]=UNKNOWN&sort=name`,
      );
      expect(names(not)).toEqual(['p-error', 'p-pending']);
      const none = await api.request('GET', `${lbase}?filter[status]=LOST`);
      expect(none.status).toBe(200);
      expect(none.body.data).toEqual([]);
    });

    it('refuses an unknown status value and an unknown field with 400', async () => {
      const bad = await api.request('GET', `${lbase}?filter[status]=FINE`);
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('READY');
      expect(bad.body.detail).toContain("'FINE'");
      const like = await api.request('GET', `${lbase}?filter[status][$like]=REA`);
      expect(like.status).toBe(400);
      const field = await api.request('GET', `${lbase}?filter[api_key_secret_name]=x`);
      expect(field.status).toBe(400);
      expect(field.body.detail).toContain('host_url');
    });

    it('sorts by status (lifecycle order of the status enum), ascending and descending', async () => {
      const order = ['UNKNOWN', 'CREATED', 'PENDING', 'READY', 'ERROR', 'DELETING', 'DELETED', 'LOST'];
      const asc = await api.request('GET', `${lbase}?sort=status`);
      expect(asc.status).toBe(200);
      expect(asc.body.sort).toBe('status');
      const ascStatuses = asc.body.data.map((p: { status: string }) => p.status);
      expect(ascStatuses).toEqual([...ascStatuses].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b)));
      expect(ascStatuses).toEqual(['UNKNOWN', 'PENDING', 'READY', 'READY', 'ERROR']);
      const desc = await api.request('GET', `${lbase}?sort=-status`);
      expect(desc.body.data.map((p: { status: string }) => p.status)).toEqual([
        'ERROR',
        'READY',
        'READY',
        'PENDING',
        'UNKNOWN',
      ]);
    });

    it('sorts by name', async () => {
      const res = await api.request('GET', `${lbase}?sort=-name`);
      expect(names(res)).toEqual(Object.keys(STATUSES).sort().reverse());
    });

    it.each(['host_url', 'bogus', '-description'])('refuses sort=%s with 422 naming query.sort', async (sort) => {
      const res = await api.request('GET', `${lbase}?sort=${sort}`);
      expect(res.status).toBe(422);
      expect(locs(res)).toContainEqual(['query', 'sort']);
      expect(res.body.detail[0].msg).toContain('status');
    });

    it('filter[workspace] and the - workspace reach providers elsewhere', async () => {
      const viaOther = await api.request('GET', `${base}?filter[workspace]=${lws}&filter[status]=PENDING`);
      expect(viaOther.body.data.map((p: { workspace: string; name: string }) => [p.workspace, p.name])).toEqual([
        [lws, 'p-pending'],
      ]);
      const all = await api.request('GET', `/v2/workspaces/-/providers?filter[name]=p-ready2`);
      expect(all.body.data.map((p: { workspace: string }) => p.workspace)).toContain(lws);
    });
  });
});
