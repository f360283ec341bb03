import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { buildOpenApi } from '../apps/api/src/app.factory.js';
import { newWorkspace, nimConfig, startApi, uniqueName, withAuth, type Api } from './api-harness.js';
import {
  FuzzGenerator,
  HEADER_ODDITIES,
  hostileBodies,
  PATH_VALUES,
  withoutCredential,
  type FuzzRequest,
} from './fuzz-requests.js';
import { eventually } from './worker-harness.js';

/**
 * Thousands of hostile requests, generated from the OpenAPI document with a fixed seed, against the real API
 * (and the gateway routes it mounts): none may answer 5xx, every 4xx must be `{"detail": …}` with a code or
 * FastAPI's list, and the server must stay responsive while deeply nested bodies arrive.
 */
const SEED = 10;
const LIMITS = { maxBodyBytes: 1024 * 1024, maxJsonDepth: 64 };
const STATUSES = 'CREATED,PENDING,READY,FAILED,DELETING,DELETED';
const CONCURRENCY = 8;

interface Outcome {
  request: FuzzRequest;
  status: number;
  problem?: string;
}

describe('fuzz', () => {
  let api: Api;
  let upstream: Server;
  let upstreamUrl: string;
  let ws: string;

  beforeAll(async () => {
    // The provider the gateway routes to: answers every request with a small chat completion.
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'served-gw', choices: [] }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    // Hundreds of requests go without a credential (and some with a garbage one): no failure limit here.
    api = await startApi({ AUTH_FAILURE_LIMIT: '100000' }, { gateway: true });
    ws = await newWorkspace(api, 'fuzz');
    const post = async (path: string, body: unknown, expected = 201) => {
      const res = await api.request('POST', `/v2/workspaces/${ws}/${path}`, body);
      if (res.status !== expected) throw new Error(`${path}: ${res.status} ${res.text}`);
    };
    for (const prefix of ['fz', 'gw']) {
      await post('secrets', { name: `${prefix}-secret`, value: 'sk-fuzz-secret-value' });
      await post('models', { name: `${prefix}-model` });
      await post('providers', {
        name: `${prefix}-provider`,
        host_url: upstreamUrl,
        api_key_secret_name: `${prefix}-secret`,
        status: 'READY',
        served_models: [{ model_entity_id: `${ws}/${prefix}-model`, served_model_name: `served-${prefix}` }],
      });
    }
    await post('virtual-models', {
      name: 'fz-vm',
      default_model_entity: 'fz-model',
      request_middleware: [{ name: 'modelplane', config_type: 'fallback', config: { models: ['gw-model'] } }],
    });
    await post('deployment-configs', nimConfig('fz-config'));
    await post('deployments', { name: 'fz-deploy', config: 'fz-config' });
    for (const status of ['PENDING', 'FAILED'])
      await post('deployments/fz-deploy/status', { status, status_message: 'fuzz' }, 200);
    // The gateway hears of the provider through PostgreSQL.
    await eventually(async () => {
      const res = await api.request('GET', `/v2/workspaces/${ws}/inference/gateway/openai/-/v1/models`);
      return res.status === 200 && JSON.stringify(res.body).includes('gw-model');
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('answers thousands of hostile requests without a 5xx, each 4xx in the documented shape', async () => {
    const doc = buildOpenApi(api.app);
    const generator = new FuzzGenerator(
      doc,
      {
        workspace: ws,
        names: {
          secrets: 'fz-secret',
          models: 'fz-model',
          providers: 'fz-provider',
          'deployment-configs': 'fz-config',
          deployments: 'fz-deploy',
          'virtual-models': 'fz-vm',
        },
        // Every status: wait_for and the event stream return at once whatever the deployment's state.
        baseQuery: { wait_for: STATUSES, timeout: '0', until: STATUSES },
        bodyFields: (field) =>
          ({
            name: uniqueName('fz'),
            config: 'fz-config',
            api_key_secret_name: 'fz-secret',
            host_url: upstreamUrl,
            model_entity_id: `${ws}/fz-model`,
          })[field],
        ...LIMITS,
      },
      SEED,
    );
    const authenticated = [...generator.generate(), ...gatewayRequests(ws)];
    const unauthenticated = withoutCredential(authenticated, doc);
    const requests = [...authenticated, ...unauthenticated];
    const started = Date.now();
    const outcomes = await runAll(api.url, requests);
    const raw = await rawRequests(api.url);
    const all = [...outcomes, ...raw];
    const failures = all.filter((o) => o.problem);
    const gateway = outcomes.filter((o) => o.request.op.startsWith('gateway/')).length;
    const fiveXx = all.filter((o) => o.status >= 500).length;
    console.log(
      `fuzz: ${all.length} requests (${gateway} to gateway routes, ${raw.length} raw) in ${Date.now() - started} ms; ` +
        `${fiveXx} answered 5xx; ${failures.length} failed a check; ${unauthenticated.length} without a credential`,
    );
    expect(unauthenticated.length).toBeGreaterThan(100);
    const distinct = [...new Set(failures.map((f) => `${f.request.op} | ${f.request.mutation} | ${f.problem}`))];
    expect(distinct).toEqual([]);
    expect(fiveXx).toBe(0);
    expect(all.length).toBeGreaterThan(3000);
  }, 240_000);

  it('answers deeply nested bodies with 400 before any recursive work, and stays live meanwhile', async () => {
    const deep = '['.repeat(LIMITS.maxBodyBytes / 2 - 8) + ']'.repeat(LIMITS.maxBodyBytes / 2 - 8);
    const floods = Array.from({ length: 8 }, (_, i) =>
      fetch(`${api.url}/v2/workspaces/${ws}/${i % 2 ? 'models' : 'deployment-configs'}`, {
        method: 'POST',
        headers: withAuth({ 'content-type': 'application/json' }),
        body: deep,
      }).then(async (res) => ({ status: res.status, body: await res.json() })),
    );
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
      latencies.push(performance.now() - t);
    }
    const answers = await Promise.all(floods);
    // A figure, not an assertion: timings on a shared 2-core CI machine are noise (it was 1.3-1.9 s before the
    // depth check, 40-230 ms after, once 1.15 s under a loaded CI run). What must hold is the answers above and below.
    console.log(`fuzz: /health/live under 8 parallel 1 MB nested bodies: ${latencies.map(Math.round).join(', ')} ms`);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ detail: expect.stringContaining('64 levels'), code: 'request/too_deep' });
    }
  }, 60_000);
});

/** A few hundred requests to the gateway routes the API mounts. */
function gatewayRequests(ws: string): FuzzRequest[] {
  const base = `/v2/workspaces/${ws}/inference/gateway`;
  const json = { 'content-type': 'application/json' };
  const chat = { model: 'gw-model', messages: [{ role: 'user', content: 'hi' }] };
  const routes: [string, string, Record<string, unknown>][] = [
    ['model', `${base}/model/gw-model/-/v1/chat/completions`, { messages: chat.messages }],
    ['openai', `${base}/openai/-/v1/chat/completions`, chat],
    ['provider', `${base}/provider/gw-provider/-/v1/chat/completions`, chat],
  ];
  const out: FuzzRequest[] = [];
  const add = (op: string, mutation: string, r: Omit<FuzzRequest, 'op' | 'mutation'>) =>
    out.push({ op: `gateway/${op}`, mutation, ...r });
  for (const [route, path, body] of routes) {
    const text = JSON.stringify(body);
    add(route, 'as documented', { method: 'POST', path, headers: json, body: text, validJson: true });
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'])
      add(route, `method ${method}`, { method, path, headers: {}, validJson: false });
    for (const [label, value] of PATH_VALUES) {
      add(route, `tail: ${label}`, {
        method: 'POST',
        path: path.replace('/-/v1/chat/completions', `/-/v1/${value}`),
        headers: json,
        body: text,
        validJson: true,
      });
      const named = path.replace(/\/(model|provider)\/[^/]+\/-/, (_m, kind: string) => `/${kind}/${value}/-`);
      if (named !== path)
        add(route, `name: ${label}`, { method: 'POST', path: named, headers: json, body: text, validJson: true });
      add(route, `workspace: ${label}`, {
        method: 'POST',
        path: path.replace(`/workspaces/${ws}/`, `/workspaces/${value}/`),
        headers: json,
        body: text,
        validJson: true,
      });
    }
    for (const [label, payload, headers, validJson] of hostileBodies(body, {
      maxBodyBytes: 1024 * 1024,
      maxJsonDepth: 64,
    }))
      add(route, `body: ${label}`, { method: 'POST', path, headers, body: payload, validJson });
    for (const [label, headers] of HEADER_ODDITIES)
      add(route, `header: ${label}`, {
        method: 'POST',
        path,
        headers: { ...json, ...headers },
        body: text,
        validJson: true,
      });
    for (const [field, value] of [
      ['model', 42],
      ['model', null],
      ['model', ''],
      ['model', 'other-ws/gw-model'],
      ['model', 'x'.repeat(10_000)],
      ['model', 'a\u0000b'],
      ['messages', 'not a list'],
      ['stream', 'yes'],
      ['stream', true],
    ] as [string, unknown][]) {
      add(route, `body ${field}: ${JSON.stringify(value).slice(0, 20)}`, {
        method: 'POST',
        path,
        headers: json,
        body: JSON.stringify({ ...body, [field]: value }),
        validJson: true,
      });
    }
  }
  add('models', 'as documented', { method: 'GET', path: `${base}/openai/-/v1/models`, headers: {}, validJson: false });
  return out;
}

async function runAll(url: string, requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      outcomes.push(await send(url, request));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

async function send(url: string, request: FuzzRequest): Promise<Outcome> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url + request.path, {
      method: request.method,
      headers: withAuth(request.headers),
      body: request.body,
      signal: AbortSignal.timeout(15_000),
    });
    // An event stream that is not told when to end stays open: its first event is answer enough.
    text = res.headers.get('content-type')?.startsWith('text/event-stream') ? await firstChunk(res) : await res.text();
  } catch (error) {
    return { request, status: 0, problem: `no answer: ${(error as Error).name}` };
  }
  return { request, status: res.status, problem: check(res.status, text, request) };
}

async function firstChunk(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}

/** What is wrong with an answer, if anything. */
function check(status: number, text: string, request: FuzzRequest): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 160)}`;
  // The API's rules (the gateway has its own for bodies).
  if (request.expectStatus && !request.op.startsWith('gateway/') && status !== request.expectStatus)
    return `status ${status}, not ${request.expectStatus}: ${text.slice(0, 160)}`;
  if (status < 400 || request.method === 'HEAD') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} body is not JSON`;
  }
  const { detail, code } = (body ?? {}) as { detail?: unknown; code?: unknown };
  if (Array.isArray(detail)) {
    const bad = detail.find(
      (i: { type?: unknown; loc?: unknown; msg?: unknown }) =>
        typeof i?.type !== 'string' ||
        typeof i?.msg !== 'string' ||
        !Array.isArray(i?.loc) ||
        !['body', 'query', 'path'].includes(i.loc[0] as string),
    );
    if (bad || detail.length === 0) return `${status} validation detail not in FastAPI's shape`;
  } else if (typeof detail !== 'string' || typeof code !== 'string') {
    return `${status} not {"detail","code"}`;
  }
  if (request.validJson && /not valid JSON|invalid JSON/i.test(JSON.stringify(detail)))
    return `${status} says valid JSON is not JSON`;
  return undefined;
}

/** What Node's HTTP parser refuses before Fastify sees it, written on a socket. */
async function rawRequests(url: string): Promise<Outcome[]> {
  const { hostname, port } = new URL(url);
  const cases: [string, string][] = [
    ['headers over 16 KB', `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['request line over 16 KB', `GET /v2/workspaces/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['garbage request line', 'GARBAGE\r\n\r\n'],
    ['control character in a header', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
    [
      'non-numeric Content-Length',
      'POST /v2/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n',
    ],
    [
      'Content-Length and Transfer-Encoding',
      'POST /v2/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
    ],
    [
      'bad chunk size',
      'POST /v2/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    [
      'declared 100 GB body',
      'POST /v2/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n{}',
    ],
    ['HTTP/1.0 without Host', 'GET /health/live HTTP/1.0\r\n\r\n'],
    ['absolute-form target', `GET http://x/v2/workspaces/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['unknown method', 'BREW /v2/workspaces HTTP/1.1\r\nHost: x\r\n\r\n'],
  ];
  return Promise.all(
    cases.map(
      ([label, payload]) =>
        new Promise<Outcome>((resolve) => {
          const request: FuzzRequest = {
            op: 'raw',
            mutation: label,
            method: 'RAW',
            path: '',
            headers: {},
            validJson: false,
          };
          const socket = connect(Number(port), hostname);
          let data = '';
          const done = () => {
            const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0);
            const body = data.slice(data.indexOf('\r\n\r\n') + 4);
            const problem = status === 0 ? 'no status line' : check(status, body, request);
            resolve({ request, status, problem });
          };
          socket.setTimeout(5000, () => socket.destroy());
          socket.on('data', (chunk) => {
            data += chunk.toString('latin1');
            // One answer is enough: keep-alive would hold the socket open.
            if (/\r\n\r\n/.test(data) && /content-length: (\d+)/i.test(data)) {
              const length = Number(/content-length: (\d+)/i.exec(data)![1]);
              if (Buffer.byteLength(data.slice(data.indexOf('\r\n\r\n') + 4), 'latin1') >= length) socket.destroy();
            }
          });
          socket.on('close', done);
          socket.on('error', () => undefined);
          socket.write(payload);
        }),
    ),
  );
}
