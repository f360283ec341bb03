import { jest } from '@jest/globals';
import type pg from 'pg';
import { bearer, keyFor, bind, testPool } from './access-helpers.js';
import { ADMIN_AUTH, newWorkspace, startApi, type Api, type ApiResponse } from './api-harness.js';
import { eventually } from './worker-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const names = (res: ApiResponse): string[] => res.body.data.map((a: { name: string }) => a.name);
const locs = (res: ApiResponse): unknown[] => res.body.detail.map((i: { loc: unknown }) => i.loc);

/**
 * Adapters of model entities (NeMo's Models service), through both of its route families and both path
 * prefixes, with the bodies NeMo's SDK sends (`client.models.adapters.create/update/delete`,
 * `client.adapters.create/retrieve/list/patch/delete`) and the fields it reads.
 */
describe('adapters', () => {
  let api: Api;
  let pool: pg.Pool;
  let ws: string;
  const v2 = (path: string) => `/v2/workspaces/${ws}${path}`;
  const nemo = (path: string) => `/apis/models/v2/workspaces/${ws}${path}`;
  /** What NeMo's SDK sends on every call. */
  const sdk = { 'content-type': 'application/json', ...ADMIN_AUTH };

  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
    ws = await newWorkspace(api, 'ad');
    for (const name of ['llama', 'mistral']) {
      expect((await api.request('POST', v2('/models'), { name })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  it("models.adapters: create, update and delete under the model, as the SDK calls them on NeMo's paths", async () => {
    const created = await api.request(
      'POST',
      nemo('/models/llama/adapters'),
      {
        fileset: `${ws}/support-lora`,
        finetuning_type: 'lora',
        name: 'support',
        description: 'support tone',
        lora_config: { rank: 16, alpha: 32 },
      },
      sdk,
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^adapter-[0-9a-f]{20}$/),
      name: 'support',
      workspace: ws,
      description: 'support tone',
      fileset: `${ws}/support-lora`,
      finetuning_type: 'lora',
      enabled: true,
      lora_config: { rank: 16, alpha: 32 },
      model: `${ws}/llama`,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      created_by: 'admin',
      updated_by: 'admin',
    });
    // The model lists it: its `adapters` is read from the adapters table.
    const model = await api.request('GET', nemo('/models/llama'));
    expect(model.body.adapters).toEqual([created.body]);
    const listedModels = await api.request('GET', v2('/models?filter[name]=llama'));
    expect(listedModels.body.data[0].adapters).toEqual([created.body]);

    const updated = await api.request(
      'PATCH',
      nemo('/models/llama/adapters/support'),
      { description: 'support tone, v2', enabled: false, fileset: `${ws}/support-lora-v2` },
      sdk,
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'support',
      description: 'support tone, v2',
      enabled: false,
      fileset: `${ws}/support-lora-v2`,
      lora_config: { rank: 16, alpha: 32 },
      created_at: created.body.created_at,
    });
    // Omitted and null keep their value.
    const kept = await api.request('PATCH', v2('/models/llama/adapters/support'), { description: null });
    expect(kept.body.description).toBe('support tone, v2');
    // Another model's path does not reach it.
    const elsewhere = await api.request('PATCH', v2('/models/mistral/adapters/support'), { enabled: true });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('adapter/not_found');
    expect((await api.request('DELETE', v2('/models/mistral/adapters/support'))).status).toBe(404);

    const listed = await api.request('GET', v2('/models/llama/adapters'));
    expect(listed.body).toMatchObject({ data: [{ name: 'support' }], pagination: { total_results: 1 } });
    expect((await api.request('DELETE', nemo('/models/llama/adapters/support'), undefined, sdk)).status).toBe(204);
    expect((await api.request('DELETE', nemo('/models/llama/adapters/support'), undefined, sdk)).status).toBe(404);
    expect((await api.request('GET', v2('/models/llama'))).body).not.toHaveProperty('adapters');
  });

  it('adapters: create with the model in the body, retrieve, list with paging, sort and filters, patch, delete', async () => {
    const create = (name: string, model: string, extra: Record<string, unknown> = {}) =>
      api.request(
        'POST',
        nemo('/adapters'),
        { fileset: `${ws}/${name}-files`, finetuning_type: 'lora', model, name, ...extra },
        sdk,
      );
    expect((await create('a-one', 'llama')).status).toBe(201);
    expect((await create('a-two', `${ws}/llama`, { enabled: false })).body.model).toBe(`${ws}/llama`);
    expect((await create('a-three', 'mistral', { finetuning_type: 'dora' })).status).toBe(201);

    const got = await api.request('GET', nemo('/adapters/a-one'));
    expect(got.body).toMatchObject({ name: 'a-one', workspace: ws, model: `${ws}/llama`, enabled: true });
    expect((await api.request('GET', v2('/adapters/a-one'))).body).toEqual(got.body);

    const page = await api.request('GET', v2('/adapters?page=1&page_size=2&sort=-name'));
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      data: [expect.objectContaining({ name: 'a-two' }), expect.objectContaining({ name: 'a-three' })],
      pagination: { page: 1, page_size: 2, current_page_size: 2, total_pages: 2, total_results: 3 },
      sort: '-name',
    });
    expect(names(await api.request('GET', v2(`/adapters?filter[model]=${ws}/llama&sort=name`)))).toEqual([
      'a-one',
      'a-two',
    ]);
    expect(names(await api.request('GET', v2('/adapters?filter[finetuning_type]=dora')))).toEqual(['a-three']);
    expect(names(await api.request('GET', v2('/adapters?filter[enabled]=false')))).toEqual(['a-two']);
    const text = await api.request('GET', v2(`/adapters?filter=${encodeURIComponent('name~two OR name:a-one')}`));
    expect(names(text).sort()).toEqual(['a-one', 'a-two']);
    expect(names(await api.request('GET', v2('/models/mistral/adapters')))).toEqual(['a-three']);
    expect((await api.request('GET', v2('/adapters?filter[size]=1'))).status).toBe(400);
    expect((await api.request('GET', v2('/adapters?sort=size'))).status).toBe(422);

    const patched = await api.request('PATCH', nemo('/adapters/a-two'), { enabled: true }, sdk);
    expect(patched.body).toMatchObject({ name: 'a-two', enabled: true, updated_by: 'admin' });
    expect((await api.request('DELETE', nemo('/adapters/a-two'), undefined, sdk)).status).toBe(204);
    expect((await api.request('GET', v2('/adapters/a-two'))).status).toBe(404);
  });

  it('answers 404, 409 and 422 as NeMo does, naming the field', async () => {
    const body = { fileset: `${ws}/f`, finetuning_type: 'lora', name: 'dup' };
    expect((await api.request('POST', v2('/models/llama/adapters'), body)).status).toBe(201);
    // Unique in the workspace, whichever model.
    const dup = await api.request('POST', v2('/models/mistral/adapters'), body);
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      code: 'adapter/already_exists',
      detail: `Adapter with workspace '${ws}' and name 'dup' already exists`,
    });
    expect((await api.request('POST', v2('/adapters'), { ...body, model: 'mistral' })).status).toBe(409);

    const noModel = await api.request('POST', v2('/models/nope/adapters'), { ...body, name: 'x1' });
    expect(noModel.status).toBe(404);
    expect(noModel.body.code).toBe('model/not_found');
    expect((await api.request('POST', v2('/adapters'), { ...body, name: 'x1', model: 'nope' })).body.code).toBe(
      'model/not_found',
    );
    expect((await api.request('GET', v2('/models/nope/adapters'))).status).toBe(404);
    expect((await api.request('GET', v2('/adapters/nope'))).body.code).toBe('adapter/not_found');
    const noWorkspace = await api.request('GET', `/v2/workspaces/nope-${ws}/adapters`);
    expect(noWorkspace.body.code).toBe('workspace/not_found');

    const cases: [Record<string, unknown>, unknown[]][] = [
      [{ ...body, name: 'Bad_Name' }, ['body', 'name']],
      [{ finetuning_type: 'lora', name: 'x2' }, ['body', 'fileset']],
      [{ ...body, name: 'x3', fileset: 'no-slash' }, ['body', 'fileset']],
      [{ ...body, name: 'x4', finetuning_type: 'magic' }, ['body', 'finetuning_type']],
      [{ ...body, name: 'x5', lora_config: { alpha: 8 } }, ['body', 'lora_config', 'rank']],
      [{ ...body, name: 'x6', rank: 8 }, ['body', 'rank']],
    ];
    for (const [bad, loc] of cases) {
      const res = await api.request('POST', v2('/models/llama/adapters'), bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 422 });
      expect(locs(res)).toContainEqual(loc);
    }
    const noModelField = await api.request('POST', v2('/adapters'), { ...body, name: 'x7' });
    expect(locs(noModelField)).toContainEqual(['body', 'model']);
    // Adapters are written through their endpoints, never on the model (NeMo's model requests have no such field).
    for (const [method, path, payload] of [
      ['POST', '/models', { name: 'with-adapters', adapters: [{ name: 'a' }] }],
      ['PATCH', '/models/llama', { adapters: [] }],
    ] as const) {
      const res = await api.request(method, v2(path), payload);
      expect(res.status).toBe(422);
      expect(locs(res)).toContainEqual(['body', 'adapters']);
    }
  });

  it('deleting a model deletes its adapters', async () => {
    expect((await api.request('POST', v2('/models'), { name: 'doomed' })).status).toBe(201);
    const body = { fileset: `${ws}/f`, finetuning_type: 'lora', name: 'doomed-lora' };
    expect((await api.request('POST', v2('/models/doomed/adapters'), body)).status).toBe(201);
    expect((await api.request('DELETE', v2('/models/doomed'))).status).toBe(204);
    expect((await api.request('GET', v2('/adapters/doomed-lora'))).status).toBe(404);
  });

  it('a base model of another workspace: needs models.read there; listed in the adapter’s workspace', async () => {
    const other = await newWorkspace(api, 'ad-base');
    expect((await api.request('POST', `/v2/workspaces/${other}/models`, { name: 'shared-base' })).status).toBe(201);
    const body = { fileset: `${ws}/f`, finetuning_type: 'lora', name: 'cross', model: `${other}/shared-base` };

    // An Editor of this workspace only: refused alike whether the other workspace's model exists or not.
    const editor = `editor-${ws}`;
    await bind(pool, ws, editor, 'Editor');
    const key = await keyFor(api, pool, editor);
    for (const model of [`${other}/shared-base`, `${other}/missing`]) {
      const res = await api.request('POST', v2('/adapters'), { ...body, model }, bearer(key));
      expect({ model, status: res.status, code: res.body.code }).toEqual({
        model,
        status: 403,
        code: 'auth/permission_denied',
      });
    }
    // Once it may read that workspace (the API reloads bindings on NOTIFY), it may build on its model.
    await bind(pool, other, editor, 'Viewer');
    const created = await eventually(async () => {
      const res = await api.request('POST', v2('/adapters'), body, bearer(key));
      return res.status !== 403 && res;
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workspace: ws, model: `${other}/shared-base`, created_by: editor });
    expect(names(await api.request('GET', v2(`/adapters?filter[model]=${other}/shared-base`)))).toEqual(['cross']);
    // The base model lists the adapters of its own workspace; this one lives in the adapter's.
    expect((await api.request('GET', `/v2/workspaces/${other}/models/shared-base`)).body).not.toHaveProperty(
      'adapters',
    );
    expect((await api.request('DELETE', `/v2/workspaces/${other}/models/shared-base`)).status).toBe(204);
    expect((await api.request('GET', v2('/adapters/cross'))).status).toBe(404);
  });
});
