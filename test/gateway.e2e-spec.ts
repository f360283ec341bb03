/**
 * The inference gateway through the official `openai` SDK, against NIM
 * simulators deployed by the lifecycle engine (API + worker + local
 * runtime), plus a simulator registered by hand as an external provider
 * that wants an API key. All three routes, streaming, the model list, key
 * injection, failover, a cut stream, the reference's errors, no secret in
 * any log line or response.
 */
import { request } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import { ApiConfig, GatewayConfig, loadEnv } from '#config';
import type { LocalRuntime, Runtime } from '#runtime';
import { createApp } from '../apps/api/src/app.factory.js';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import { RUNTIME } from '../apps/worker/src/tokens.js';
import { ADMIN_AUTH, LOOPBACK_EGRESS, newWorkspace, TEST_ADMIN_KEY, withAuth } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';
import { LogCapture, SILENT } from './log-capture.js';

/** A POST whose path goes on the wire exactly as written (no URL normalisation). */
function rawPostTo(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_AUTH } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

const SECRET_VALUE = 'nvapi-gateway-test-secret-7f3a9c';
/** The client's key: the admin's, which the gateway checks and must never forward upstream. */
const CLIENT_KEY = TEST_ADMIN_KEY;

/** A fetch carrying the client's key, as every gateway and API call must now. */
const authed = (url: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {}) =>
  fetch(url, { ...init, headers: withAuth(init.headers) });

describe('inference gateway (openai SDK, simulators deployed by the engine)', () => {
  let plane: ControlPlane;
  let gateway: NestFastifyApplication;
  let gw: string;
  let ws: string;
  let external: TestSimulator;
  const logs = new LogCapture();
  const logLines = logs.lines;
  const runtime = () => plane.worker.get<Runtime>(RUNTIME) as LocalRuntime;

  const rawPost = (path: string) => rawPostTo(gw, path);
  const route = (kind: string) => `${gw}/v2/workspaces/${ws}/inference/gateway/${kind}/-/v1`;
  const client = (kind: string) => new OpenAI({ baseURL: route(kind), apiKey: CLIENT_KEY, maxRetries: 0 });
  const chat = { messages: [{ role: 'user' as const, content: 'tell me about gateways' }], max_tokens: 8 };

  async function deploy(name: string, configName: string, envs: Record<string, string> = {}, entity = 'llama') {
    const cfg = await plane.api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, {
      name: configName,
      engine: 'nim',
      model_entity_id: `${ws}/${entity}`,
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: envs },
    });
    expect([201, 409]).toContain(cfg.status);
    expect(
      (await plane.api.request('POST', `/v2/workspaces/${ws}/deployments`, { name, config: configName })).status,
    ).toBe(201);
  }
  async function waitReady(name: string) {
    const res = await plane.api.request(
      'GET',
      `/v2/workspaces/${ws}/deployments/${name}?wait_for=READY,FAILED&timeout=30`,
    );
    expect(res.body.status).toBe('READY');
    return res.body;
  }

  beforeAll(async () => {
    plane = await startControlPlane({ PROVIDER_DISCOVERY_INTERVAL_MS: '1000' });
    ws = await newWorkspace(plane.api, 'gw');
    const config = loadEnv(GatewayConfig, {
      DATABASE_URL: plane.env.DATABASE_URL,
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_CONNECT_TIMEOUT_MS: '1000',
      ...LOOPBACK_EGRESS,
    });
    gateway = await createGateway(config, { log: logs.options() });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    gw = await gateway.getUrl();
    gw = gw.replace('[::1]', '127.0.0.1');

    await deploy('alpha', 'llama-1gpu');
    await deploy('beta', 'llama-1gpu');
    await Promise.all([waitReady('alpha'), waitReady('beta')]);

    // An external provider that wants a key: a simulator started directly, its key in a secret.
    external = await startTestSimulator({ SIM_API_KEY: SECRET_VALUE });
    expect(
      (await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'ext-key', value: SECRET_VALUE }))
        .status,
    ).toBe(201);
    const ext = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'ext',
      host_url: external.url,
      api_key_secret_name: 'ext-key',
    });
    expect(ext.status).toBe(201);
    // The gateway hears of every change through Postgres; wait until it routes both deployments' models.
    await eventually(
      async () =>
        (await authed(`${route('openai')}/models`)).ok && (await client('openai').models.list()).data.length > 0,
    );
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await external?.close();
    await plane?.close();
  }, 60_000);

  it('routes by model entity: chat, completions and streaming, with the model rewritten to workspace/name', async () => {
    const sdk = client('model/llama');
    const answer = await sdk.chat.completions.create({ model: 'ignored-on-this-route', ...chat });
    expect(answer.model).toBe(`${ws}/llama`);
    expect(answer.choices[0].message.content?.length).toBeGreaterThan(0);
    expect(answer.usage?.completion_tokens).toBe(8);

    const completion = await sdk.completions.create({ model: 'x', prompt: 'once upon a time', max_tokens: 5 });
    expect(completion.model).toBe(`${ws}/llama`);
    expect(completion.choices[0].text.length).toBeGreaterThan(0);

    const stream = await sdk.chat.completions.create({ model: 'x', ...chat, stream: true });
    let text = '';
    const models = new Set<string>();
    for await (const chunk of stream) {
      models.add(chunk.model);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect([...models]).toEqual([`${ws}/llama`]);
    // The simulator's text is deterministic: streamed and whole answers agree.
    expect(text).toBe(answer.choices[0].message.content);
  });

  it('routes OpenAI-style with the model in the body, as workspace/name or name, and lists the routable models', async () => {
    const sdk = client('openai');
    const a = await sdk.chat.completions.create({ model: `${ws}/llama`, ...chat });
    const b = await sdk.chat.completions.create({ model: 'llama', ...chat });
    expect(a.model).toBe(`${ws}/llama`);
    expect(b.choices[0].message.content).toBe(a.choices[0].message.content);
    const listed = await sdk.models.list();
    expect(listed.data.map((m) => m.id)).toContain(`${ws}/llama`);
    expect(listed.data[0]).toMatchObject({ object: 'model', owned_by: ws, created: 0 });
  });

  it('routes to one provider by name, passing the answer through as the server sent it', async () => {
    const sdk = client('provider/alpha');
    const answer = await sdk.chat.completions.create({ model: 'meta/llama-3.1-8b-instruct', ...chat });
    expect(answer.model).toBe('meta/llama-3.1-8b-instruct');
    const raw = await authed(`${route('provider/alpha')}/models?probe=1`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-request-id')).toBeTruthy();
    expect(((await raw.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toContain(
      'meta/llama-3.1-8b-instruct',
    );
  });

  it("injects the provider's key from its secret, never forwards the client's, and never shows the key", async () => {
    const sdk = client('provider/ext');
    const answer = await sdk.chat.completions.create({ model: 'meta/llama-3.1-8b-instruct', ...chat });
    expect(answer.choices[0].message.content?.length).toBeGreaterThan(0);
    // Straight to the simulator with the client's key: refused, so the gateway's request carried the secret.
    const direct = await fetch(`${external.url}/v1/models`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(direct.status).toBe(401);
    const seen = (await (await external.get('/v1/sim/requests')).json()) as {
      data: { url: string; authorization: string; x_api_key: string; headers: Record<string, string> }[];
    };
    const viaGateway = seen.data.filter((r) => r.url === '/v1/chat/completions');
    expect(viaGateway.length).toBeGreaterThan(0);
    for (const r of viaGateway) {
      expect(r.authorization).toBe('valid');
      expect(r.x_api_key).toBe('absent');
      expect(r.headers['x-request-id']).toBeTruthy();
    }
    const provider = await plane.api.request('GET', `/v2/workspaces/${ws}/providers/ext`);
    expect(JSON.stringify(provider.body)).not.toContain(SECRET_VALUE);
  });

  it("passes a provider's own error through its route, status and body, with no key in it", async () => {
    expect(
      (await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'wrong-key', value: 'not-the-key' }))
        .status,
    ).toBe(201);
    const created = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'ext-wrong',
      host_url: external.url,
      api_key_secret_name: 'wrong-key',
    });
    expect(created.status).toBe(201);
    const res = await eventually(async () => {
      const r = await authed(`${route('provider/ext-wrong')}/models`);
      return r.status === 401 && r;
    });
    const text = await res.text();
    expect(text).toContain('Invalid or missing API key');
    expect(text).not.toContain('not-the-key');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('asks the upstream for an uncompressed answer on the routes that rewrite it', async () => {
    const res = await authed(`${route('model/llama')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br', 'x-request-id': 'enc-check' },
      body: JSON.stringify(chat),
    });
    expect(res.status).toBe(200);
    await res.text();
    const seen: { headers: Record<string, string> }[] = [];
    for (const name of ['alpha', 'beta']) {
      const { endpoint } = await runtime().observe(`${ws}.${name}.v1`);
      if (!endpoint) continue;
      const body = (await (await fetch(`${endpoint}/v1/sim/requests`)).json()) as {
        data: { headers: Record<string, string> }[];
      };
      seen.push(...body.data.filter((r) => r.headers['x-request-id'] === 'enc-check'));
    }
    expect(seen).toHaveLength(1);
    expect(seen[0].headers['accept-encoding']).toBe('identity');
  });

  it('keeps or creates x-request-id', async () => {
    const kept = await authed(`${route('model/llama')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123' },
      body: JSON.stringify(chat),
    });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const made = await authed(`${route('model/llama')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat),
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the reference errors with a detail that names the problem', async () => {
    const post = (kind: string, body: string, path = '/chat/completions') =>
      authed(`${route(kind)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const expectError = async (res: Response, status: number, detail: RegExp) => {
      expect(res.status).toBe(status);
      const body = (await res.json()) as { detail: string; code: string };
      expect(body.detail).toMatch(detail);
      expect(typeof body.code).toBe('string');
    };
    await expectError(await post('openai', '{not json'), 400, /^Invalid request body/);
    await expectError(await post('openai', '{"messages":[]}'), 400, /^Could not extract model from openai request/);
    await expectError(await post('openai', '{"model":"other-ws/llama"}'), 422, /another workspace/);
    await expectError(await post('model/nope', '{}'), 404, /Model entity not found for .*\/nope/);
    await expectError(await post('provider/nope', '{}'), 404, /Model provider not found for .*\/nope/);
    // fetch resolves dot segments before sending; a raw client does not.
    const dots = await rawPost(`/v2/workspaces/${ws}/inference/gateway/model/llama/-/v1/../../admin`);
    expect(dots.status).toBe(400);
    expect(dots.body).toMatch(/'\.' or '\.\.'/);
    await expectError(await post('model/llama', '{}', '/chat%2F..%2Fcompletions'), 400, /encoded slashes/);
  });

  it('answers 503 naming each provider and its state when none of a model entity is READY', async () => {
    const created = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'down',
      host_url: 'http://127.0.0.1:9',
      served_models: [{ model_entity_id: `${ws}/down-model`, served_model_name: 'down-model' }],
    });
    expect(created.status).toBe(201);
    const res = await eventually(async () => {
      const r = await authed(`${route('model/down-model')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return r.status === 503 && r;
    });
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(
      new RegExp(`No READY provider serves model entity ${ws}/down-model: ${ws}/down is (UNKNOWN|ERROR|LOST)`),
    );
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('fails over to another provider when one dies, with no error reaching the client', async () => {
    const alphaPid = runtime().describe(`${ws}.alpha.v1`)?.pid as number;
    expect(alphaPid).toBeGreaterThan(0);
    // The worker would see the death within milliseconds and take alpha's provider out of the table; with it
    // stopped, alpha stays READY there, as it does while a dying server has not been noticed yet.
    await plane.stopWorker();
    try {
      process.kill(alphaPid, 'SIGKILL');
      const sdk = client('model/llama');
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => sdk.chat.completions.create({ model: 'x', ...chat })),
      );
      for (const answer of answers) expect(answer.model).toBe(`${ws}/llama`);
      expect(logLines.some((l) => l.includes(`${ws}/alpha failed`))).toBe(true);
    } finally {
      await plane.startWorker();
    }
  });

  it('retries a 5xx answered before any byte on another provider of the entity', async () => {
    await deploy('flaky', 'flaky', { SIM_ERROR_RATE: '1' }, 'retry-model'); // every completion answers 500
    await deploy('steady', 'steady', {}, 'retry-model');
    const [flaky] = await Promise.all([waitReady('flaky'), waitReady('steady')]);
    const failed = async () => {
      const text = await (await fetch(`${flaky.endpoint}/v1/metrics`)).text();
      return Number(
        /nim_sim_requests_total\{route="\/v1\/chat\/completions",status="500"\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    };
    const sdk = client('model/retry-model');
    // Until the gateway has both providers and has tried the flaky one, every answer must still be a success.
    await eventually(async () => {
      const answer = await sdk.chat.completions.create({ model: 'x', ...chat });
      expect(answer.model).toBe(`${ws}/retry-model`);
      return (await failed()) > 0;
    });
    for (let i = 0; i < 6; i++)
      expect((await sdk.chat.completions.create({ model: 'x', ...chat })).model).toBe(`${ws}/retry-model`);
    expect(await failed()).toBeGreaterThan(0);
  }, 60_000);

  it('gives up on a provider that sends no headers within GATEWAY_FIRST_BYTE_TIMEOUT_MS, with a 502', async () => {
    const sluggish = await startTestSimulator({ SIM_TOKEN_DELAY_MS: '100' }); // 30 tokens: 3 s before the answer
    const impatient = await createGateway(
      loadEnv(GatewayConfig, {
        DATABASE_URL: plane.env.DATABASE_URL,
        GATEWAY_FIRST_BYTE_TIMEOUT_MS: '300',
        ...LOOPBACK_EGRESS,
      }),
      { log: SILENT },
    );
    await impatient.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(
        (
          await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
            name: 'sluggish',
            host_url: sluggish.url,
          })
        ).status,
      ).toBe(201);
      const base = (await impatient.getUrl()).replace('[::1]', '127.0.0.1');
      const url = `${base}/v2/workspaces/${ws}/inference/gateway/provider/sluggish/-/v1/chat/completions`;
      await eventually(async () => (await authed(url.replace('chat/completions', 'models'))).ok);
      const started = Date.now();
      const res = await authed(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat, max_tokens: 30 }),
      });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/Backend networking error: .*HEADERS_TIMEOUT/);
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await impatient.close();
      await sluggish.close();
    }
  }, 30_000);

  it('ends a stream cut part-way with an explicit SSE error event, never a normal end', async () => {
    await deploy('cutter', 'cutter', { SIM_STREAM_CUT_AFTER: '3' }, 'cut-model');
    await waitReady('cutter');
    await eventually(async () => (await client('openai').models.list()).data.some((m) => m.id === `${ws}/cut-model`));
    // The SDK surfaces the error event as an error.
    const stream = await client('model/cut-model').chat.completions.create({ model: 'x', ...chat, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
      })(),
    ).rejects.toThrow(/stream/);
    // On the wire: the events that came, then `event: error`, and no [DONE].
    const res = await authed(`${route('model/cut-model')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const text = await res.text();
    expect(text).toMatch(
      /event: error\ndata: \{"error":\{"message":"The upstream stream (broke|ended before \[DONE\])/,
    );
    expect(text).not.toContain('[DONE]');
    expect(text).toContain('"code":"gateway/stream_interrupted"');
  });

  it('refuses a body over GATEWAY_MAX_BODY_BYTES with 413, before reading it', async () => {
    const small = await createGateway(
      loadEnv(GatewayConfig, { DATABASE_URL: plane.env.DATABASE_URL, GATEWAY_MAX_BODY_BYTES: String(1024 * 1024) }),
      { log: SILENT },
    );
    await small.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = new URL((await small.getUrl()).replace('[::1]', '127.0.0.1'));
      // The headers announce 2 MiB and no byte of the body follows: the answer comes from the length alone.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v2/workspaces/${ws}/inference/gateway/model/llama/-/v1/chat/completions`,
            headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024), ...ADMIN_AUTH },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => {
              req.destroy(); // the announced body never comes: close the connection
              resolve({ status: res.statusCode ?? 0, body });
            });
          },
        );
        req.on('error', reject);
        req.flushHeaders();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).detail).toMatch(/larger than 1048576 bytes/);
    } finally {
      await small.close();
    }
  }, 30_000);

  it('answers 424 naming the provider, never the key, when its secret cannot be decrypted', async () => {
    // Another gateway holding other secret keys than the API sealed with: the key cannot be opened.
    const other = await createGateway(
      loadEnv(GatewayConfig, {
        DATABASE_URL: plane.env.DATABASE_URL,
        MODELPLANE_SECRET_KEYS: 'other:' + Buffer.alloc(32, 7).toString('base64'),
      }),
      { log: SILENT },
    );
    await other.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = (await other.getUrl()).replace('[::1]', '127.0.0.1');
      const res = await authed(`${base}/v2/workspaces/${ws}/inference/gateway/provider/ext/-/v1/models`);
      expect(res.status).toBe(424);
      const text = await res.text();
      expect(text).toMatch(new RegExp(`Could not fetch secret for provider ${ws}/ext`));
      expect(text).not.toContain(SECRET_VALUE);
    } finally {
      await other.close();
    }
  }, 30_000);

  it('cancels the upstream request when the client disconnects', async () => {
    const slow = await startTestSimulator({ SIM_TOKEN_DELAY_MS: '100' });
    try {
      expect(
        (
          await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
            name: 'slow',
            host_url: slow.url,
          })
        ).status,
      ).toBe(201);
      const inFlight = async () => {
        const text = await (await slow.get('/v1/metrics')).text();
        return Number(/^nim_sim_requests_in_flight (\d+)/m.exec(text)?.[1]);
      };
      await eventually(async () => {
        const res = await authed(`${route('provider/slow')}/models`);
        await res.text();
        return res.ok;
      });
      const abort = new AbortController();
      const res = await authed(`${route('provider/slow')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat, max_tokens: 100, stream: true }),
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      await reader.read(); // the stream has begun upstream
      expect(await inFlight()).toBe(2); // the stream and this metrics request
      abort.abort();
      await eventually(async () => (await inFlight()) === 1, 5000, 50); // only the metrics request is left
    } finally {
      await slow.close();
    }
  }, 30_000);

  it('is served on the API port too (API_SERVES_GATEWAY), so one base URL reaches the registry and inference', async () => {
    const env = {
      DATABASE_URL: plane.env.DATABASE_URL,
      QUEUE_PREFIX: plane.env.QUEUE_PREFIX,
      MIGRATE_ON_START: 'false',
    };
    const api = await createApp(loadEnv(ApiConfig, env), { log: SILENT, gateway: loadEnv(GatewayConfig, env) });
    await api.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = (await api.getUrl()).replace('[::1]', '127.0.0.1');
      const registry = await authed(`${base}/v2/workspaces/${ws}/deployments`);
      expect(registry.status).toBe(200);
      const sdk = new OpenAI({
        baseURL: `${base}/v2/workspaces/${ws}/inference/gateway/openai/-/v1`,
        apiKey: CLIENT_KEY,
        maxRetries: 0,
      });
      const answer = await sdk.chat.completions.create({ model: `${ws}/llama`, ...chat });
      expect(answer.model).toBe(`${ws}/llama`);
      expect((await sdk.models.list()).data.map((m) => m.id)).toContain(`${ws}/llama`);
    } finally {
      await api.close();
    }
  }, 30_000);

  it('writes no secret into any log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(SECRET_VALUE);
      expect(line).not.toContain(CLIENT_KEY);
    }
  });
});
