/**
 * The gateway's telemetry after known traffic, through a real listening gateway against NIM simulators and
 * tiny upstreams: /metrics counts and token sums equal to what the simulator's own counters say it
 * answered; streams that did not ask for usage get none while the metrics count it; one log line per
 * request, with no credential; every finished request handed to the outcome sinks; spans with the GenAI
 * attributes at an in-test OTLP receiver, and `traceparent` at the upstream.
 */
import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { GatewayConfig, loadEnv } from '#config';
import { OUTCOME_SINKS, type OutcomeSink, type RequestOutcome } from '#gateway';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { readSse, startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import { bearer, insertKey, testPool, type TestKey } from './access-helpers.js';
import { ADMIN_AUTH, LOOPBACK_EGRESS, newWorkspace, startApi, type Api } from './api-harness.js';
import { LogCapture } from './log-capture.js';
import { attr, failingUpstream, headerUpstream, otlpReceiver, parseMetrics, sum } from './telemetry-harness.js';
import { eventually } from './worker-harness.js';

describe('gateway telemetry: metrics, log lines, outcomes and traces after known traffic', () => {
  let api: Api;
  let pool: pg.Pool;
  let ws: string;
  let sim: TestSimulator;
  let cutter: TestSimulator;
  let echo: Awaited<ReturnType<typeof headerUpstream>>;
  let failing: Awaited<ReturnType<typeof failingUpstream>>;
  let otlp: Awaited<ReturnType<typeof otlpReceiver>>;
  let gateway: NestFastifyApplication;
  let base: string;
  let gatewayUrl: string;
  let caller: TestKey;
  const logs = new LogCapture();
  const outcomes: RequestOutcome[] = [];
  const servers: Server[] = [];
  let n = 0;

  const url = (route: string, path = 'v1/chat/completions') => `${base}/${route}/-/${path}`;
  /** A POST with the caller's key and a request id of its own (returned, to find its log line). */
  async function post(route: string, body: unknown, path?: string) {
    const id = `tel-${++n}`;
    const res = await fetch(url(route, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id, ...bearer(caller.key) },
      body: JSON.stringify(body),
    });
    return { id, res };
  }
  const chat = (extra: Record<string, unknown> = {}) => ({
    messages: [{ role: 'user', content: 'count the tokens of this request please' }],
    max_tokens: 6,
    ...extra,
  });
  async function scrape() {
    const res = await fetch(`${gatewayUrl}/metrics`, { headers: ADMIN_AUTH });
    expect(res.status).toBe(200);
    return parseMetrics(await res.text());
  }
  const simCounter = async (name: string) => {
    const text = await (await sim.get('/v1/metrics')).text();
    return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
  };

  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
    ws = await newWorkspace(api, 'tel');
    sim = await startTestSimulator({ NIM_SERVED_MODEL_NAME: 'org/chat' });
    cutter = await startTestSimulator({ NIM_SERVED_MODEL_NAME: 'org/cut', SIM_STREAM_CUT_AFTER: '3' });
    echo = await headerUpstream();
    failing = await failingUpstream();
    otlp = await otlpReceiver();
    servers.push(echo.server, failing.server, otlp.server);
    const pricing = { input_per_million_tokens: 2, output_per_million_tokens: 6, currency: 'USD' };
    for (const [entity, hostUrl, price] of [
      ['chat', sim.url, pricing],
      ['echo', echo.url, undefined],
      ['broken', failing.url, undefined],
      ['cut', cutter.url, undefined],
    ] as const) {
      const model = await api.request('POST', `/v2/workspaces/${ws}/models`, {
        name: entity,
        ...(price ? { pricing: price } : {}),
      });
      expect(model.status).toBe(201);
      const provider = await api.request('POST', `/v2/workspaces/${ws}/providers`, {
        name: `${entity}-provider`,
        host_url: hostUrl,
        status: 'READY',
        served_models: [{ model_entity_id: `${ws}/${entity}`, served_model_name: `org/${entity}` }],
      });
      expect(provider.status).toBe(201);
    }
    caller = await insertKey(pool, `user:tel-${ws}`, { scopes: ['inference'], roles: [[ws, 'Editor']] });
    const config = loadEnv(GatewayConfig, {
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      ...LOOPBACK_EGRESS,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    });
    gateway = await createGateway(config, { log: logs.options('log') });
    // A sink of the test's beside the metrics: every finished request comes here once.
    const recorder: OutcomeSink = { record: (outcome) => outcomes.push(outcome) };
    gateway.get<OutcomeSink[]>(OUTCOME_SINKS).push(recorder);
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    base = `${gatewayUrl}/v2/workspaces/${ws}/inference/gateway`;
    await eventually(async () => {
      const res = await fetch(`${base}/openai/-/v1/models`, { headers: bearer(caller.key) });
      if (res.status !== 200) return false;
      const ids = ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
      return ['chat', 'echo', 'broken', 'cut'].every((e) => ids.includes(`${ws}/${e}`));
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
    await cutter?.close();
    for (const server of servers) server.close();
    await pool?.end();
    await api?.close();
  });

  it('refuses GET /metrics without a key (401) and with a key that lacks metrics.read (403), never a 500', async () => {
    expect((await fetch(`${gatewayUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${gatewayUrl}/metrics`, { headers: bearer(caller.key) })).status).toBe(403);
  });

  it('counts requests, errors and tokens exactly as the traffic and the simulator say', async () => {
    const before = outcomes.length;
    const ids: string[] = [];
    // Non-streamed: 2 by the model route, 2 by the OpenAI route, 1 by the provider route.
    for (const [route, body] of [
      ['model/chat', chat()],
      ['model/chat', chat()],
      ['openai', chat({ model: 'chat' })],
      ['openai', chat({ model: `${ws}/chat` })],
      ['provider/chat-provider', chat({ model: 'org/chat' })],
    ] as const) {
      const { id, res } = await post(route, body);
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { usage: { completion_tokens: number } };
      expect(answer.usage.completion_tokens).toBeGreaterThan(0);
      ids.push(id);
    }
    // Streamed without asking for usage (2): the client gets no usage chunk and no usage field.
    for (const route of ['openai', 'model/chat']) {
      const { id, res } = await post(route, chat({ model: 'chat', stream: true }));
      expect(res.status).toBe(200);
      const { data, error } = await readSse(res);
      expect(error).toBeNull();
      expect(data.at(-1)).toBe('[DONE]');
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.every((c) => !('usage' in c) && Array.isArray(c.choices) && c.choices.length > 0)).toBe(true);
      ids.push(id);
    }
    // Streamed asking for usage (1): the client gets the usage chunk.
    {
      const { id, res } = await post(
        'openai',
        chat({ model: 'chat', stream: true, stream_options: { include_usage: true } }),
      );
      const { data } = await readSse(res);
      const last = JSON.parse(data.at(-2)!) as { choices: unknown[]; usage: { completion_tokens: number } };
      expect(last.choices).toEqual([]);
      expect(last.usage.completion_tokens).toBeGreaterThan(0);
      ids.push(id);
    }
    // An upstream error (500 on each of the 3 attempts), and a model nobody registered.
    const broken = await post('model/broken', chat());
    expect(broken.res.status).toBe(500);
    await broken.res.text();
    expect(failing.calls()).toBe(3);
    const unknown = await post('openai', chat({ model: 'no-such-model-0f9' }));
    expect(unknown.res.status).toBe(404);
    await unknown.res.text();
    // A stream the upstream cuts after its first tokens: the client gets an error event, the metrics a cut stream.
    const cut = await post('model/cut', chat({ stream: true }));
    expect(cut.res.status).toBe(200);
    const cutText = await cut.res.text();
    expect(cutText).toMatch(/event: error\ndata: .*gateway\/stream_interrupted/);
    expect(cutText).not.toContain('[DONE]');
    ids.push(broken.id, unknown.id, cut.id);

    await eventually(async () => outcomes.length - before === ids.length, 5000, 20);
    const metrics = await scrape();
    const mine = { workspace: ws };
    const requests = (where: Record<string, string>) =>
      sum(metrics, 'modelplane_gateway_requests_total', { ...mine, ...where });
    expect(requests({ model: 'chat', provider: `${ws}/chat-provider`, status_class: '2xx' })).toBe(8);
    expect(requests({ model: 'chat', route: 'model' })).toBe(3);
    expect(requests({ model: 'chat', route: 'openai' })).toBe(4);
    expect(requests({ model: 'chat', route: 'provider' })).toBe(1);
    expect(requests({ model: 'broken', provider: `${ws}/broken-provider`, status_class: '5xx' })).toBe(1);
    expect(requests({ model: '(unknown)', provider: '(none)', status_class: '4xx' })).toBe(1);
    // No label ever carries the request's own model name.
    expect([...metrics.values()].flat().some((s) => Object.values(s.labels).includes('no-such-model-0f9'))).toBe(false);
    const errors = (cause: string) => sum(metrics, 'modelplane_gateway_errors_total', { ...mine, cause });
    expect([errors('upstream_status'), errors('not_found'), errors('stream_cut')]).toEqual([1, 1, 1]);
    expect(sum(metrics, 'modelplane_gateway_errors_total', { ...mine, model: 'cut', cause: 'stream_cut' })).toBe(1);
    expect(
      sum(metrics, 'modelplane_gateway_retries_total', { model: `${ws}/broken`, provider: `${ws}/broken-provider` }),
    ).toBe(2);

    // Tokens: what the simulator says it read and generated, for all 8 answers, streams included.
    const tokens = (type: string) =>
      sum(metrics, 'gen_ai_client_token_usage_sum', { ...mine, gen_ai_request_model: 'chat', gen_ai_token_type: type });
    expect(tokens('input')).toBe(await simCounter('nim_sim_prompt_tokens_total'));
    expect(tokens('output')).toBe(await simCounter('nim_sim_generated_tokens_total'));
    expect(tokens('output')).toBeGreaterThan(8);
    expect(
      sum(metrics, 'gen_ai_client_token_usage_count', {
        ...mine,
        gen_ai_request_model: 'chat',
        gen_ai_token_type: 'output',
      }),
    ).toBe(8);
    const duration = (where: Record<string, string>) =>
      sum(metrics, 'gen_ai_client_operation_duration_seconds_count', { ...mine, ...where });
    expect(duration({ gen_ai_operation_name: 'chat', gen_ai_request_model: 'chat', error_type: '' })).toBe(8);
    expect(duration({ gen_ai_request_model: 'broken', error_type: 'upstream_status' })).toBe(1);
    // Time to first token for the 3 streams on the model and OpenAI routes.
    expect(
      sum(metrics, 'gen_ai_server_time_to_first_token_seconds_count', { ...mine, gen_ai_request_model: 'chat' }),
    ).toBe(3);
    expect(
      sum(metrics, 'gen_ai_server_time_per_output_token_seconds_count', { ...mine, gen_ai_request_model: 'chat' }),
    ).toBe(3);
    expect(sum(metrics, 'modelplane_gateway_model_ready_providers', { ...mine, model: 'chat' })).toBe(1);
    expect(sum(metrics, 'modelplane_gateway_in_flight_requests', { provider: `${ws}/chat-provider` })).toBe(0);

    // The outcomes: who, which key, model, provider, tokens and prices.
    const byId = new Map(outcomes.map((o) => [o.requestId, o]));
    const first = byId.get(ids[0])!;
    expect(first).toMatchObject({
      workspace: ws,
      principal: caller.principal,
      keyId: caller.id,
      route: 'model',
      model: `${ws}/chat`,
      virtualModel: false,
      provider: `${ws}/chat-provider`,
      operation: 'chat',
      status: 200,
      cause: null,
      pricing: { input_per_million_tokens: 2, output_per_million_tokens: 6, currency: 'USD' },
    });
    expect(first.inputTokens).toBeGreaterThan(0);
    expect(byId.get(ids[5])!.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(byId.get(unknown.id)).toMatchObject({ model: null, provider: null, status: 404, cause: 'not_found' });

    // One line per request, with its fields, and nowhere the caller's key.
    for (const id of ids) {
      const lines = logs.records.filter((r) => r.request_id === id && typeof r.status === 'number');
      expect(lines).toHaveLength(1);
      expect(Object.keys(lines[0])).toEqual(
        expect.arrayContaining(['method', 'route', 'status', 'duration_ms', 'principal', 'model', 'provider', 'cause']),
      );
      expect(lines[0]).toMatchObject({ method: 'POST', principal: caller.principal });
    }
    const firstLine = logs.records.find((r) => r.request_id === ids[0] && typeof r.status === 'number')!;
    expect(firstLine).toMatchObject({
      route: '/v2/workspaces/:workspace/inference/gateway/model/:name/-/*',
      status: 200,
      model: `${ws}/chat`,
      provider: `${ws}/chat-provider`,
      cause: null,
      input_tokens: first.inputTokens,
      output_tokens: first.outputTokens,
    });
    expect(logs.lines.some((l) => l.includes(caller.key))).toBe(false);
  });

  it('counts a refused call as refused, under (unknown) for a workspace the registry does not know', async () => {
    const before = outcomes.length;
    const garbage = `${gatewayUrl}/v2/workspaces/no-such-ws-77/inference/gateway/model/chat/-/v1/chat/completions`;
    for (const target of [url('model/chat'), garbage]) {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer('not-a-key-but-long-enough-0123456789abcdef') },
        body: JSON.stringify(chat()),
      });
      expect(res.status).toBe(401);
      await res.text();
    }
    await eventually(async () => outcomes.length - before === 2, 5000, 20);
    expect(outcomes.slice(before).map((o) => [o.status, o.cause, o.principal])).toEqual([
      [401, 'refused', null],
      [401, 'refused', null],
    ]);
    const metrics = await scrape();
    const refused = (workspace: string) =>
      sum(metrics, 'modelplane_gateway_errors_total', { workspace, cause: 'refused', model: '(unknown)' });
    expect([refused(ws), refused('(unknown)')]).toEqual([1, 1]);
    expect([...metrics.values()].flat().some((m) => Object.values(m.labels).includes('no-such-ws-77'))).toBe(false);
  });

  it('sends traceparent upstream and a SERVER span with the GenAI attributes and a CLIENT span per attempt', async () => {
    const { id, res } = await post('model/echo', chat());
    expect(res.status).toBe(200);
    await res.text();
    const traceparent = echo.seen.at(-1)!.traceparent as string;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, clientSpanId] = traceparent.split('-');
    await eventually(async () => otlp.spans.some((s) => s.traceId === traceId && s.kind === 2), 10_000, 100);
    const server = otlp.spans.find((s) => s.traceId === traceId && s.kind === 2)!;
    const client = otlp.spans.find((s) => s.spanId === clientSpanId)!;
    expect(client).toMatchObject({ kind: 3, parentSpanId: server.spanId });
    expect({
      operation: attr(server, 'gen_ai.operation.name'),
      model: attr(server, 'gen_ai.request.model'),
      provider: attr(server, 'gen_ai.provider.name'),
      input: attr(server, 'gen_ai.usage.input_tokens'),
      output: attr(server, 'gen_ai.usage.output_tokens'),
      request: attr(server, 'modelplane.request_id'),
    }).toEqual({
      operation: 'chat',
      model: `${ws}/echo`,
      provider: `${ws}/echo-provider`,
      input: 11,
      output: 7,
      request: id,
    });
  });
});
