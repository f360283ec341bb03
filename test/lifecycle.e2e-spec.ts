import { jest } from '@jest/globals';
import { compileInstanceSpec, type InstanceObservation, type LocalRuntime, type Runtime } from '#runtime';
import { RUNTIME } from '../apps/worker/src/tokens.js';
import { newWorkspace, uniqueName, withAuth } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(90_000);

/**
 * The deployment lifecycle end to end: a real API and worker, the local
 * runtime, and NIM simulators as the instances.
 */
describe('deployment lifecycle (local runtime, NIM simulator)', () => {
  let plane: ControlPlane;
  let ws: string;
  const runtime = () => plane.worker.get<Runtime>(RUNTIME);

  beforeAll(async () => {
    plane = await startControlPlane();
    ws = await newWorkspace(plane.api, 'life');
  });
  afterAll(async () => {
    await plane.close();
  });

  const base = () => `/v2/workspaces/${ws}`;
  async function config(name: string, envs: Record<string, string> = {}, spec: Record<string, unknown> = {}) {
    const res = await plane.api.request('POST', `${base()}/deployment-configs`, {
      name,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct', ...spec },
      executor_config: { gpu: 1, additional_envs: envs },
    });
    expect(res.status).toBe(201);
  }
  async function deploy(name: string, configName: string) {
    const res = await plane.api.request('POST', `${base()}/deployments`, { name, config: configName });
    expect(res.status).toBe(201);
    return res.body;
  }
  async function waitFor(name: string, statuses = 'READY,FAILED', timeout = 30) {
    const res = await plane.api.request('GET', `${base()}/deployments/${name}?wait_for=${statuses}&timeout=${timeout}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  async function observe(name: string, version: number): Promise<InstanceObservation> {
    return runtime().observe(`${ws}.${name}.v${version}`);
  }

  it('goes CREATED → PENDING → READY, publishes a provider and the served models, and configures the server', async () => {
    await config(
      'happy',
      { SIM_LORA_ADAPTERS: 'support-bot' },
      {
        chat_template: '{{ messages }}',
        tool_call_config: { tool_call_parser: 'llama3_json', auto_tool_choice: true },
      },
    );
    await deploy('happy', 'happy');
    const ready = await waitFor('happy');
    expect(ready.status).toBe('READY');
    expect(ready.status_history.map((h: { status: string }) => h.status)).toEqual(['CREATED', 'PENDING', 'READY']);
    expect(ready.model_provider_id).toBe(`${ws}/happy`);

    const provider = (await plane.api.request('GET', `${base()}/providers/happy`)).body;
    expect(provider).toMatchObject({ status: 'READY', model_deployment_id: `${ws}/happy` });
    expect(provider.served_models).toEqual([
      { model_entity_id: `${ws}/meta-llama-3.1-8b-instruct`, served_model_name: 'meta/llama-3.1-8b-instruct' },
      { model_entity_id: `${ws}/meta-llama-3.1-8b-instruct@support-bot`, served_model_name: 'support-bot' },
    ]);
    const models = (await plane.api.request('GET', `${base()}/deployments/happy/models`)).body;
    expect(models).toEqual({
      workspace: ws,
      name: 'happy',
      model_provider_id: `${ws}/happy`,
      models: provider.served_models,
    });
    const lora = (await plane.api.request('GET', `${base()}/models/meta-llama-3.1-8b-instruct@support-bot`)).body;
    expect(lora).toMatchObject({
      finetuning_type: 'lora',
      base_model: `${ws}/meta-llama-3.1-8b-instruct`,
      model_providers: [`${ws}/happy`],
    });

    // The simulator shows the environment the control plane compiled.
    const simConfig = (await (await fetch(`${provider.host_url}/v1/sim/config`)).json()) as {
      env: Record<string, string>;
    };
    expect(JSON.stringify(simConfig)).toContain('llama3_json');
    expect(simConfig.env).toMatchObject({
      NIM_SERVED_MODEL_NAME: 'meta/llama-3.1-8b-instruct',
      NIM_CHAT_TEMPLATE: '{{ messages }}',
      NIM_TOOL_CALL_PARSER: 'llama3_json',
      NIM_ENABLE_AUTO_TOOL_CHOICE: '1',
    });
  });

  it("configures the server from its model entity's spec, kept per version: editing the entity changes new versions only", async () => {
    const entity = await plane.api.request('POST', `${base()}/models`, {
      name: 'tools-model',
      spec: {
        chat_template: 'entity-template',
        tool_call_config: { tool_call_parser: 'hermes', auto_tool_choice: false },
      },
    });
    expect(entity.status).toBe(201);
    // The config's own model_spec overrides the entity's parser; the entity's template and auto choice stay.
    const cfg = await plane.api.request('POST', `${base()}/deployment-configs`, {
      name: 'tools',
      engine: 'nim',
      model_entity_id: `${ws}/tools-model`,
      model_spec: {
        model_namespace: 'meta',
        model_name: 'llama-3.1-8b-instruct',
        tool_call_config: { tool_call_parser: 'llama3_json' },
      },
      executor_config: { gpu: 1 },
    });
    expect(cfg.status).toBe(201);
    await deploy('tools', 'tools');
    expect((await waitFor('tools')).status).toBe('READY');
    const envOf = async (version: number) => {
      const { endpoint } = await observe('tools', version);
      const sim = (await (await fetch(`${endpoint}/v1/sim/config`)).json()) as { env: Record<string, string> };
      return sim.env;
    };
    expect(await envOf(1)).toMatchObject({
      NIM_CHAT_TEMPLATE: 'entity-template',
      NIM_TOOL_CALL_PARSER: 'llama3_json',
      NIM_ENABLE_AUTO_TOOL_CHOICE: '0',
    });

    const edited = await plane.api.request('PATCH', `${base()}/models/tools-model`, {
      spec: { chat_template: 'edited-template' },
    });
    expect(edited.status).toBe(200);
    // The running version keeps what it was created with: no restart behind the user's back.
    const local = runtime() as LocalRuntime;
    const pid = local.describe(`${ws}.tools.v1`)?.pid;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pid).toBeDefined();
    expect(local.describe(`${ws}.tools.v1`)?.pid).toBe(pid);
    expect((await envOf(1)).NIM_CHAT_TEMPLATE).toBe('entity-template');
    // A new version takes the entity as it is now.
    expect((await plane.api.request('POST', `${base()}/deployments/tools`, { config: 'tools' })).status).toBe(201);
    const v2 = await waitFor('tools');
    expect(v2).toMatchObject({ entity_version: 2, status: 'READY' });
    const env2 = await envOf(2);
    expect(env2.NIM_CHAT_TEMPLATE).toBe('edited-template');
    expect(env2.NIM_TOOL_CALL_PARSER).toBe('llama3_json');
    expect(env2).not.toHaveProperty('NIM_ENABLE_AUTO_TOOL_CHOICE'); // PATCH replaces the spec as a whole
  });

  it('streams status changes as server-sent events until the wanted status', async () => {
    await config('streamed', { SIM_START_DELAY_MS: '300' });
    await deploy('streamed', 'streamed');
    const res = await fetch(`${plane.api.url}${base()}/deployments/streamed/events?until=READY,FAILED`, {
      headers: withAuth(),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text(); // ends when READY is reached
    const events = text
      .split('\n\n')
      .filter((e) => e.startsWith('event: status'))
      .map((e) => JSON.parse(e.split('\ndata: ')[1]));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1).status).toBe('READY');
  });

  it('rolls out a new version without downtime, then retires the old one', async () => {
    await config('roll');
    await deploy('roll', 'roll');
    const v1 = await waitFor('roll');
    expect(v1.status).toBe('READY');
    // v2 takes a while to start; the provider must keep answering throughout.
    const v2config = await plane.api.request('POST', `${base()}/deployment-configs/roll`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: { SIM_START_DELAY_MS: '1500' } },
    });
    expect(v2config.status).toBe(201);
    const created = await plane.api.request('POST', `${base()}/deployments/roll`, { config: 'roll' });
    expect(created.status).toBe(201);
    // The new version is the deployment's latest; version 1 is the one serving.
    expect(created.body).toMatchObject({ entity_version: 2, serving_version: 1 });

    let failures = 0;
    let served = 0;
    const hosts = new Set<string>();
    let done = false;
    const traffic = (async () => {
      while (!done) {
        const provider = (await plane.api.request('GET', `${base()}/providers/roll`)).body;
        hosts.add(provider.host_url);
        const res = await fetch(`${provider.host_url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'meta/llama-3.1-8b-instruct', messages: [{ role: 'user', content: 'hi' }] }),
        }).catch(() => null);
        if (res?.ok) served++;
        else failures++;
        await res?.text();
      }
    })();
    const v2 = await waitFor('roll');
    expect(v2).toMatchObject({ entity_version: 2, status: 'READY', serving_version: 2 });
    const old = await eventually(async () => {
      const v = (await plane.api.request('GET', `${base()}/deployments/roll/versions/1`)).body;
      return v.status === 'DELETED' && v;
    });
    done = true;
    await traffic;
    expect(old.status_history.map((h: { status: string }) => h.status)).toEqual([
      'CREATED',
      'PENDING',
      'READY',
      'DELETING',
      'DELETED',
    ]);
    expect(served).toBeGreaterThan(5);
    expect(failures).toBe(0);
    expect(hosts.size).toBe(2);
    expect((await observe('roll', 1)).phase).toBe('missing');
    expect((await plane.api.request('GET', `${base()}/providers/roll`)).body.host_url).toBe(
      v2.endpoint ?? (await observe('roll', 2)).endpoint,
    );
  });

  it('keeps the old version serving when a new version fails, and says so', async () => {
    await config('keep');
    await deploy('keep', 'keep');
    expect((await waitFor('keep')).status).toBe('READY');
    const hostBefore = (await plane.api.request('GET', `${base()}/providers/keep`)).body.host_url;
    await plane.api.request('POST', `${base()}/deployment-configs/keep`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: { SIM_FAIL_AT_START: 'weights not found in /model-store' } },
    });
    await plane.api.request('POST', `${base()}/deployments/keep`, { config: 'keep' });
    const failed = await waitFor('keep');
    expect(failed).toMatchObject({ entity_version: 2, status: 'FAILED', serving_version: 1 });
    expect(failed.status_message).toContain('weights not found in /model-store');
    expect(failed.status_message).toContain('Version 1 keeps serving');
    expect((await plane.api.request('GET', `${base()}/deployments/keep/versions/1`)).body.status).toBe('READY');
    const provider = (await plane.api.request('GET', `${base()}/providers/keep`)).body;
    expect(provider).toMatchObject({ host_url: hostBefore, status: 'READY' });
    expect((await fetch(`${hostBefore}/v1/health/ready`)).status).toBe(200);
    // The failed version's instance is removed right after its status is written.
    await eventually(async () => (await observe('keep', 2)).phase === 'missing');
  });

  it.each([
    ['start_failed', { SIM_FAIL_AT_START: 'CUDA driver not found' }, 'CUDA driver not found'],
    ['health_timeout', { SIM_NEVER_READY: '1' }, 'did not become ready'],
    ['crash_loop', { SIM_CRASH_AFTER_MS: '200' }, 'keeps crashing'],
  ])('ends in FAILED with reason %s', async (reason, envs, text) => {
    const name = uniqueName('fail').replace(/[^a-z0-9-]/g, '');
    await config(name, envs);
    await deploy(name, name);
    const failed = await waitFor(name, 'FAILED', 40);
    expect(failed.status).toBe('FAILED');
    expect(failed.status_reason).toBe(reason);
    expect(failed.status_message).toContain(text);
    // A failed version keeps no instance.
    await eventually(async () => (await observe(name, 1)).phase === 'missing');
  });

  it('reaches READY after a slow start', async () => {
    await config('slow', { SIM_START_DELAY_MS: '2500' });
    await deploy('slow', 'slow');
    expect((await waitFor('slow')).status).toBe('READY');
  });

  it('recreates an instance that disappears while READY', async () => {
    await config('drift');
    await deploy('drift', 'drift');
    expect((await waitFor('drift')).status).toBe('READY');
    await runtime().delete(`${ws}.drift.v1`); // removed behind the control plane's back
    const back = await eventually(async () => {
      const d = (await plane.api.request('GET', `${base()}/deployments/drift`)).body;
      return d.status === 'READY' && d.status_history.length > 3 && d;
    });
    const statuses = back.status_history.map((h: { status: string }) => h.status);
    expect(statuses).toEqual(['CREATED', 'PENDING', 'READY', 'PENDING', 'READY']);
    expect(back.status_history[3].status_message).toContain('disappeared');
    expect((await observe('drift', 1)).phase).toBe('ready');
  });

  it('names the provider {name}_{8 hex} when the deployment name is taken by another provider', async () => {
    expect(
      (await plane.api.request('POST', `${base()}/providers`, { name: 'clash', host_url: 'http://127.0.0.1:9' }))
        .status,
    ).toBe(201);
    await config('clash');
    await deploy('clash', 'clash');
    const ready = await waitFor('clash');
    expect(ready.model_provider_id).toMatch(new RegExp(`^${ws}/clash_[0-9a-f]{8}$`));
    const mine = (await plane.api.request('GET', `${base()}/providers/${ready.model_provider_id.split('/')[1]}`)).body;
    expect(mine.model_deployment_id).toBe(`${ws}/clash`);
    expect((await plane.api.request('GET', `${base()}/providers/clash`)).body.model_deployment_id).toBeUndefined();
  });

  it('removes an instance no deployment version owns (an orphan) at the next resync', async () => {
    const orphan = compileInstanceSpec(
      { workspace: ws, deployment: 'ghost', version: 1 },
      { engine: 'nim', modelEntityId: null, modelSpec: { model_name: 'm' }, executorConfig: { gpu: 0 } },
    );
    await runtime().apply(orphan);
    expect((await runtime().observe(orphan.instanceId)).phase).not.toBe('missing');
    await eventually(async () => (await runtime().observe(orphan.instanceId)).phase === 'missing', 20_000);
  });

  it('deletes: instances gone, provider gone, entities unlinked', async () => {
    await config('gone');
    await deploy('gone', 'gone');
    expect((await waitFor('gone')).status).toBe('READY');
    const pid = await fetch(`${(await observe('gone', 1)).endpoint}/v1/health/live`);
    expect(pid.status).toBe(200);
    expect((await plane.api.request('DELETE', `${base()}/deployments/gone`)).status).toBe(202);
    const deleted = await waitFor('gone', 'DELETED');
    expect(deleted.status).toBe('DELETED');
    expect((await observe('gone', 1)).phase).toBe('missing');
    expect((await plane.api.request('GET', `${base()}/providers/gone`)).status).toBe(404);
    const entity = (await plane.api.request('GET', `${base()}/models/meta-llama-3.1-8b-instruct`)).body;
    expect(entity.model_providers).not.toContain(`${ws}/gone`);
    // DELETED deployments are removed (retention 0 by default; see deployment-removal.e2e-spec.ts).
    await eventually(async () => (await plane.api.request('GET', `${base()}/deployments/gone`)).status === 404);
    expect((await plane.api.request('DELETE', `${base()}/deployments/gone`)).status).toBe(404);
  });
});

describe('scheduling against capacity', () => {
  let plane: ControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane({ LOCAL_RUNTIME_GPUS: '1', PENDING_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await plane.close();
  });

  it('fails with pending_timeout when the GPUs it needs never free up', async () => {
    const ws = await newWorkspace(plane.api, 'cap');
    await plane.api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, {
      name: 'big',
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-70b-instruct' },
      executor_config: { gpu: 2 },
    });
    await plane.api.request('POST', `/v2/workspaces/${ws}/deployments`, { name: 'big', config: 'big' });
    const res = await plane.api.request('GET', `/v2/workspaces/${ws}/deployments/big?wait_for=FAILED&timeout=30`);
    expect(res.body.status).toBe('FAILED');
    expect(res.body.status_message).toMatch(/could not start within/);
    expect(res.body.status_message).toMatch(/GPU/);
    expect(res.body.status_history.map((h: { status: string }) => h.status)).toContain('PENDING');
  });
});
