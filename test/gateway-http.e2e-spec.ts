/**
 * The gateway's HTTP behaviour towards clients and upstreams, on both ports
 * that serve its routes (the gateway app and the API with
 * API_SERVES_GATEWAY): which headers travel, which requests a browser page
 * could forge, OpenAI's error shape, models.retrieve, the provider's key
 * masked in successful answers, and hostile bodies. The upstream is a tiny
 * node:http server, registered as a manual provider that wants a key.
 */
import { jest } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import { ApiConfig, GatewayConfig, loadEnv } from '#config';
import { ProviderRepository } from '#db';
import { createApp } from '../apps/api/src/app.factory.js';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { ProviderDiscoveryService } from '../apps/worker/src/discovery/provider-discovery.service.js';
import { LOOPBACK_EGRESS, newWorkspace, TEST_ADMIN_KEY, withAuth } from './api-harness.js';
import { send as sendRaw, type Answer } from './gateway-auth-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(60_000);

const KEY = 'sk-upstream-secret-9d8c7b6a5f4e3d2c';
const SERVED = 'echo-model';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** An OpenAI-compatible upstream that records what it receives and echoes the Authorization it got. */
function echoUpstream(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const auth = req.headers.authorization ?? '';
    // The key split in two writes, so it reaches the gateway in two chunks.
    const cut = auth.length - 10;
    const echoInTwo = async (type: string, before: string, after: string) => {
      res.writeHead(200, { 'content-type': type });
      res.write(before + auth.slice(0, cut));
      await new Promise((r) => setTimeout(r, 30));
      res.end(auth.slice(cut) + after);
    };
    if (req.url === '/v1/models') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'upstream-session=abc; Path=/',
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'alt-svc': 'h2="elsewhere.example:443"',
        'x-upstream': 'kept',
      });
      res.end(JSON.stringify({ object: 'list', data: [{ id: SERVED, object: 'model', owned_by: 'x' }] }));
    } else if (req.url === '/v1/chat/completions') {
      const parsed = JSON.parse(body || '{}') as { stream?: boolean; temperature?: unknown; model?: string };
      const deep = `{"model":"${SERVED}","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      if (parsed.temperature === 'deep' && parsed.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${deep}\n\ndata: [DONE]\n\n`);
      } else if (parsed.temperature === 'deep') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(deep);
      } else if (parsed.temperature === 'bad') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `${SERVED}: temperature must be a number`,
              type: 'invalid_request_error',
              param: 'temperature',
              code: null,
            },
          }),
        );
      } else if (parsed.stream) {
        await echoInTwo(
          'text/event-stream',
          `data: {"model":"${SERVED}","choices":[{"index":0,"delta":{"content":"`,
          `"}}]}\n\ndata: [DONE]\n\n`,
        );
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            model: parsed.model,
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: auth }, finish_reason: 'stop' }],
          }),
        );
      }
    } else if (req.url === '/v1/echo') {
      await echoInTwo('text/plain', 'you sent: ', '\n');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such route"}}');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

/**
 * A request with exactly these headers and this body (fetch refuses hop-by-hop headers and rewrites others),
 * as the admin unless `headers` carry an authorization of their own (an empty one sends none).
 */
function send(url: string, method: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  return sendRaw(url, method, withAuth(headers), body);
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('inference gateway HTTP behaviour', () => {
  let plane: ControlPlane;
  let upstream: Awaited<ReturnType<typeof echoUpstream>>;
  let gateway: NestFastifyApplication;
  let apiWithGateway: NestFastifyApplication;
  let ws: string;
  const bases: Record<string, string> = {};
  const logLines: string[] = [];

  beforeAll(async () => {
    plane = await startControlPlane({ PROVIDER_DISCOVERY_INTERVAL_MS: '600000' }); // discovery driven here
    ws = await newWorkspace(plane.api, 'gwh');
    upstream = await echoUpstream();
    expect((await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'k', value: KEY })).status).toBe(
      201,
    );
    for (const [name, body] of [
      ['echo', { host_url: upstream.url, api_key_secret_name: 'k' }],
      // Adds a field to bodies: its provider route parses JSON bodies too.
      ['extra', { host_url: upstream.url, required_extra_body: { user: 'gateway' } }],
      [
        'down',
        {
          host_url: 'http://127.0.0.1:9',
          served_models: [{ model_entity_id: `${ws}/down-model`, served_model_name: 'd' }],
        },
      ],
    ] as const) {
      expect((await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, { name, ...body })).status).toBe(201);
    }
    await plane.worker
      .get(ProviderDiscoveryService)
      .discoverOne((await plane.worker.get(ProviderRepository).find(ws, 'echo'))!);

    const env = {
      DATABASE_URL: plane.env.DATABASE_URL,
      QUEUE_PREFIX: plane.env.QUEUE_PREFIX,
      MIGRATE_ON_START: 'false',
      ...LOOPBACK_EGRESS,
    };
    const capture = (message: unknown) => logLines.push(String(message));
    const log = { level: 'verbose' as const, destination: { write: (line: string) => capture(line) } };
    gateway = await createGateway(loadEnv(GatewayConfig, env), { log });
    apiWithGateway = await createApp(loadEnv(ApiConfig, env), { log, gateway: loadEnv(GatewayConfig, env) });
    for (const [port, app] of [
      ['gateway', gateway],
      ['api', apiWithGateway],
    ] as const) {
      await app.listen({ port: 0, host: '127.0.0.1' });
      bases[port] = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/v2/workspaces/${ws}/inference/gateway`;
      await eventually(async () => {
        const res = await fetch(`${bases[port]}/openai/-/v1/models`, { headers: withAuth() });
        return ((await res.json()) as { data: { id: string }[] }).data.some((m) => m.id === `${ws}/${SERVED}`);
      });
    }
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await apiWithGateway?.close();
    upstream?.server.close();
    await plane?.close();
  }, 60_000);

  const seenWith = (requestId: string) => upstream.seen.filter((s) => s.headers['x-request-id'] === requestId);
  const sdk = (port: string, kind: string) =>
    new OpenAI({ baseURL: `${bases[port]}/${kind}/-/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });

  describe.each(['gateway', 'api'])('on the %s port', (port) => {
    const url = (kind: string, path: string) => `${bases[port]}/${kind}/-/v1/${path}`;

    it('forwards no cookie, credential, hop-by-hop or forwarding header upstream, by provider and by model', async () => {
      const clientHeaders = {
        ...JSON_TYPE,
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        'x-api-key': 'client-key',
        cookie: 'session=victim',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        connection: 'keep-alive, x-hop',
        'x-hop': 'hop-by-hop by connection',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-connection': 'keep-alive',
        forwarded: 'for=10.0.0.1',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'internal.example',
        'x-real-ip': '10.0.0.1',
        via: '1.1 corp-proxy',
        'x-custom': 'kept',
      };
      for (const kind of ['provider/echo', `model/${SERVED}`]) {
        const requestId = `hdr-${port}-${kind.replace('/', '-')}`;
        const res = await send(
          url(kind, 'chat/completions'),
          'POST',
          { ...clientHeaders, 'x-request-id': requestId },
          '{}',
        );
        expect(res.status).toBe(200);
        const [received] = seenWith(requestId);
        expect(received).toBeDefined();
        for (const name of [
          'cookie',
          'proxy-authorization',
          'x-hop',
          'keep-alive',
          'te',
          'proxy-connection',
          'forwarded',
          'x-forwarded-for',
          'x-forwarded-host',
          'x-real-ip',
          'via',
          'x-api-key',
        ])
          expect([name, received.headers[name]]).toEqual([name, undefined]);
        expect(received.headers.authorization).toBe(`Bearer ${KEY}`);
        expect(received.headers['x-custom']).toBe('kept');
      }
    });

    it("passes back no upstream cookie, CORS, Alt-Svc or hop-by-hop header, and keeps the upstream's others", async () => {
      const res = await send(url('provider/echo', 'models'), 'GET', {});
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
      expect(res.headers['alt-svc']).toBeUndefined();
      expect(res.headers['x-upstream']).toBe('kept');
    });

    // With authentication on (the default) such a POST carries no credential and is refused 401 by the guard
    // before the 415 check; simple-request.spec.ts covers the 415 (which matters with AUTH_ENABLED=false).
    it('refuses a POST a browser page could send cross-site without a preflight (no credential), before any upstream sees it', async () => {
      const forms: [string, Record<string, string>, string][] = [
        ['text/plain', { 'content-type': 'text/plain;charset=UTF-8' }, '{"model":"x"}'],
        ['form', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=evil'],
        ['multipart', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\n\r\nx\r\n--b--\r\n'],
        ['none', {}, ''],
      ];
      for (const kind of ['provider/echo', `model/${SERVED}`, 'openai']) {
        for (const [label, headers, body] of forms) {
          const requestId = `csrf-${port}-${kind}-${label}`;
          const res = await send(
            url(kind, 'chat/completions'),
            'POST',
            { ...headers, authorization: '', 'x-request-id': requestId },
            body,
          );
          expect([kind, label, res.status]).toEqual([kind, label, 401]);
          expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
          expect(res.json()).toMatchObject({ code: 'auth/credential_missing' });
          expect(seenWith(requestId)).toEqual([]);
        }
      }
      // A header no browser adds cross-site without a preflight: multipart reaches the upstream (audio, files).
      const requestId = `csrf-${port}-multipart-authorized`;
      const res = await send(
        url('provider/echo', 'echo'),
        'POST',
        {
          'content-type': 'multipart/form-data; boundary=b',
          authorization: `Bearer ${TEST_ADMIN_KEY}`,
          'x-request-id': requestId,
        },
        '--b\r\n\r\nx\r\n--b--\r\n',
      );
      expect(res.status).toBe(200);
      expect(seenWith(requestId)).toHaveLength(1);
    });

    it("answers errors in OpenAI's shape, so the SDK's error.message carries them (400, 404, 503)", async () => {
      const openai = sdk(port, 'openai');
      await expect(openai.chat.completions.create({ model: '', messages: [] })).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/^400 Could not extract model from openai request/),
        code: 'gateway/no_model',
        type: 'invalid_request_error',
      });
      await expect(sdk(port, 'model/nope').chat.completions.create({ model: 'x', messages: [] })).rejects.toMatchObject(
        {
          status: 404,
          message: expect.stringMatching(
            new RegExp(`^404 Routing table lookup failed: Model entity not found for ${ws}/nope`),
          ),
          code: 'gateway/model_not_found',
        },
      );
      await expect(
        sdk(port, 'model/down-model').chat.completions.create({ model: 'x', messages: [] }),
      ).rejects.toMatchObject({
        status: 503,
        message: expect.stringMatching(new RegExp(`^503 No READY provider serves model entity ${ws}/down-model`)),
        code: 'gateway/no_ready_provider',
      });
      // NeMo's clients read detail; code and request_id stay.
      const raw = await send(
        url('model/nope', 'chat/completions'),
        'POST',
        { ...JSON_TYPE, 'x-request-id': 'shape-1' },
        '{}',
      );
      expect(raw.json()).toEqual({
        error: {
          message: `Routing table lookup failed: Model entity not found for ${ws}/nope`,
          type: 'invalid_request_error',
          code: 'gateway/model_not_found',
        },
        detail: `Routing table lookup failed: Model entity not found for ${ws}/nope`,
        code: 'gateway/model_not_found',
        request_id: 'shape-1',
      });
    });

    it("passes an upstream's OpenAI-shaped error on as it came, with the entity's name for the served one", async () => {
      await expect(
        sdk(port, 'openai').chat.completions.create({
          model: SERVED,
          messages: [],
          temperature: 'bad' as unknown as number,
        }),
      ).rejects.toMatchObject({
        status: 400,
        message: `400 ${ws}/${SERVED}: temperature must be a number`,
        param: 'temperature',
        type: 'invalid_request_error',
      });
    });

    it('serves models.retrieve from the routing table: workspace/entity (encoded slash) or entity, 404 otherwise', async () => {
      const expected = { id: `${ws}/${SERVED}`, object: 'model', created: 0, owned_by: ws };
      for (const kind of ['openai', `model/${SERVED}`]) {
        const client = sdk(port, kind);
        expect(await client.models.retrieve(`${ws}/${SERVED}`)).toEqual(expected);
        expect(await client.models.retrieve(SERVED)).toEqual(expected);
        await expect(client.models.retrieve(`${ws}/nope`)).rejects.toMatchObject({
          status: 404,
          message: expect.stringMatching(new RegExp(`^404 Model '${ws}/nope' not found`)),
          code: 'gateway/model_not_found',
        });
        await expect(client.models.retrieve(`other/${SERVED}`)).rejects.toMatchObject({ status: 404 });
      }
      const plain = await send(url('openai', `models/${ws}/${SERVED}`), 'GET', {});
      expect(plain.json()).toEqual(expected);
      // Elsewhere an encoded slash is still refused.
      const elsewhere = await send(url(`model/${SERVED}`, 'chat%2Fcompletions'), 'POST', JSON_TYPE, '{}');
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.json().detail).toMatch(/encoded slashes/);
    });

    it("masks the provider's key in successful answers that echo it: JSON, SSE and the provider route's stream", async () => {
      const masked = '*'.repeat(KEY.length);
      const answer = await sdk(port, `model/${SERVED}`).chat.completions.create({ model: 'x', messages: [] });
      expect(answer.model).toBe(`${ws}/${SERVED}`);
      expect(answer.choices[0].message.content).toBe(`Bearer ${masked}`);

      const stream = await sdk(port, 'openai').chat.completions.create({ model: SERVED, messages: [], stream: true });
      let streamed = '';
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
      expect(streamed).toBe(`Bearer ${masked}`);

      const passed = await send(url('provider/echo', 'echo'), 'POST', JSON_TYPE, '{}');
      expect(passed.status).toBe(200);
      expect(passed.text).toBe(`you sent: Bearer ${masked}\n`);
      const sse = await send(url('provider/echo', 'chat/completions'), 'POST', JSON_TYPE, '{"stream":true}');
      expect(sse.text).toContain(`Bearer ${masked}`);
      expect(sse.text).not.toContain(KEY.slice(-10));
    });

    it('refuses JSON nested deeper than GATEWAY_MAX_JSON_DEPTH with 400, and no odd character makes a 5xx', async () => {
      const deep = `{"model":"${SERVED}","messages":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      for (const kind of [`model/${SERVED}`, 'openai', 'provider/extra']) {
        const res = await send(url(kind, 'chat/completions'), 'POST', JSON_TYPE, deep);
        expect(res.status).toBe(400);
        expect(res.json()).toMatchObject({
          code: 'gateway/json_too_deep',
          error: { message: 'Invalid request body: JSON nested deeper than 64 levels (GATEWAY_MAX_JSON_DEPTH)' },
        });
      }
      const odd: [string, string | Buffer, number][] = [
        ['lone surrogate in content', `{"model":"${SERVED}","messages":[{"role":"user","content":"\\ud800"}]}`, 200],
        ['escaped NUL in content', `{"model":"${SERVED}","messages":[{"role":"user","content":"a\\u0000b"}]}`, 200],
        ['lone surrogate as model', '{"model":"\\udfff"}', 422],
        ['NUL as model', '{"model":"\\u0000"}', 422],
        ['raw NUL byte', Buffer.from(`{"model":"${SERVED}","x":"\u0000"}`), 400],
        [
          'invalid UTF-8',
          Buffer.concat([Buffer.from(`{"model":"${SERVED}","x":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
          200,
        ],
      ];
      for (const [label, body, status] of odd) {
        const res = await send(url('openai', 'chat/completions'), 'POST', JSON_TYPE, body);
        expect([label, res.status]).toEqual([label, status]);
        expect(typeof res.json().code === 'string' || status === 200).toBe(true);
      }
    });
  });

  it("answers an upstream's JSON nested too deep to rewrite with 502, and passes such an SSE event on as it came", async () => {
    const post = (body: Record<string, unknown>) =>
      send(`${bases.gateway}/openai/-/v1/chat/completions`, 'POST', JSON_TYPE, JSON.stringify(body));
    const whole = await post({ model: SERVED, temperature: 'deep' });
    expect(whole.status).toBe(502);
    expect(whole.json()).toMatchObject({ code: 'gateway/bad_upstream_json', error: { type: 'upstream_error' } });
    const streamed = await post({ model: SERVED, temperature: 'deep', stream: true });
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain(`data: {"model":"${SERVED}","x":[[[`);
    expect(streamed.text).toMatch(/data: \[DONE\]\n\n$/);
  });

  it("answers what reaches no gateway route in the routes' error shape on the gateway's port (wrong base URL, bad URL)", async () => {
    const origin = new URL(bases.gateway).origin;
    const wrongBase = new OpenAI({ baseURL: `${bases.gateway}/openai/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });
    await expect(wrongBase.models.list()).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/^404 No route for GET .*\/openai\/v1\/models: the gateway routes are /),
      code: 'gateway/no_route',
    });
    const badEscape = await send(`${origin}/v2/workspaces/${ws}/inference/gateway/model/%ZZ/-/v1/x`, 'GET', {});
    expect(badEscape.status).toBe(400);
    expect(badEscape.json()).toMatchObject({
      code: 'gateway/bad_path',
      error: { message: expect.stringMatching(/not a valid URL path/) },
    });
    const long = await send(
      `${origin}/v2/workspaces/${ws}/inference/gateway/model/${'a'.repeat(700)}/-/v1/x`,
      'GET',
      {},
    );
    expect(long.status).toBe(414);
    expect(long.json()).toMatchObject({ code: 'gateway/bad_path', detail: expect.stringMatching(/longer than/) });
    expect((await send(`${origin}/health/live`, 'GET', {})).status).toBe(200);
    // Readiness: the routing table is loaded, and says what it holds.
    const ready = await send(`${origin}/health/ready`, 'GET', {});
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: { routing_table: expect.stringMatching(/^loaded \S+: \d+ providers, \d+ model entities$/) },
    });
  });

  it('a key that cannot travel in a header (a Unicode ellipsis pasted from docs) is a 424 and an ERROR provider, never a 5xx', async () => {
    const pasted = 'nvapi-abc\u2026';
    const create = (path: string, body: object) => plane.api.request('POST', `/v2/workspaces/${ws}/${path}`, body);
    expect((await create('secrets', { name: 'pasted', value: pasted })).status).toBe(201);
    expect(
      (
        await create('providers', {
          name: 'pasted',
          host_url: upstream.url,
          api_key_secret_name: 'pasted',
          served_models: [{ model_entity_id: `${ws}/pasted-model`, served_model_name: SERVED }],
        })
      ).status,
    ).toBe(201);
    await eventually(
      async () => (await send(`${bases.gateway}/provider/pasted/-/v1/models`, 'GET', {})).status === 424,
    );
    const res = await send(`${bases.gateway}/provider/pasted/-/v1/models`, 'GET', {});
    expect(res.json()).toMatchObject({
      code: 'gateway/secret_unavailable',
      error: { message: expect.stringMatching(/pasted .*cannot travel in an HTTP header/) },
    });
    expect(res.text).not.toContain('nvapi-abc');

    const discovery = plane.worker.get(ProviderDiscoveryService);
    // As the reference, a new provider turns ERROR only once failures outlast a grace period: an hour later.
    const later = new Date(Date.now() + 3_600_000);
    await discovery.discoverOne((await plane.worker.get(ProviderRepository).find(ws, 'pasted'))!, later);
    const provider = (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/pasted`)).body as {
      status: string;
      status_message: string;
    };
    expect(provider.status).toBe('ERROR');
    expect(provider.status_message).toMatch(/cannot travel in an HTTP header/);
    expect(provider.status_message).not.toContain('nvapi-abc');
  });

  it('writes the key into no log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(KEY);
    for (const line of plane.api.logs) expect(line).not.toContain(KEY);
  });
});
