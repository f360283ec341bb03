import { jest } from '@jest/globals';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const RUNTIME_NONE = "Deployments are not enabled because the backend runtime is set to 'none'";

interface Issue {
  type: string;
  loc: (string | number)[];
  msg: string;
}

/** The 422 issue list of a response, after checking it is one. */
function issues(res: ApiResponse): Issue[] {
  expect(res.status).toBe(422);
  expect(Array.isArray(res.body.detail)).toBe(true);
  return res.body.detail as Issue[];
}

function locs(res: ApiResponse): string[] {
  return issues(res).map((i) => i.loc.join('.'));
}

describe('deployment configs (e2e)', () => {
  let api: Api;
  let ws: string;
  let base: string;

  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'dc');
    base = `/v2/workspaces/${ws}/deployment-configs`;
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = (body: Record<string, unknown>) => api.request('POST', base, body);
  const newVersion = (name: string, body: Record<string, unknown>) => api.request('POST', `${base}/${name}`, body);
  /** A new-version body: the config without its name. */
  const update = (overrides: Record<string, unknown> = {}) => {
    const { name: _name, ...rest } = nimConfig('unused', overrides);
    return rest;
  };
  const deploy = (name: string, config: string, config_version?: number) =>
    api.request('POST', `/v2/workspaces/${ws}/deployments`, {
      name,
      config,
      ...(config_version ? { config_version } : {}),
    });
  const setStatus = (name: string, status: string) =>
    api.request('POST', `/v2/workspaces/${ws}/deployments/${name}/status`, { status, status_message: `now ${status}` });

  describe('create', () => {
    it('creates version 1 with the documented defaults filled in', async () => {
      const name = uniqueName('cfg');
      const res = await create(nimConfig(name, { project: 'team-a', description: 'first' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        workspace: ws,
        project: 'team-a',
        description: 'first',
        entity_version: 1,
        engine: 'nim',
        model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct', lora_enabled: false },
        executor_config: {
          gpu: 1,
          image_name: 'nvcr.io/nim/meta/llama-3.1-8b-instruct',
          image_tag: '1.8.5',
          disk_size: '50Gi',
          additional_args: [],
        },
      });
      expect(res.body.id).toMatch(/^deploymentconfig-[0-9a-f]+$/);
      expect(res.body.created_at).toBe(res.body.updated_at);
      expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false);
      // Nulls are excluded from responses.
      expect(res.body).not.toHaveProperty('model_entity_id');
      expect(Object.values(res.body.executor_config)).not.toContain(null);

      const got = await api.request('GET', `${base}/${name}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('keeps explicit values instead of the defaults', async () => {
      const name = uniqueName('cfg');
      const res = await create(
        nimConfig(name, {
          model_spec: {
            model_name: 'x',
            lora_enabled: true,
            tool_call_config: { tool_call_parser: 'llama3_json', auto_tool_choice: true },
          },
          executor_config: {
            gpu: 0,
            disk_size: '200Gi',
            additional_args: ['--foo'],
            additional_envs: { NIM_MAX_MODEL_LEN: '8192' },
          },
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body.model_spec).toEqual({
        model_name: 'x',
        lora_enabled: true,
        tool_call_config: { tool_call_parser: 'llama3_json', auto_tool_choice: true },
      });
      expect(res.body.executor_config).toEqual({
        gpu: 0,
        disk_size: '200Gi',
        additional_args: ['--foo'],
        additional_envs: { NIM_MAX_MODEL_LEN: '8192' },
      });
    });

    it('refuses a duplicate name with 409', async () => {
      const name = uniqueName('cfg');
      expect((await create(nimConfig(name))).status).toBe(201);
      const dup = await create(nimConfig(name, { engine: 'vllm' }));
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toBe(`Deployment config with workspace '${ws}' and name '${name}' already exists`);
      // The first one is untouched.
      const got = await api.request('GET', `${base}/${name}`);
      expect(got.body.engine).toBe('nim');
      expect(got.body.entity_version).toBe(1);
    });

    it('reports 404 for a workspace that does not exist', async () => {
      const res = await api.request(
        'POST',
        `/v2/workspaces/${uniqueName('nows')}/deployment-configs`,
        nimConfig(uniqueName('cfg')),
      );
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/Workspace '.*' was not found/);
    });

    it.each([
      ['gpu -1', { executor_config: { gpu: -1 } }, 'body.executor_config.gpu'],
      ['gpu "1"', { executor_config: { gpu: '1' } }, 'body.executor_config.gpu'],
      ['gpu 1.5', { executor_config: { gpu: 1.5 } }, 'body.executor_config.gpu'],
      ['missing gpu', { executor_config: {} }, 'body.executor_config.gpu'],
      ['bad engine', { engine: 'tensorrt' }, 'body.engine'],
      ['missing engine', { engine: undefined }, 'body.engine'],
      [
        'env name with a dash',
        { executor_config: { gpu: 1, additional_envs: { 'BAD-NAME': 'x' } } },
        'body.executor_config.additional_envs',
      ],
      [
        'env name starting with a digit',
        { executor_config: { gpu: 1, additional_envs: { '1X': 'x' } } },
        'body.executor_config.additional_envs',
      ],
      [
        'env value not a string',
        { executor_config: { gpu: 1, additional_envs: { OK: 1 } } },
        'body.executor_config.additional_envs',
      ],
      ['bad disk_size', { executor_config: { gpu: 1, disk_size: 'fifty' } }, 'body.executor_config.disk_size'],
      [
        'additional_args not strings',
        { executor_config: { gpu: 1, additional_args: [1] } },
        'body.executor_config.additional_args',
      ],
      [
        'startup probe grace 0',
        { executor_config: { gpu: 1, k8s_nim_operator_config: { startup_probe_grace_seconds: 0 } } },
        'body.executor_config.k8s_nim_operator_config.startup_probe_grace_seconds',
      ],
      [
        'replicas 0',
        { executor_config: { gpu: 1, k8s_nim_operator_config: { replicas: 0 } } },
        'body.executor_config.k8s_nim_operator_config.replicas',
      ],
      [
        'bad shm_size',
        { executor_config: { gpu: 1, k8s_nim_operator_config: { shm_size: 'lots' } } },
        'body.executor_config.k8s_nim_operator_config.shm_size',
      ],
      [
        'bad image pull secret name',
        { executor_config: { gpu: 1, k8s_nim_operator_config: { image_pull_secrets: ['Not_A_Name'] } } },
        'body.executor_config.k8s_nim_operator_config.image_pull_secrets',
      ],
      ['bad model_type', { model_spec: { model_type: 'vision' } }, 'body.model_spec.model_type'],
      ['lora_enabled not boolean', { model_spec: { lora_enabled: 'yes' } }, 'body.model_spec.lora_enabled'],
      ['bad model_entity_id', { model_entity_id: 'no-slash' }, 'body.model_entity_id'],
      ['missing model_spec', { model_spec: undefined }, 'body.model_spec'],
      ['bad name', { name: 'Bad Name' }, 'body.name'],
      ['bad project', { project: 'a b' }, 'body.project'],
    ])('refuses %s with 422 naming the field', async (_label, overrides, loc) => {
      const body: Record<string, unknown> = nimConfig(uniqueName('cfg'), overrides);
      for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete body[k];
      const res = await create(body);
      expect(locs(res)).toContain(loc);
      expect(res.body.code).toBe('validation/failed');
      for (const i of issues(res)) expect(typeof i.msg).toBe('string');
    });

    it('keeps the Kubernetes placement fields, and refuses an override that would change whose the objects are', async () => {
      const placement = {
        replicas: 2,
        shm_size: '32Gi',
        image_pull_secrets: ['ngc-registry'],
        storage_class: 'fast-ssd',
        affinity: { podAntiAffinity: {} },
      };
      const ok = await create(
        nimConfig(uniqueName('cfg'), { executor_config: { gpu: 1, k8s_nim_operator_config: placement } }),
      );
      expect(ok.status).toBe(201);
      expect(ok.body.executor_config.k8s_nim_operator_config).toMatchObject(placement);
      const bad = await create(
        nimConfig(uniqueName('cfg'), {
          executor_config: { gpu: 1, override_config: { spec: { selector: { matchLabels: { app: 'x' } } } } },
        }),
      );
      expect(issues(bad)).toEqual([
        {
          type: 'value_error',
          loc: ['body', 'executor_config', 'override_config'],
          msg: 'override_config may not change spec.selector',
        },
      ]);
    });

    it('refuses unknown fields, nested or not, with 422 extra_forbidden naming the path', async () => {
      const res = await create(
        nimConfig(uniqueName('cfg'), {
          gpus: 2,
          executor_config: { gpu: 1, gpus: 2 },
          model_spec: { model_name: 'x', tool_call_config: { parser: 'x' } },
        }),
      );
      const list = issues(res);
      const extra = list.filter((i) => i.type === 'extra_forbidden').map((i) => i.loc.join('.'));
      expect(extra).toEqual(
        expect.arrayContaining(['body.gpus', 'body.executor_config.gpus', 'body.model_spec.tool_call_config.parser']),
      );
    });

    it('does not echo rejected values back', async () => {
      const res = await create(
        nimConfig(uniqueName('cfg'), {
          executor_config: { gpu: 1, additional_envs: { 'BAD-NAME': 'hunter2-secret' } },
        }),
      );
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('hunter2-secret');
    });

    it('does not store anything when validation fails', async () => {
      const name = uniqueName('cfg');
      expect((await create(nimConfig(name, { executor_config: { gpu: -1 } }))).status).toBe(422);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
    });
  });

  describe('generic engine rules (checklist 34)', () => {
    const generic = (exec: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
      nimConfig(uniqueName('gen'), {
        engine: 'generic',
        model_spec: { model_name: 'x', ...spec },
        executor_config: { gpu: 1, ...exec },
      });

    it('accepts a generic config with an image and a health check path', async () => {
      const res = await create(generic({ image_name: 'ghcr.io/acme/server', health_check_path: '/health' }));
      expect(res.status).toBe(201);
      expect(res.body.engine).toBe('generic');
      expect(res.body.model_spec.lora_enabled).toBe(false);
    });

    it.each([
      ['no image_name', { health_check_path: '/health' }, {}, 'image_name'],
      ['blank image_name', { image_name: '   ', health_check_path: '/health' }, {}, 'image_name'],
      ['padded image_name', { image_name: ' img ', health_check_path: '/health' }, {}, 'image_name'],
      ['no health_check_path', { image_name: 'img' }, {}, 'health_check_path'],
      ['empty health_check_path', { image_name: 'img', health_check_path: '' }, {}, 'health_check_path'],
      ['padded health_check_path', { image_name: 'img', health_check_path: '/health ' }, {}, 'health_check_path'],
      ['LoRA', { image_name: 'img', health_check_path: '/health' }, { lora_enabled: true }, 'lora_enabled'],
    ])('refuses %s with 400', async (_label, exec, spec, field) => {
      const body = generic(exec, spec);
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(typeof res.body.detail).toBe('string');
      expect(res.body.detail).toContain(field);
      expect((await api.request('GET', `${base}/${body.name}`)).status).toBe(404);
    });

    it('applies the same rules to a new version', async () => {
      const name = uniqueName('gen');
      expect((await create(nimConfig(name))).status).toBe(201);
      const res = await newVersion(name, {
        ...update(),
        engine: 'generic',
        executor_config: { gpu: 1, image_name: 'img' },
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('health_check_path');
      const lora = await newVersion(name, {
        ...update(),
        engine: 'generic',
        model_spec: { lora_enabled: true },
        executor_config: { gpu: 1, image_name: 'img', health_check_path: '/h' },
      });
      expect(lora.status).toBe(400);
      expect(lora.body.detail).toContain('lora_enabled');
      expect((await api.request('GET', `${base}/${name}/versions`)).body).toHaveLength(1);
    });
  });

  describe('versions', () => {
    let name: string;
    beforeAll(async () => {
      name = uniqueName('ver');
      expect((await create(nimConfig(name, { project: 'proj-x', description: 'v1' }))).status).toBe(201);
    });

    it('POST /{name} creates version 2, keeping the project and replacing everything else', async () => {
      const res = await newVersion(name, update({ engine: 'vllm', description: 'v2', executor_config: { gpu: 2 } }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        workspace: ws,
        project: 'proj-x',
        entity_version: 2,
        engine: 'vllm',
        description: 'v2',
      });
      expect(res.body.executor_config).toEqual({ gpu: 2, disk_size: '50Gi', additional_args: [] });
      const v1 = await api.request('GET', `${base}/${name}/versions/1`);
      expect(v1.body.id).not.toBe(res.body.id);
    });

    it('refuses a name or project in the new-version body', async () => {
      const res = await newVersion(name, { ...update(), name: 'other', project: 'other' });
      expect(locs(res)).toEqual(expect.arrayContaining(['body.name', 'body.project']));
    });

    it('validates the new-version body like a create (checklist 29)', async () => {
      const res = await newVersion(name, update({ executor_config: { gpu: -1 } }));
      expect(locs(res)).toContain('body.executor_config.gpu');
      const bad = await newVersion(name, update({ engine: 'bogus' }));
      expect(locs(bad)).toContain('body.engine');
    });

    it('answers 404 for a new version of an unknown config', async () => {
      const res = await newVersion(uniqueName('nope'), update());
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/Deployment config '.*' was not found/);
    });

    it('GET returns the latest version', async () => {
      const res = await api.request('GET', `${base}/${name}`);
      expect(res.status).toBe(200);
      expect(res.body.entity_version).toBe(2);
      expect(res.body.description).toBe('v2');
    });

    it('GET /versions lists every version newest first', async () => {
      const res = await api.request('GET', `${base}/${name}/versions`);
      expect(res.status).toBe(200);
      expect(res.body.map((v: { entity_version: number }) => v.entity_version)).toEqual([2, 1]);
      expect(res.body[1]).toMatchObject({ description: 'v1', engine: 'nim', project: 'proj-x' });
    });

    it('GET /versions/{v} returns that version', async () => {
      const res = await api.request('GET', `${base}/${name}/versions/1`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ entity_version: 1, description: 'v1', engine: 'nim' });
    });

    it.each(['abc', '1.5', '-1', '0', 'v1'])('answers 400 for the non-integer version %s', async (v) => {
      const res = await api.request('GET', `${base}/${name}/versions/${v}`);
      expect(res.status).toBe(400);
      expect(typeof res.body.detail).toBe('string');
    });

    it('answers 404 for an unknown version or name', async () => {
      const v = await api.request('GET', `${base}/${name}/versions/99`);
      expect(v.status).toBe(404);
      expect(v.body.detail).toContain('version 99');
      expect((await api.request('GET', `${base}/${uniqueName('nope')}`)).status).toBe(404);
      expect((await api.request('GET', `${base}/${uniqueName('nope')}/versions`)).status).toBe(404);
      expect((await api.request('GET', `${base}/${uniqueName('nope')}/versions/1`)).status).toBe(404);
    });
  });

  describe('list', () => {
    let lws: string;
    let lbase: string;
    beforeAll(async () => {
      lws = await newWorkspace(api, 'dcl');
      lbase = `/v2/workspaces/${lws}/deployment-configs`;
      expect((await api.request('POST', lbase, nimConfig('alpha', { project: 'p1' }))).status).toBe(201);
      expect((await api.request('POST', lbase, nimConfig('beta', { engine: 'vllm', project: 'p2' }))).status).toBe(201);
      expect((await api.request('POST', `${lbase}/alpha`, update({ description: 'alpha v2' }))).status).toBe(201);
    });

    const names = (res: ApiResponse) =>
      res.body.data.map((c: { name: string; entity_version: number }) => `${c.name}@${c.entity_version}`);

    it('lists the latest version of each config with the default paging (checklist 26)', async () => {
      const res = await api.request('GET', lbase);
      expect(res.status).toBe(200);
      // Sorted by created_at: alpha's latest version was created after beta.
      expect(names(res)).toEqual(['beta@1', 'alpha@2']);
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 2,
        total_pages: 1,
        total_results: 2,
      });
      expect(res.body.sort).toBe('created_at');
      expect(res.body).not.toHaveProperty('filter');
    });

    it.each([
      ['true', 3],
      ['True', 3],
      ['1', 3],
      ['false', 2],
      ['False', 2],
      ['0', 2],
    ])('all_versions=%s', async (value, count) => {
      const res = await api.request('GET', `${lbase}?all_versions=${value}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination.total_results).toBe(count);
      if (count === 3) expect(names(res).sort()).toEqual(['alpha@1', 'alpha@2', 'beta@1']);
    });

    it('refuses a bad all_versions with 422 naming it', async () => {
      const res = await api.request('GET', `${lbase}?all_versions=maybe`);
      expect(locs(res)).toEqual(['query.all_versions']);
    });

    it('accepts filter[project] (checklist 27)', async () => {
      const res = await api.request('GET', `${lbase}?filter[project]=p2`);
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(['beta@1']);
    });

    it('filters by name and engine', async () => {
      expect(names(await api.request('GET', `${lbase}?filter[name]=alpha`))).toEqual(['alpha@2']);
      expect(names(await api.request('GET', `${lbase}?filter[engine]=vllm`))).toEqual(['beta@1']);
      expect(names(await api.request('GET', `${lbase}?filter[name][$like]=ALP`))).toEqual(['alpha@2']);
      expect(names(await api.request('GET', `${lbase}?filter[name][]=alpha&filter[name][]=beta&sort=name`))).toEqual([
        'alpha@2',
        'beta@1',
      ]);
      expect(
        names(await api.request('GET', `${lbase}?all_versions=true&filter[name]=alpha&sort=-entity_version`)),
      ).toEqual(['alpha@2', 'alpha@1']);
    });

    it('refuses a filter on an unknown field or engine value with 400', async () => {
      expect((await api.request('GET', `${lbase}?filter[bogus]=1`)).status).toBe(400);
      expect((await api.request('GET', `${lbase}?filter[engine]=tensorrt`)).status).toBe(400);
    });

    it('sorts and pages', async () => {
      const res = await api.request('GET', `${lbase}?sort=-name&page_size=1&page=2`);
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(['alpha@2']);
      expect(res.body.pagination).toEqual({
        page: 2,
        page_size: 1,
        current_page_size: 1,
        total_pages: 2,
        total_results: 2,
      });
      expect(res.body.sort).toBe('-name');
      expect(locs(await api.request('GET', `${lbase}?sort=bogus`))).toEqual(['query.sort']);
    });

    it('does not show other workspaces', async () => {
      const res = await api.request('GET', base);
      expect(res.body.data.every((c: { workspace: string }) => c.workspace === ws)).toBe(true);
    });

    it('answers 404 for a workspace that does not exist', async () => {
      expect((await api.request('GET', `/v2/workspaces/${uniqueName('nows')}/deployment-configs`)).status).toBe(404);
    });
  });

  describe('model_entity_id inference on create', () => {
    let model: string;
    beforeAll(async () => {
      model = uniqueName('model');
      const res = await api.request('POST', `/v2/workspaces/${ws}/models`, { name: model });
      expect(res.status).toBe(201);
    });

    it('is filled in when model_spec names a model entity of this workspace', async () => {
      const res = await create(
        nimConfig(uniqueName('inf'), { model_spec: { model_namespace: ws, model_name: model } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.model_entity_id).toBe(`${ws}/${model}`);
    });

    it('ignores an @revision suffix on the model name', async () => {
      const res = await create(
        nimConfig(uniqueName('inf'), { model_spec: { model_namespace: ws, model_name: `${model}@main` } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.model_entity_id).toBe(`${ws}/${model}`);
      expect(res.body.model_spec.model_name).toBe(`${model}@main`);
    });

    it('is not filled in when the namespace is another workspace', async () => {
      const res = await create(
        nimConfig(uniqueName('inf'), { model_spec: { model_namespace: 'meta', model_name: model } }),
      );
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('model_entity_id');
    });

    it('is not filled in when no such model exists', async () => {
      const res = await create(
        nimConfig(uniqueName('inf'), { model_spec: { model_namespace: ws, model_name: uniqueName('ghost') } }),
      );
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('model_entity_id');
    });

    it('is not filled in without a model name', async () => {
      const res = await create(nimConfig(uniqueName('inf'), { model_spec: { model_namespace: ws } }));
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('model_entity_id');
    });

    it('keeps an explicit model_entity_id', async () => {
      const res = await create(
        nimConfig(uniqueName('inf'), {
          model_entity_id: 'other/thing',
          model_spec: { model_namespace: ws, model_name: model },
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body.model_entity_id).toBe('other/thing');
    });

    it('is not filled in on a new version', async () => {
      const name = uniqueName('inf');
      expect((await create(nimConfig(name))).status).toBe(201);
      const res = await newVersion(name, update({ model_spec: { model_namespace: ws, model_name: model } }));
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('model_entity_id');
    });
  });

  describe('delete', () => {
    it('deletes one version (204) and then all of them (204)', async () => {
      const name = uniqueName('del');
      expect((await create(nimConfig(name))).status).toBe(201);
      expect((await newVersion(name, update())).status).toBe(201);
      expect((await newVersion(name, update())).status).toBe(201);

      const one = await api.request('DELETE', `${base}/${name}/versions/2`);
      expect(one.status).toBe(204);
      expect(one.text).toBe('');
      expect((await api.request('GET', `${base}/${name}/versions/2`)).status).toBe(404);
      const left = await api.request('GET', `${base}/${name}/versions`);
      expect(left.body.map((v: { entity_version: number }) => v.entity_version)).toEqual([3, 1]);
      expect((await api.request('GET', `${base}/${name}`)).body.entity_version).toBe(3);

      const all = await api.request('DELETE', `${base}/${name}`);
      expect(all.status).toBe(204);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
      expect((await api.request('GET', `${base}/${name}/versions`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(404);
      // The name is free again and starts over at version 1.
      const again = await create(nimConfig(name));
      expect(again.status).toBe(201);
      expect(again.body.entity_version).toBe(1);
    });

    it('answers 404 for an unknown config or version, 400 for a bad version', async () => {
      const name = uniqueName('del');
      expect((await create(nimConfig(name))).status).toBe(201);
      expect((await api.request('DELETE', `${base}/${uniqueName('nope')}`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${uniqueName('nope')}/versions/1`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${name}/versions/7`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${name}/versions/x`)).status).toBe(400);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(200);
    });

    it('makes the previous version latest when the latest is deleted', async () => {
      const name = uniqueName('del');
      expect((await create(nimConfig(name, { description: 'one' }))).status).toBe(201);
      expect((await newVersion(name, update({ description: 'two' }))).status).toBe(201);
      expect((await api.request('DELETE', `${base}/${name}/versions/2`)).status).toBe(204);

      const latest = await api.request('GET', `${base}/${name}`);
      expect(latest.status).toBe(200);
      expect(latest.body).toMatchObject({ entity_version: 1, description: 'one' });
      const listed = await api.request('GET', `${base}?filter[name]=${name}`);
      expect(listed.body.data.map((c: { entity_version: number }) => c.entity_version)).toEqual([1]);
      // A deployment without a version now runs version 1.
      const dep = await deploy(uniqueName('dep'), name);
      expect(dep.status).toBe(201);
      expect(dep.body.config_version).toBe(1);
    });

    it('removes the config when its only version is deleted', async () => {
      const name = uniqueName('del');
      expect((await create(nimConfig(name))).status).toBe(201);
      expect((await api.request('DELETE', `${base}/${name}/versions/1`)).status).toBe(204);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);
      expect((await api.request('GET', `${base}/${name}/versions`)).status).toBe(404);
      expect((await create(nimConfig(name))).status).toBe(201);
    });

    it('is refused with 409 while a deployment that is not DELETED uses it (checklist 33)', async () => {
      const name = uniqueName('used');
      expect((await create(nimConfig(name))).status).toBe(201);
      expect((await newVersion(name, update())).status).toBe(201);
      expect((await newVersion(name, update())).status).toBe(201);
      const dep = uniqueName('dep');
      // The deployment runs version 1, an old version of the config.
      expect((await deploy(dep, name, 1)).status).toBe(201);

      const all = await api.request('DELETE', `${base}/${name}`);
      expect(all.status).toBe(409);
      expect(all.body.detail).toContain(dep);
      const v1 = await api.request('DELETE', `${base}/${name}/versions/1`);
      expect(v1.status).toBe(409);
      expect(v1.body.detail).toContain(dep);
      // Nothing was deleted.
      expect((await api.request('GET', `${base}/${name}/versions`)).body).toHaveLength(3);

      // A version no deployment uses can go.
      expect((await api.request('DELETE', `${base}/${name}/versions/2`)).status).toBe(204);

      // Still refused in every live status, including DELETING.
      for (const status of ['READY', 'FAILED', 'DELETING']) {
        expect((await setStatus(dep, status)).status).toBe(200);
        expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(409);
        expect((await api.request('DELETE', `${base}/${name}/versions/1`)).status).toBe(409);
      }

      expect((await setStatus(dep, 'DELETED')).status).toBe(200);
      expect((await api.request('DELETE', `${base}/${name}/versions/1`)).status).toBe(204);
      expect((await api.request('DELETE', `${base}` + `/${name}`)).status).toBe(204);
      expect((await api.request('GET', `${base}/${name}`)).status).toBe(404);

      // The DELETED deployment still says what it ran.
      const after = await api.request('GET', `/v2/workspaces/${ws}/deployments/${dep}`);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'DELETED', config: name, config_version: 1 });
    });

    it('is refused while any version of a deployment that is not DELETED uses it', async () => {
      const cfgA = uniqueName('cfga');
      const cfgB = uniqueName('cfgb');
      expect((await create(nimConfig(cfgA))).status).toBe(201);
      expect((await create(nimConfig(cfgB))).status).toBe(201);
      const dep = uniqueName('dep');
      expect((await deploy(dep, cfgA)).status).toBe(201);
      // Version 2 of the deployment moves to another config; version 1 still runs cfgA.
      const v2 = await api.request('POST', `/v2/workspaces/${ws}/deployments/${dep}`, { config: cfgB });
      expect(v2.status).toBe(201);
      expect((await api.request('DELETE', `${base}/${cfgA}`)).status).toBe(409);

      const v1Deleting = await api.request('POST', `/v2/workspaces/${ws}/deployments/${dep}/status?version=1`, {
        status: 'DELETING',
      });
      expect(v1Deleting.status).toBe(200);
      expect((await api.request('DELETE', `${base}/${cfgA}`)).status).toBe(409);
      const v1Deleted = await api.request('POST', `/v2/workspaces/${ws}/deployments/${dep}/status?version=1`, {
        status: 'DELETED',
      });
      expect(v1Deleted.status).toBe(200);
      expect((await api.request('DELETE', `${base}/${cfgA}`)).status).toBe(204);
      expect((await api.request('DELETE', `${base}/${cfgB}`)).status).toBe(409);
    });

    it('is allowed once the deployment is deleted through the deployments API', async () => {
      const name = uniqueName('used');
      expect((await create(nimConfig(name))).status).toBe(201);
      const dep = uniqueName('dep');
      expect((await deploy(dep, name)).status).toBe(201);
      expect((await api.request('DELETE', `/v2/workspaces/${ws}/deployments/${dep}`)).status).toBe(202);
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(409);
      expect((await setStatus(dep, 'DELETED')).status).toBe(200);
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(204);
    });
  });

  describe('concurrency', () => {
    it('gives 10 concurrent new versions distinct numbers with no gaps and one latest', async () => {
      const name = uniqueName('conc');
      expect((await create(nimConfig(name))).status).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => newVersion(name, update({ description: `writer ${i}` }))),
      );
      for (const r of results) expect([201, 409]).toContain(r.status);
      const ok = results.filter((r) => r.status === 201);
      expect(ok.length).toBeGreaterThan(0);
      const versions = ok.map((r) => r.body.entity_version as number);
      expect(new Set(versions).size).toBe(versions.length);

      const all = await api.request('GET', `${base}/${name}/versions`);
      expect(all.status).toBe(200);
      const n = ok.length;
      expect(all.body.map((v: { entity_version: number }) => v.entity_version)).toEqual(
        Array.from({ length: n + 1 }, (_, i) => n + 1 - i),
      );
      // Each successful writer's body is stored under the version it was told.
      for (const r of ok) {
        const stored = all.body.find((v: { entity_version: number }) => v.entity_version === r.body.entity_version);
        expect(stored.description).toBe(r.body.description);
      }

      const latest = await api.request('GET', `${base}/${name}`);
      expect(latest.body.entity_version).toBe(n + 1);
      const listed = await api.request('GET', `${base}?filter[name]=${name}`);
      expect(listed.body.pagination.total_results).toBe(1);
      expect(listed.body.data[0].entity_version).toBe(n + 1);
      const everything = await api.request('GET', `${base}?filter[name]=${name}&all_versions=true`);
      expect(everything.body.pagination.total_results).toBe(n + 1);
    });

    it('lets exactly one of 10 concurrent creates of the same name win', async () => {
      const name = uniqueName('conc');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => create(nimConfig(name, { description: `c${i}` }))),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      const versions = await api.request('GET', `${base}/${name}/versions`);
      expect(versions.body).toHaveLength(1);
      expect(versions.body[0].description).toBe(results.find((r) => r.status === 201)!.body.description);
    });
  });

  describe("runtime 'none'", () => {
    let none: Api;
    beforeAll(async () => {
      none = await startApi({ MODELPLANE_RUNTIME: 'none' });
    });
    afterAll(async () => {
      await none?.close();
    });

    it('still creates configs (checklist 28) and reads them', async () => {
      const name = uniqueName('none');
      const res = await none.request('POST', base, nimConfig(name));
      expect(res.status).toBe(201);
      expect(res.body.entity_version).toBe(1);
      expect((await none.request('GET', `${base}/${name}`)).status).toBe(200);
      expect((await none.request('GET', `${base}/${name}/versions/1`)).status).toBe(200);
      expect((await none.request('GET', base)).status).toBe(200);
      // Validation still answers 422 with the field list.
      expect(
        locs(await none.request('POST', base, nimConfig(uniqueName('none'), { executor_config: { gpu: -1 } }))),
      ).toContain('body.executor_config.gpu');
    });

    it('refuses new versions and both deletes with 422 and the reference text (checklist 30)', async () => {
      const name = uniqueName('none');
      expect((await api.request('POST', base, nimConfig(name))).status).toBe(201);
      for (const [method, path, body] of [
        ['POST', `${base}/${name}`, update()],
        ['DELETE', `${base}/${name}`, undefined],
        ['DELETE', `${base}/${name}/versions/1`, undefined],
      ] as const) {
        const res = await none.request(method, path, body);
        expect(res.status).toBe(422);
        expect(res.body.detail).toBe(RUNTIME_NONE);
      }
      // Nothing changed.
      const versions = await api.request('GET', `${base}/${name}/versions`);
      expect(versions.status).toBe(200);
      expect(versions.body).toHaveLength(1);
    });
  });

  it('answered no request with an internal error', () => {
    expect(api.logs.filter((l) => l.includes('[HttpError]'))).toEqual([]);
  });
});
