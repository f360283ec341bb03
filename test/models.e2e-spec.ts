import { jest } from '@jest/globals';
import { newWorkspace, startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const enc = encodeURIComponent;
const names = (res: ApiResponse): string[] => res.body.data.map((m: { name: string }) => m.name);
const locs = (res: ApiResponse): unknown[] => res.body.detail.map((i: { loc: unknown }) => i.loc);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('models', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('create, get, PATCH, delete', () => {
    let ws: string;
    let base: string;
    beforeAll(async () => {
      ws = await newWorkspace(api, 'mdl');
      base = `/v2/workspaces/${ws}/models`;
    });

    const full = () => ({
      name: 'llama-full',
      project: 'team-a/nlp',
      description: 'A fully described model',
      spec: { family: 'llama', num_layers: 32, context_size: 8192, is_chat: true },
      finetuning_type: 'lora',
      fileset: 'default/llama-weights',
      trust_remote_code: true,
      base_model: 'meta/llama-3.1-8b-instruct',
      api_endpoint: {
        url: 'https://integrate.api.nvidia.com/v1',
        model_id: 'meta/llama-3.1-8b-instruct',
        format: 'openai',
      },
      backend_format: 'ANTHROPIC_MESSAGES',
      // No `adapters`: read-only on a model, written through the adapters endpoints (adapters.e2e-spec.ts).
      prompt: {
        system_prompt: 'You are helpful.',
        icl_few_shot_examples: [{ input: 'hi', output: 'hello' }],
        inference_params: { temperature: 0.2 },
        system_prompt_template: '{{ system }}',
      },
      custom_fields: { team: 'a', budget: 3 },
      ownership: { owner: 'alice' },
      model_providers: [`${ws}/prov-a`, 'other/prov-b'],
    });

    it('creates with only a name: defaults, no spec, nulls omitted', async () => {
      const res = await api.request('POST', base, { name: 'bare' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^model-[0-9a-f]{20}$/),
        name: 'bare',
        workspace: ws,
        trust_remote_code: false,
        custom_fields: {},
        model_providers: [],
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        created_by: 'admin', // the bootstrap key's principal
        updated_by: 'admin',
      });
      expect(res.body).not.toHaveProperty('spec');
      expect(res.text).not.toContain('null');
      expect((await api.request('GET', `${base}/bare`)).body).toEqual(res.body);
    });

    it('creates with every field and returns them all', async () => {
      const body = full();
      const res = await api.request('POST', base, body);
      expect(res.status).toBe(201);
      const { name, ...rest } = body;
      expect(res.body).toEqual({
        ...rest,
        name,
        id: expect.any(String),
        workspace: ws,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        created_by: 'admin',
        updated_by: 'admin',
      });
      const got = await api.request('GET', `${base}/llama-full`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('refuses a duplicate name with 409 naming workspace and name', async () => {
      const res = await api.request('POST', base, { name: 'bare' });
      expect(res.status).toBe(409);
      expect(res.body.detail).toBe(`Model with workspace '${ws}' and name 'bare' already exists`);
    });

    it('PATCH: omitted and null fields keep their values', async () => {
      const before = (await api.request('GET', `${base}/llama-full`)).body;
      const res = await api.request('PATCH', `${base}/llama-full`, {
        description: null,
        spec: null,
        finetuning_type: null,
        trust_remote_code: null,
        api_endpoint: null,
        prompt: null,
        custom_fields: null,
        model_providers: null,
        ownership: null,
      });
      expect(res.status).toBe(200);
      const { updated_at: _u1, ...keptFields } = before;
      const { updated_at: _u2, ...afterFields } = res.body;
      expect(afterFields).toEqual(keptFields);
      const empty = await api.request('PATCH', `${base}/llama-full`, {});
      expect(empty.status).toBe(200);
      const { updated_at: _u3, ...afterEmpty } = empty.body;
      expect(afterEmpty).toEqual(keptFields);
    });

    it('PATCH: fields with values change, the rest stay', async () => {
      const before = (await api.request('GET', `${base}/llama-full`)).body;
      await sleep(5);
      const res = await api.request('PATCH', `${base}/llama-full`, {
        description: 'changed',
        finetuning_type: 'dora',
        trust_remote_code: false,
        custom_fields: { team: 'b' },
        model_providers: [],
        spec: { family: 'mistral' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...before,
        description: 'changed',
        finetuning_type: 'dora',
        trust_remote_code: false,
        custom_fields: { team: 'b' },
        model_providers: [],
        spec: { family: 'mistral' },
        updated_at: expect.stringMatching(ISO),
      });
      expect(res.body.created_at).toBe(before.created_at);
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
      expect((await api.request('GET', `${base}/llama-full`)).body).toEqual(res.body);
    });

    it('PATCH refuses name and project (not updatable) with 422', async () => {
      const res = await api.request('PATCH', `${base}/bare`, { name: 'renamed', project: 'p' });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual(
        expect.arrayContaining([
          ['body', 'name'],
          ['body', 'project'],
        ]),
      );
      expect((await api.request('GET', `${base}/renamed`)).status).toBe(404);
    });

    it('PATCH of an unknown model is a 404', async () => {
      const res = await api.request('PATCH', `${base}/nope`, { description: 'x' });
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Model 'nope' was not found in workspace '${ws}'`);
    });

    it('refuses api_endpoint.api_key on create and PATCH with 422 naming it, without echoing it', async () => {
      const key = `sk-${uniqueName('key')}`;
      const create = await api.request('POST', base, {
        name: 'with-key',
        api_endpoint: { url: 'https://x.example/v1', api_key: key },
      });
      expect(create.status).toBe(422);
      expect(locs(create)).toContainEqual(['body', 'api_endpoint', 'api_key']);
      expect(create.text).not.toContain(key);
      expect(create.body.detail[0].msg).toMatch(/secret/);
      expect((await api.request('GET', `${base}/with-key`)).status).toBe(404);

      const patch = await api.request('PATCH', `${base}/bare`, { api_endpoint: { api_key: key } });
      expect(patch.status).toBe(422);
      expect(locs(patch)).toContainEqual(['body', 'api_endpoint', 'api_key']);
      expect(patch.text).not.toContain(key);
    });

    it.each([
      ['an invalid finetuning_type', { finetuning_type: 'super_lora' }, ['body', 'finetuning_type']],
      ['an invalid backend_format', { backend_format: 'GRPC' }, ['body', 'backend_format']],
      ['an invalid fileset', { fileset: 'no-slash' }, ['body', 'fileset']],
      ['an invalid model_providers entry', { model_providers: ['no-slash'] }, ['body', 'model_providers']],
      ['a spec that is an array', { spec: [1, 2] }, ['body', 'spec']],
      ['a string trust_remote_code', { trust_remote_code: 'yes' }, ['body', 'trust_remote_code']],
      ['a description that is too long', { description: 'x'.repeat(1001) }, ['body', 'description']],
      ['a non-http api_endpoint.url', { api_endpoint: { url: 'ftp://x' } }, ['body', 'api_endpoint', 'url']],
      ['an unknown field', { weights: 'x' }, ['body', 'weights']],
      ['a NUL inside custom_fields', { custom_fields: { a: 'x\u0000y' } }, ['body', 'custom_fields', 'a']],
    ])('refuses %s with 422 naming it', async (_label, fields, loc) => {
      const name = uniqueName('bad');
      const res = await api.request('POST', base, { name, ...fields });
      expect(res.status).toBe(422);
      expect(locs(res)).toContainEqual(loc);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
    });

    it('refuses invalid names with 422', async () => {
      for (const name of ['Llama', 'a', 'has space', 'x--y', 'ends-', 'a'.repeat(64)]) {
        const res = await api.request('POST', base, { name });
        expect([name, res.status]).toEqual([name, 422]);
        expect(locs(res)).toContainEqual(['body', 'name']);
      }
    });

    it('accepts every finetuning_type of the reference', async () => {
      const res = await api.request('POST', base, { name: 'ft-grpo', finetuning_type: 'grpo' });
      expect(res.status).toBe(201);
      expect(res.body.finetuning_type).toBe('grpo');
    });

    it('deletes: 204, then 404 on get and delete', async () => {
      expect((await api.request('POST', base, { name: 'doomed' })).status).toBe(201);
      const res = await api.request('DELETE', `${base}/doomed`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const get = await api.request('GET', `${base}/doomed`);
      expect(get.status).toBe(404);
      expect(get.body.detail).toBe(`Model 'doomed' was not found in workspace '${ws}'`);
      expect((await api.request('DELETE', `${base}/doomed`)).status).toBe(404);
      // The name can be reused.
      expect((await api.request('POST', base, { name: 'doomed' })).status).toBe(201);
    });
  });

  describe('lists: filters, sorting, paging', () => {
    let ws: string;
    let base: string;
    const created: Record<string, { created_at: string }> = {};
    const ALL = ['m-a', 'm-b', 'm-c', 'm-d', 'm-e'];
    const list = (query: string) => api.request('GET', `${base}?${query}`);

    beforeAll(async () => {
      ws = await newWorkspace(api, 'mls');
      base = `/v2/workspaces/${ws}/models`;
      for (const name of ALL) {
        const res = await api.request('POST', base, {
          name,
          description: `model ${name}`,
          trust_remote_code: name === 'm-e',
          finetuning_type: name === 'm-b' ? 'lora' : undefined,
        });
        expect(res.status).toBe(201);
        created[name] = res.body;
        await sleep(3);
      }
    });

    it('lists in created_at order by default, scoped to the workspace', async () => {
      const res = await list('');
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(ALL);
      expect(res.body.sort).toBe('created_at');
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 5,
        total_pages: 1,
        total_results: 5,
      });
      expect(new Set(ALL.map((n) => created[n].created_at)).size).toBe(5);
    });

    describe('filters', () => {
      it.each([
        ['bracket equality', 'filter[name]=m-b', ['m-b']],
        ['bracket $eq', 'filter[name][$eq]=m-c', ['m-c']],
        ['bracket $like (case-insensitive substring)', 'filter[name][$like]=M-', ALL],
        ['bracket $like on description', 'filter[description][$like]=model m-d', ['m-d']],
        ['bracket list = $in', 'filter[name][]=m-a&filter[name][]=m-c', ['m-a', 'm-c']],
        ['bracket list with one value', 'filter[name][]=m-d', ['m-d']],
        ['bracket $in', 'filter[name][$in][]=m-b&filter[name][$in][]=m-e', ['m-b', 'm-e']],
        ['bracket $nin', 'filter[name][$nin][]=m-a&filter[name][$nin][]=m-b', ['m-c', 'm-d', 'm-e']],
        ['bracket $ne', 'filter[name][$ne]=m-a', ['m-b', 'm-c', 'm-d', 'm-e']],
        ['JSON $in', `filter=${enc('{"name":{"$in":["m-a","m-b"]}}')}`, ['m-a', 'm-b']],
        ['JSON equality', `filter=${enc('{"name":"m-e"}')}`, ['m-e']],
        ['JSON list = $in', `filter=${enc('{"name":["m-c","m-d"]}')}`, ['m-c', 'm-d']],
        ['bool field', 'filter[trust_remote_code]=true', ['m-e']],
        ['bool field false', 'filter[trust_remote_code]=false', ['m-a', 'm-b', 'm-c', 'm-d']],
        ['finetuning_type', 'filter[finetuning_type]=lora', ['m-b']],
        ['$eq null (unset field)', `filter=${enc('{"finetuning_type":null}')}`, ['m-a', 'm-c', 'm-d', 'm-e']],
        [
          'two fields (AND)',
          'filter[name][$like]=m-&filter[trust_remote_code]=false&filter[name][$ne]=m-d',
          ['m-a', 'm-b', 'm-c'],
        ],
        ['two operators on one field', 'filter[name][$gte]=m-b&filter[name][$lt]=m-d', ['m-b', 'm-c']],
        [
          '$and',
          `filter=${enc('{"$and":[{"name":{"$like":"m-"}},{"name":{"$ne":"m-a"}},{"name":{"$ne":"m-e"}}]}')}`,
          ['m-b', 'm-c', 'm-d'],
        ],
        ['$or', `filter=${enc('{"$or":[{"name":"m-a"},{"trust_remote_code":true}]}')}`, ['m-a', 'm-e']],
        ['$or in brackets', 'filter[$or][0][name]=m-b&filter[$or][1][name]=m-d', ['m-b', 'm-d']],
        ['$not', `filter=${enc('{"$not":{"name":{"$in":["m-a","m-b"]}}}')}`, ['m-c', 'm-d', 'm-e']],
        [
          'nested $or inside $and',
          `filter=${enc('{"$and":[{"$or":[{"name":"m-a"},{"name":"m-b"},{"name":"m-c"}]},{"$not":{"name":"m-b"}}]}')}`,
          ['m-a', 'm-c'],
        ],
        ['no match', 'filter[name]=zzz', []],
      ])('%s', async (_label, query, expected) => {
        const res = await list(query);
        expect(res.status).toBe(200);
        expect(names(res)).toEqual(expected);
        expect(res.body.pagination.total_results).toBe(expected.length);
      });

      it('$lt, $lte, $gt and $gte on created_at', async () => {
        const t = created['m-c'].created_at;
        const cases: [string, string[]][] = [
          ['$lt', ['m-a', 'm-b']],
          ['$lte', ['m-a', 'm-b', 'm-c']],
          ['$gt', ['m-d', 'm-e']],
          ['$gte', ['m-c', 'm-d', 'm-e']],
        ];
        for (const [op, expected] of cases) {
          const res = await list(`filter[created_at][${op}]=${enc(t)}`);
          expect([op, res.status, names(res)]).toEqual([op, 200, expected]);
        }
        const json = await list(
          `filter=${enc(JSON.stringify({ created_at: { $gt: created['m-a'].created_at, $lt: created['m-e'].created_at } }))}`,
        );
        expect(names(json)).toEqual(['m-b', 'm-c', 'm-d']);
        const exact = await list(`filter[created_at]=${enc(t)}`);
        expect(names(exact)).toEqual(['m-c']);
        const dateOnly = await list('filter[created_at][$gt]=2000-01-01');
        expect(names(dateOnly)).toEqual(ALL);
      });

      it('refuses an unknown field with 400 naming the allowed fields', async () => {
        const res = await list('filter[colour]=red');
        expect(res.status).toBe(400);
        expect(res.body.detail).toContain("'colour'");
        for (const field of ['name', 'description', 'created_at', 'updated_at', 'finetuning_type'])
          expect(res.body.detail).toContain(field);
        const nested = await list(`filter=${enc('{"$or":[{"name":"m-a"},{"colour":"red"}]}')}`);
        expect(nested.status).toBe(400);
        expect(nested.body.detail).toContain("'colour'");
      });

      it.each([
        ['unknown operator', 'filter[name][$regex]=m', /\$regex/],
        ['$like on a date', 'filter[created_at][$like]=2020', /\$like/],
        ['$lt on a boolean', 'filter[trust_remote_code][$lt]=true', /boolean/],
        ['a non-boolean', 'filter[trust_remote_code]=maybe', /true or false/],
        ['a non-date', 'filter[created_at][$gt]=yesterday', /date/],
        ['an impossible date', 'filter[created_at][$gt]=2020-13-45', /date/],
        ['an empty condition', `filter=${enc('{"name":{}}')}`, /empty/],
        ['$like with a list', 'filter[name][$like][]=a', /\$like/],
        ['an object where a value belongs', `filter=${enc('{"name":{"$eq":{"a":1}}}')}`, /name/],
        ['invalid JSON', `filter=${enc('{"name":')}`, /JSON/],
        ['a JSON array', `filter=${enc('[{"name":"m-a"}]')}`, /object/],
        ['a JSON string (read as the text form)', `filter=${enc('"m-a"')}`, /expected a field name/],
        ['$and with a non-list of objects', `filter=${enc('{"$and":["x"]}')}`, /\$and/],
        ['$or with an empty list', `filter=${enc('{"$or":[]}')}`, /\$or/],
        ['$not with a value', `filter=${enc('{"$not":"x"}')}`, /\$not/],
        ['a prototype key', `filter=${enc('{"__proto__":{"name":"m-a"}}')}`, /__proto__/],
        ['a constructor key', `filter=${enc('{"constructor":"x"}')}`, /constructor/],
        [
          'more than 1000 $in values',
          `filter=${enc(JSON.stringify({ name: { $in: Array.from({ length: 1001 }, (_, i) => `n${i}`) } }))}`,
          /1000/,
        ],
      ])('refuses %s with 400', async (_label, query, message) => {
        const res = await list(query);
        expect(res.status).toBe(400);
        expect(res.body.detail).toMatch(/^Invalid filter: /);
        expect(res.body.detail).toMatch(message);
      });

      it('refuses filters nested deeper than the limit with 400', async () => {
        let filter: Record<string, unknown> = { name: 'm-a' };
        for (let i = 0; i < 12; i++) filter = { $and: [filter] };
        const res = await list(`filter=${enc(JSON.stringify(filter))}`);
        expect(res.status).toBe(400);
        expect(res.body.detail).toMatch(/deeper/);
        let shallow: Record<string, unknown> = { name: 'm-a' };
        for (let i = 0; i < 4; i++) shallow = { $and: [shallow] };
        const ok = await list(`filter=${enc(JSON.stringify(shallow))}`);
        expect(names(ok)).toEqual(['m-a']);
      });
    });

    describe('sorting', () => {
      it.each([
        ['name', ALL],
        ['-name', [...ALL].reverse()],
        ['created_at', ALL],
        ['-created_at', [...ALL].reverse()],
        ['updated_at', ALL],
      ])('sort=%s', async (sort, expected) => {
        const res = await list(`sort=${sort}`);
        expect(res.status).toBe(200);
        expect(names(res)).toEqual(expected);
        expect(res.body.sort).toBe(sort);
      });

      it.each(['bogus', '-bogus', 'description', '--name', 'name,created_at'])(
        'refuses sort=%s with 422 naming query.sort',
        async (sort) => {
          const res = await list(`sort=${enc(sort)}`);
          expect(res.status).toBe(422);
          expect(locs(res)).toContainEqual(['query', 'sort']);
          expect(res.body.detail[0].msg).toMatch(/created_at/);
        },
      );
    });

    describe('paging', () => {
      it('splits into pages; the last page is partial', async () => {
        const p1 = await list('page_size=2&sort=name');
        expect(names(p1)).toEqual(['m-a', 'm-b']);
        expect(p1.body.pagination).toEqual({
          page: 1,
          page_size: 2,
          current_page_size: 2,
          total_pages: 3,
          total_results: 5,
        });
        const p2 = await list('page_size=2&sort=name&page=2');
        expect(names(p2)).toEqual(['m-c', 'm-d']);
        const p3 = await list('page_size=2&sort=name&page=3');
        expect(names(p3)).toEqual(['m-e']);
        expect(p3.body.pagination).toEqual({
          page: 3,
          page_size: 2,
          current_page_size: 1,
          total_pages: 3,
          total_results: 5,
        });
      });

      it('a page beyond the end is empty, with 200', async () => {
        for (const page of [4, 1000, 2_147_483_647]) {
          const res = await list(`page_size=2&page=${page}`);
          expect(res.status).toBe(200);
          expect(res.body.data).toEqual([]);
          expect(res.body.pagination).toEqual({
            page,
            page_size: 2,
            current_page_size: 0,
            total_pages: 3,
            total_results: 5,
          });
        }
      });

      it('page_size 1 and 1000 are valid', async () => {
        const one = await list('page_size=1&page=5&sort=name');
        expect(one.status).toBe(200);
        expect(names(one)).toEqual(['m-e']);
        expect(one.body.pagination).toEqual({
          page: 5,
          page_size: 1,
          current_page_size: 1,
          total_pages: 5,
          total_results: 5,
        });
        const max = await list('page_size=1000');
        expect(max.status).toBe(200);
        expect(max.body.pagination.page_size).toBe(1000);
        expect(names(max)).toEqual(ALL);
      });

      it.each([
        ['page_size=1001', 'page_size'],
        ['page_size=0', 'page_size'],
        ['page_size=-5', 'page_size'],
        ['page_size=abc', 'page_size'],
        ['page_size=2.5', 'page_size'],
        ['page=0', 'page'],
        ['page=-1', 'page'],
        ['page=abc', 'page'],
        ['page=1.5', 'page'],
        ['page=99999999999999999999', 'page'],
      ])('refuses %s with 422 naming it', async (query, param) => {
        const res = await list(query);
        expect(res.status).toBe(422);
        expect(locs(res)).toContainEqual(['query', param]);
      });

      it('an empty workspace lists nothing with total_pages 1', async () => {
        const empty = await newWorkspace(api, 'mempty');
        const res = await api.request('GET', `/v2/workspaces/${empty}/models`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          data: [],
          pagination: { page: 1, page_size: 100, current_page_size: 0, total_pages: 1, total_results: 0 },
          sort: 'created_at',
        });
      });
    });
  });

  describe('hostile filters', () => {
    let ws: string;
    let base: string;
    const list = (query: string) => api.request('GET', `${base}?${query}`);

    beforeAll(async () => {
      ws = await newWorkspace(api, 'mhost');
      base = `/v2/workspaces/${ws}/models`;
      for (const [name, description] of [
        ['a_b-1', '100% C:\\models\\a'],
        ['axb-1', 'it\'s a "quoted" 1000 model'],
        ['plain-1', 'plain text'],
      ]) {
        expect((await api.request('POST', base, { name, description })).status).toBe(201);
      }
    });

    it.each([
      // $like is NeMo's ILIKE '%' || value || '%': % and _ are wildcards, a backslash escapes.
      ['_ in $like is any one character', 'filter[name][$like]=a_b', ['a_b-1', 'axb-1']],
      ['_ alone matches every non-empty name', 'filter[name][$like]=_', ['a_b-1', 'axb-1', 'plain-1']],
      ['% alone matches everything', 'filter[name][$like]=%25', ['a_b-1', 'axb-1', 'plain-1']],
      ['%% is one wildcard', 'filter[name][$like]=b%25%25', ['a_b-1', 'axb-1']],
      ['0% matches a 0 followed by anything', 'filter[description][$like]=0%25', ['a_b-1', 'axb-1']],
      ['a lone backslash escapes the next character', `filter[description][$like]=${enc('C:\\models')}`, []],
      [
        'a doubled backslash is a literal backslash',
        `filter[description][$like]=${enc('C:\\\\models\\\\')}`,
        ['a_b-1'],
      ],
      ['an unpaired trailing backslash is literal', `filter[name][$like]=${enc('a\\')}`, []],
      ['backslash before _', `filter[name][$like]=${enc('a\\_b')}`, ['a_b-1']],
      ['backslash before %', `filter[description][$like]=${enc('100\\%')}`, ['a_b-1']],
      ['single quote in $like', `filter[description][$like]=${enc("it's")}`, ['axb-1']],
      ['double quote in $like', `filter[description][$like]=${enc('"quoted"')}`, ['axb-1']],
      ['single quote in equality', `filter[name]=${enc("a_b-1'")}`, []],
      ['SQL injection in equality', `filter[name]=${enc("'; DROP TABLE models; --")}`, []],
      ['SQL injection in $like', `filter[name][$like]=${enc("'; DROP TABLE models; --")}`, []],
      ['SQL injection in $in', `filter[name][]=${enc("a_b-1') OR ('1'='1")}&filter[name][]=${enc('x" OR 1=1 --')}`, []],
      [
        'SQL injection in JSON',
        `filter=${enc(JSON.stringify({ $or: [{ name: "x' OR '1'='1" }, { description: { $like: "%' OR 1=1 --" } }] }))}`,
        [],
      ],
      ['SQL injection in a date', `filter[created_at][$gt]=${enc("2020-01-01'; DROP TABLE models; --")}`, null],
      ['SQL injection as a field name', `filter=${enc(JSON.stringify({ 'name; DROP TABLE models': 'x' }))}`, null],
      ['SQL injection in sort', `sort=${enc('name; DROP TABLE models')}`, null],
      ['a very long value', `filter[name][$like]=${'x'.repeat(5_000)}`, []],
      ['non-ASCII text', `filter[name][$like]=${enc('ÅßЖ漢字🙂')}`, []],
      ['a NUL byte', 'filter[name]=%00', null],
      ['a NUL byte in $like', 'filter[name][$like]=a%00', null],
      ['a NUL byte in JSON', `filter=${enc('{"name":"a\\u0000"}')}`, null],
    ])('%s', async (_label, query, expected) => {
      const res = await list(query);
      if (expected === null) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.detail).toBeDefined();
      } else {
        expect(res.status).toBe(200);
        expect(names(res).sort()).toEqual([...expected].sort());
      }
    });

    it('the table still works afterwards', async () => {
      const res = await list('sort=name');
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(['a_b-1', 'axb-1', 'plain-1']);
      expect((await api.request('POST', base, { name: 'after-1' })).status).toBe(201);
      expect((await api.request('GET', `${base}/after-1`)).status).toBe(200);
      expect(api.logs.filter((l) => l.startsWith('error'))).toEqual([]);
    });
  });

  describe('across workspaces', () => {
    let wsA: string;
    let wsB: string;
    const tag = uniqueName('xw');

    beforeAll(async () => {
      wsA = await newWorkspace(api, 'mxa');
      wsB = await newWorkspace(api, 'mxb');
      expect((await api.request('POST', `/v2/workspaces/${wsA}/models`, { name: `${tag}-a` })).status).toBe(201);
      expect((await api.request('POST', `/v2/workspaces/${wsB}/models`, { name: `${tag}-b` })).status).toBe(201);
    });

    it('a workspace lists only its own models', async () => {
      const res = await api.request('GET', `/v2/workspaces/${wsA}/models`);
      expect(names(res)).toEqual([`${tag}-a`]);
    });

    it('filter[workspace] overrides the path workspace', async () => {
      const res = await api.request('GET', `/v2/workspaces/${wsA}/models?filter[workspace]=${wsB}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((m: { workspace: string; name: string }) => [m.workspace, m.name])).toEqual([
        [wsB, `${tag}-b`],
      ]);
      const json = await api.request(
        'GET',
        `/v2/workspaces/${wsA}/models?filter=${enc(JSON.stringify({ workspace: wsB }))}`,
      );
      expect(names(json)).toEqual([`${tag}-b`]);
      const both = await api.request(
        'GET',
        `/v2/workspaces/${wsA}/models?filter[workspace][]=${wsA}&filter[workspace][]=${wsB}&sort=name`,
      );
      expect(names(both)).toEqual([`${tag}-a`, `${tag}-b`]);
    });

    it('path workspace - lists across workspaces', async () => {
      const res = await api.request('GET', `/v2/workspaces/-/models?filter[name][$like]=${tag}&sort=name`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((m: { workspace: string; name: string }) => [m.workspace, m.name])).toEqual([
        [wsA, `${tag}-a`],
        [wsB, `${tag}-b`],
      ]);
      const scoped = await api.request(
        'GET',
        `/v2/workspaces/-/models?filter[workspace]=${wsB}&filter[name][$like]=${tag}`,
      );
      expect(names(scoped)).toEqual([`${tag}-b`]);
      const none = await api.request('GET', `/v2/workspaces/-/models?filter[name]=${uniqueName('none')}`);
      expect(none.status).toBe(200);
      expect(none.body.data).toEqual([]);
    });

    it('a model in one workspace is not reachable through another', async () => {
      const res = await api.request('GET', `/v2/workspaces/${wsA}/models/${tag}-b`);
      expect(res.status).toBe(404);
      expect((await api.request('DELETE', `/v2/workspaces/${wsA}/models/${tag}-b`)).status).toBe(404);
      expect((await api.request('GET', `/v2/workspaces/${wsB}/models/${tag}-b`)).status).toBe(200);
    });
  });
});
