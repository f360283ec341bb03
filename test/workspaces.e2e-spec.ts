import { jest } from '@jest/globals';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(60_000);

const ID = /^workspace-[0-9a-f]{20}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('workspaces', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('create', () => {
    it('returns 201 with id, name, timestamps and its creator, omitting null fields', async () => {
      const name = uniqueName('wsc');
      const res = await api.request('POST', '/v2/workspaces', { name });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(ID),
        name,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        created_by: 'admin',
        updated_by: 'admin',
      });
      expect(Object.keys(res.body).sort()).toEqual([
        'created_at',
        'created_by',
        'id',
        'name',
        'updated_at',
        'updated_by',
      ]);
      expect(res.text).not.toContain('null');
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    });

    it('keeps a description when one is given', async () => {
      const name = uniqueName('wsd');
      const res = await api.request('POST', '/v2/workspaces', { name, description: 'Team A models' });
      expect(res.status).toBe(201);
      expect(res.body.description).toBe('Team A models');
      const got = await api.request('GET', `/v2/workspaces/${name}`);
      expect(got.body).toEqual(res.body);
    });

    it('gives every workspace its own id', async () => {
      const a = await api.request('POST', '/v2/workspaces', { name: uniqueName('wsi') });
      const b = await api.request('POST', '/v2/workspaces', { name: uniqueName('wsi') });
      expect(a.body.id).not.toBe(b.body.id);
    });

    it('refuses a duplicate name with 409 naming it', async () => {
      const name = await newWorkspace(api, 'wsdup');
      const res = await api.request('POST', '/v2/workspaces', { name });
      expect(res.status).toBe(409);
      expect(typeof res.body.detail).toBe('string');
      expect(res.body.detail).toContain(`'${name}'`);
      expect(res.body.detail).toMatch(/already exists/);
    });

    it.each([
      ['spaces and capitals', 'Bad Name'],
      ['capitals', 'Team-A'],
      ['one character', 'a'],
      ['a leading digit', '1team'],
      ['a leading dash', '-team'],
      ['a trailing dash', 'team-'],
      ['a double dash', 'team--a'],
      ['a slash', 'team/a'],
      ['64 characters', 'a'.repeat(64)],
      ['the empty string', ''],
      ['the all-workspaces marker', '-'],
    ])('refuses a name with %s with a 422 list naming body.name', async (_label, name) => {
      const res = await api.request('POST', '/v2/workspaces', { name });
      expect(res.status).toBe(422);
      expect(Array.isArray(res.body.detail)).toBe(true);
      for (const issue of res.body.detail) {
        expect(issue).toEqual({ type: expect.any(String), loc: expect.any(Array), msg: expect.any(String) });
      }
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'name']);
    });

    it('accepts a name of 63 characters with the allowed punctuation', async () => {
      const name = `w${uniqueName('').slice(1)}.a@b+c_d`.padEnd(63, 'x');
      expect(name).toHaveLength(63);
      const res = await api.request('POST', '/v2/workspaces', { name });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
    });

    it('refuses a non-string name and a missing name', async () => {
      for (const body of [{ name: 42 }, {}, { name: null }]) {
        const res = await api.request('POST', '/v2/workspaces', body);
        expect(res.status).toBe(422);
        expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'name']);
      }
    });

    it('refuses unknown fields with a 422 naming each of them', async () => {
      const res = await api.request('POST', '/v2/workspaces', { name: uniqueName('wsu'), colour: 'red', owner: 'me' });
      expect(res.status).toBe(422);
      const locs = res.body.detail.map((i: { loc: unknown }) => i.loc);
      expect(locs).toContainEqual(['body', 'colour']);
      expect(locs).toContainEqual(['body', 'owner']);
      expect(res.body.detail.find((i: { loc: string[] }) => i.loc[1] === 'colour').type).toBe('extra_forbidden');
    });

    it('refuses a body that is not an object', async () => {
      for (const body of ['[1,2]', '"name"', 'null']) {
        const res = await api.request('POST', '/v2/workspaces', body);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.detail).toBeDefined();
      }
    });

    it('refuses malformed JSON with 400', async () => {
      const res = await api.request('POST', '/v2/workspaces', '{"name": "x"');
      expect(res.status).toBe(400);
      expect(typeof res.body.detail).toBe('string');
    });

    it('refuses text containing NUL with a 4xx, not a database error', async () => {
      const res = await api.request('POST', '/v2/workspaces', { name: uniqueName('wsn'), description: 'a\u0000b' });
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['body', 'description']);
    });
  });

  describe('get', () => {
    it('returns the workspace as created', async () => {
      const name = uniqueName('wsg');
      const created = await api.request('POST', '/v2/workspaces', { name });
      const res = await api.request('GET', `/v2/workspaces/${name}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created.body);
    });

    it('answers 404 with a detail naming an unknown workspace', async () => {
      const name = uniqueName('nows');
      const res = await api.request('GET', `/v2/workspaces/${name}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: `Workspace '${name}' was not found`, code: 'workspace/not_found' });
    });

    it('answers a 4xx, not a 500, for a name containing NUL', async () => {
      const res = await api.request('GET', '/v2/workspaces/a%00b');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('list', () => {
    const prefix = uniqueName('wsl');
    const names = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
    beforeAll(async () => {
      for (const name of names) expect((await api.request('POST', '/v2/workspaces', { name })).status).toBe(201);
    });

    it('returns the envelope with data, pagination, sort and the filter sent', async () => {
      const res = await api.request('GET', `/v2/workspaces?filter[name][$like]=${prefix}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'filter', 'pagination', 'sort']);
      // The filter it sent, parsed, as NeMo's envelope echoes it.
      expect(res.body.filter).toEqual({ name: { $like: prefix } });
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 3,
        total_pages: 1,
        total_results: 3,
      });
      expect(res.body.sort).toBe('created_at');
      expect(res.body.data.map((w: { name: string }) => w.name)).toEqual(names);
      for (const w of res.body.data) expect(w.id).toMatch(ID);
    });

    it('pages, sorts by name and filters by exact name', async () => {
      const page2 = await api.request(
        'GET',
        `/v2/workspaces?filter[name][$like]=${prefix}&sort=-name&page=2&page_size=2`,
      );
      expect(page2.status).toBe(200);
      expect(page2.body.pagination).toEqual({
        page: 2,
        page_size: 2,
        current_page_size: 1,
        total_pages: 2,
        total_results: 3,
      });
      expect(page2.body.sort).toBe('-name');
      expect(page2.body.data.map((w: { name: string }) => w.name)).toEqual([`${prefix}-a`]);

      const exact = await api.request('GET', `/v2/workspaces?filter[name]=${prefix}-b`);
      expect(exact.body.data.map((w: { name: string }) => w.name)).toEqual([`${prefix}-b`]);
    });

    it('reports an empty result with total_pages 1', async () => {
      const res = await api.request('GET', `/v2/workspaces?filter[name]=${uniqueName('none')}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 0,
        total_pages: 1,
        total_results: 0,
      });
    });

    it('refuses an unknown sort field (422) and an unknown filter field (400)', async () => {
      const sort = await api.request('GET', '/v2/workspaces?sort=colour');
      expect(sort.status).toBe(422);
      expect(sort.body.detail[0].loc).toEqual(['query', 'sort']);
      const filter = await api.request('GET', '/v2/workspaces?filter[colour]=red');
      expect(filter.status).toBe(400);
      expect(filter.body.detail).toContain("'colour'");
    });
  });

  describe('delete', () => {
    it('answers 204, then the workspace is gone (404) and its name is free again', async () => {
      const name = await newWorkspace(api, 'wsdel');
      const del = await api.request('DELETE', `/v2/workspaces/${name}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await api.request('GET', `/v2/workspaces/${name}`)).status).toBe(404);
      const again = await api.request('DELETE', `/v2/workspaces/${name}`);
      expect(again.status).toBe(404);
      expect(again.body.detail).toContain(`'${name}'`);
      expect((await api.request('POST', '/v2/workspaces', { name })).status).toBe(201);
    });

    it('answers 404 for an unknown workspace', async () => {
      const name = uniqueName('nows');
      const res = await api.request('DELETE', `/v2/workspaces/${name}`);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Workspace '${name}' was not found`);
    });

    it('is refused with 409 while a deployment is not DELETED, then cascades once it is', async () => {
      const ws = await newWorkspace(api, 'wsdep');
      const base = `/v2/workspaces/${ws}`;
      expect((await api.request('POST', `${base}/secrets`, { name: 'key', value: 'sk-cascade' })).status).toBe(201);
      expect((await api.request('POST', `${base}/models`, { name: 'model-a' })).status).toBe(201);
      expect(
        (
          await api.request('POST', `${base}/providers`, {
            name: 'prov-a',
            host_url: 'http://127.0.0.1:9',
            api_key_secret_name: 'key',
          })
        ).status,
      ).toBe(201);
      const config = await api.request('POST', `${base}/deployment-configs`, nimConfig('cfg-a'));
      expect(config.status).toBe(201);
      const dep = await api.request('POST', `${base}/deployments`, { name: 'dep-a', config: 'cfg-a' });
      expect(dep.status).toBe(201);
      expect(dep.body.status).toBe('CREATED');

      const refused = await api.request('DELETE', `/v2/workspaces/${ws}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('dep-a');
      expect(refused.body.detail).toContain('CREATED');
      // Nothing was removed.
      expect((await api.request('GET', `${base}/models/model-a`)).status).toBe(200);

      expect((await api.request('POST', `${base}/deployments/dep-a/status`, { status: 'DELETING' })).status).toBe(200);
      const stillRefused = await api.request('DELETE', `/v2/workspaces/${ws}`);
      expect(stillRefused.status).toBe(409);
      expect(stillRefused.body.detail).toContain('DELETING');

      const deleted = await api.request('POST', `${base}/deployments/dep-a/status`, { status: 'DELETED' });
      expect(deleted.status).toBe(200);
      expect(deleted.body.status).toBe('DELETED');

      expect((await api.request('DELETE', `/v2/workspaces/${ws}`)).status).toBe(204);
      expect((await api.request('GET', `/v2/workspaces/${ws}`)).status).toBe(404);
      for (const kind of ['models', 'secrets', 'providers', 'deployment-configs', 'deployments']) {
        const res = await api.request('GET', `${base}/${kind}`);
        expect([kind, res.status]).toEqual([kind, 404]);
      }

      // Recreated under the same name, the workspace is empty: the contents went with it.
      expect((await api.request('POST', '/v2/workspaces', { name: ws })).status).toBe(201);
      for (const kind of ['models', 'secrets', 'providers', 'deployment-configs', 'deployments']) {
        const res = await api.request('GET', `${base}/${kind}`);
        expect([kind, res.status, res.body.pagination.total_results]).toEqual([kind, 200, 0]);
      }
      expect((await api.request('GET', `${base}/models/model-a`)).status).toBe(404);
    });
  });

  describe('the HTTP edges', () => {
    it('refuses a body over the size limit with 413', async () => {
      const res = await api.request(
        'POST',
        '/v2/workspaces',
        JSON.stringify({ name: uniqueName('big'), description: 'x'.repeat(2_000_000) }),
      );
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/larger than the limit of \d+ bytes/);
    });

    it('answers an unknown route with 404 {detail, code}', async () => {
      const res = await api.request('GET', '/v2/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found: GET /v2/nothing-here', code: 'route/not_found' });
    });

    it('serves the OpenAPI document with the workspace paths', async () => {
      const res = await api.request('GET', '/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/v2/workspaces', '/v2/workspaces/{workspace}', '/v2/workspaces/{workspace}/models']),
      );
    });
  });

  describe('nested resources in an unknown workspace', () => {
    const ws = uniqueName('ghost');

    it.each(['models', 'secrets', 'providers', 'deployment-configs', 'deployments', 'virtual-models'])(
      'GET list of %s → 404 naming the workspace',
      async (kind) => {
        const res = await api.request('GET', `/v2/workspaces/${ws}/${kind}`);
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe(`Workspace '${ws}' was not found`);
      },
    );

    it.each(['models', 'secrets', 'providers', 'deployment-configs', 'deployments', 'virtual-models'])(
      'GET one of %s → 404 naming the workspace',
      async (kind) => {
        const res = await api.request('GET', `/v2/workspaces/${ws}/${kind}/thing`);
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe(`Workspace '${ws}' was not found`);
      },
    );

    it.each([
      ['models', { name: 'model-a' }],
      ['secrets', { name: 'key', value: 'sk-ghost' }],
      ['providers', { name: 'prov-a', host_url: 'http://127.0.0.1:9' }],
      ['deployment-configs', nimConfig('cfg-a')],
    ])('POST %s → 404 naming the workspace', async (kind, body) => {
      const res = await api.request('POST', `/v2/workspaces/${ws}/${kind}`, body);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Workspace '${ws}' was not found`);
      expect(res.text).not.toContain('sk-ghost');
    });

    it('did not create the workspace as a side effect', async () => {
      expect((await api.request('GET', `/v2/workspaces/${ws}`)).status).toBe(404);
    });
  });
});
