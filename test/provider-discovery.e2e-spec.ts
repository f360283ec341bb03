import { jest } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderRepository } from '#db';
import { ProviderDiscoveryService } from '../apps/worker/src/discovery/provider-discovery.service.js';
import { newWorkspace } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(60_000);

/** An external OpenAI-compatible API: serves a fixed model list and records the headers it got. */
function fakeUpstream(models: string[] | null): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    if (models === null || req.url !== '/v1/models') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'x' })) }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

describe('discovery of manually registered providers', () => {
  let plane: ControlPlane;
  let ws: string;
  const servers: Server[] = [];
  const discovery = () => plane.worker.get(ProviderDiscoveryService);

  beforeAll(async () => {
    plane = await startControlPlane({ PROVIDER_DISCOVERY_INTERVAL_MS: '600000' }); // driven by the test
    ws = await newWorkspace(plane.api, 'ext');
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await plane.close();
  });

  async function provider(name: string, body: Record<string, unknown>) {
    const res = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, { name, ...body });
    expect(res.status).toBe(201);
    return plane.worker.get(ProviderRepository).find(ws, name);
  }

  it('reads the model list with the provider key, creates entities, and publishes served_models', async () => {
    const upstream = await fakeUpstream(['gpt-4o', 'claude-3-5-sonnet', `${'x'}/Bad Name!`, 'embed-small']);
    servers.push(upstream.server);
    const key = 'sk-live-' + 'abc123def456';
    expect(
      (await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'openai-key', value: key })).status,
    ).toBe(201);
    const row = await provider('openai', {
      host_url: upstream.url,
      api_key_secret_name: 'openai-key',
      auth_header_format: 'x-api-key: {{ auth_secret }}',
      enabled_models: ['gpt-4o', 'claude-3-5-sonnet'],
    });
    await discovery().discoverOne(row!);

    expect(upstream.seen.at(-1)?.['x-api-key']).toBe(key);
    const p = (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/openai`)).body;
    expect(p.status).toBe('READY');
    expect(p.served_models).toEqual([
      { model_entity_id: `${ws}/gpt-4o`, served_model_name: 'gpt-4o' },
      { model_entity_id: `${ws}/claude-3-5-sonnet`, served_model_name: 'claude-3-5-sonnet' },
    ]);
    const claude = (await plane.api.request('GET', `/v2/workspaces/${ws}/models/claude-3-5-sonnet`)).body;
    expect(claude).toMatchObject({
      backend_format: 'ANTHROPIC_MESSAGES',
      api_endpoint: { url: upstream.url, model_id: 'claude-3-5-sonnet', format: 'openai' },
      model_providers: [`${ws}/openai`],
    });
    expect((await plane.api.request('GET', `/v2/workspaces/${ws}/models/embed-small`)).status).toBe(404); // not enabled
    expect(plane.api.logs.join('\n')).not.toContain(key);
  });

  it('marks a non-OpenAI endpoint READY with nothing routable', async () => {
    const upstream = await fakeUpstream(null);
    servers.push(upstream.server);
    const row = await provider('plain', { host_url: upstream.url });
    await discovery().discoverOne(row!);
    const p = (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/plain`)).body;
    expect(p).toMatchObject({
      status: 'READY',
      served_models: [],
      status_message: 'Non-OpenAI compliant endpoint, model entity routing disabled',
    });
  });

  it('turns an unreachable provider to ERROR after 30 s, retries, and writes it off as LOST after 15 min', async () => {
    const row = await provider('down', { host_url: 'http://127.0.0.1:9' });
    const later = (ms: number) => new Date(Date.now() + ms);
    await discovery().discoverOne(row!, later(5_000));
    expect((await plane.api.request('GET', `/v2/workspaces/${ws}/providers/down`)).body.status).toBe('UNKNOWN');
    await discovery().discoverOne(row!, later(31_000));
    const failed = (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/down`)).body;
    expect(failed.status).toBe('ERROR');
    expect(failed.status_message).toMatch(/^Provider discovery failed: /);
    const errored = await plane.worker.get(ProviderRepository).find(ws, 'down');
    await discovery().discoverOne(errored!, later(16 * 60_000));
    expect((await plane.api.request('GET', `/v2/workspaces/${ws}/providers/down`)).body.status).toBe('LOST');
  });

  it("a LoRA adapter on a deployment's model list becomes an adapter of its base model (upserted)", async () => {
    const base = `/v2/workspaces/${ws}`;
    const deploy = async (name: string) => {
      const cfg = await plane.api.request('POST', `${base}/deployment-configs`, {
        name,
        engine: 'nim',
        model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
        executor_config: { gpu: 1, additional_envs: { SIM_LORA_ADAPTERS: 'support-bot' } },
      });
      expect(cfg.status).toBe(201);
      expect((await plane.api.request('POST', `${base}/deployments`, { name, config: name })).status).toBe(201);
      const ready = await plane.api.request('GET', `${base}/deployments/${name}?wait_for=READY,FAILED&timeout=30`);
      expect(ready.body.status).toBe('READY');
    };
    await deploy('lora-a');
    const adapter = {
      id: expect.stringMatching(/^adapter-/),
      name: 'meta-llama-3.1-8b-instruct@support-bot', // the routable entity's name, unique in the workspace
      workspace: ws,
      model: `${ws}/meta-llama-3.1-8b-instruct`,
      finetuning_type: 'lora',
      enabled: true,
      description: expect.stringContaining('support-bot'),
      created_at: expect.any(String),
      updated_at: expect.any(String),
      created_by: 'system',
      updated_by: 'system',
    };
    const model = (await plane.api.request('GET', `${base}/models/meta-llama-3.1-8b-instruct`)).body;
    expect(model.adapters).toEqual([adapter]);
    expect(model.adapters[0].description).toContain('deployment lora-a');
    expect(model.adapters[0]).not.toHaveProperty('fileset'); // the server loads it itself: there is none to name
    const listed = await plane.api.request('GET', `${base}/models/meta-llama-3.1-8b-instruct/adapters`);
    expect(listed.body.data).toEqual([adapter]);

    // Another deployment serving it: still one adapter, which says where it was seen last.
    await deploy('lora-b');
    const again = await plane.api.request('GET', `${base}/adapters?filter[model]=${ws}/meta-llama-3.1-8b-instruct`);
    expect(again.body.data).toEqual([{ ...adapter, id: model.adapters[0].id }]);
    expect(again.body.data[0].description).toContain('deployment lora-b');
  });

  it('discoverAll checks every external provider', async () => {
    const upstream = await fakeUpstream(['timer-model']);
    servers.push(upstream.server);
    await provider('timed', { host_url: upstream.url });
    await discovery().discoverAll();
    await eventually(
      async () => (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/timed`)).body.status === 'READY',
    );
  });
});
