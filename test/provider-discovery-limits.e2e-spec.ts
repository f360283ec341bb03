import { jest } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderRepository } from '#db';
import { ProviderDiscoveryService } from '../apps/worker/src/discovery/provider-discovery.service.js';
import { newWorkspace } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(60_000);

const TIMEOUT_MS = 2_000;
const MAX_BYTES = 64 * 1024;
const KEY = 'sk-discovery-limits-' + '4e8a';

interface Upstream {
  url: string;
  requests: { at: number; headers: IncomingHttpHeaders }[];
  /** Responses the client dropped before they were complete, with the bytes written until then. */
  cut: { at: number; written: number }[];
  server: Server;
}

/** A tiny upstream; `answer` writes the response and returns the bytes it wrote so far (for `cut`). */
function upstream(answer: (res: ServerResponse) => () => number): Promise<Upstream> {
  const requests: Upstream['requests'] = [];
  const cut: Upstream['cut'] = [];
  const server = createServer((req, res) => {
    requests.push({ at: Date.now(), headers: req.headers });
    const written = answer(res);
    res.on('close', () => {
      if (!res.writableFinished) cut.push({ at: Date.now(), written: written() });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, cut, server }),
    ),
  );
}

const modelList = (res: ServerResponse) => {
  const body = '{"object":"list","data":[{"id":"fast-model"}]}';
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  return () => body.length;
};

/** Headers at once, then one byte every 300 ms, for ever: no idle timeout ever fires. */
const trickle = (res: ServerResponse) => {
  let written = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => {
    res.write(written === 0 ? '{' : ' ');
    written++;
  }, 300);
  res.on('close', () => clearInterval(timer));
  return () => written;
};

/** 50 MB of a JSON model list, streamed as fast as the client reads. */
const flood = (res: ServerResponse) => {
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, ' ');
  res.writeHead(200, { 'content-type': 'application/json' });
  const more = () => {
    while (written < 50 * 1024 * 1024 && !res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end('{"object":"list","data":[]}');
  };
  more();
  return () => written;
};

describe('discovery of manual providers: deadlines, size limit, isolation', () => {
  let plane: ControlPlane;
  let ws: string;
  const servers: Server[] = [];
  const discovery = () => plane.worker.get(ProviderDiscoveryService);
  const get = async (name: string) => (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/${name}`)).body;

  beforeAll(async () => {
    plane = await startControlPlane({
      PROVIDER_DISCOVERY_INTERVAL_MS: '1000',
      DISCOVERY_TIMEOUT_MS: String(TIMEOUT_MS),
      DISCOVERY_MAX_BYTES: String(MAX_BYTES),
      DISCOVERY_CONCURRENCY: '2',
    });
    ws = await newWorkspace(plane.api, 'limits');
    expect((await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'k', value: KEY })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await plane.close();
    for (const s of servers) s.close();
  });

  async function provider(name: string, answer: (res: ServerResponse) => () => number): Promise<Upstream> {
    const server = await upstream(answer);
    servers.push(server.server);
    const res = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name,
      host_url: server.url,
      api_key_secret_name: 'k',
    });
    expect(res.status).toBe(201);
    return server;
  }

  it('a provider that trickles holds one slot until DISCOVERY_TIMEOUT_MS; the others keep their schedule', async () => {
    // Listed first (by name), so before the fix the fast one waited behind it on every round.
    const slow = await provider('a-trickle', trickle);
    const fast = await provider('b-fast', modelList);
    const started = Date.now();
    await eventually(async () => fast.requests.length >= 4, 10_000, 100);
    // About one check a second, while the slow one is still on its first request.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 3_000);
    expect((await get('b-fast')).status).toBe('READY');
    // The slow exchange is cut at its deadline (which counts from before the connection), however steadily it trickles.
    await eventually(async () => slow.cut.length >= 1, TIMEOUT_MS + 5_000, 100);
    const first = slow.requests[0].at;
    expect(slow.cut[0].at - first).toBeGreaterThanOrEqual(TIMEOUT_MS - 500);
    expect(slow.cut[0].at - first).toBeLessThan(TIMEOUT_MS + 1_500);
    // Never twice at once: each check waits for the one before it.
    for (let i = 1; i < slow.requests.length; i++) {
      expect(slow.requests[i].at).toBeGreaterThanOrEqual(slow.cut[i - 1]?.at ?? Infinity);
    }
  });

  it('a provider that trickles is failed with a message naming DISCOVERY_TIMEOUT_MS', async () => {
    const row = await plane.worker.get(ProviderRepository).find(ws, 'a-trickle');
    // Past the reference's 30 s grace for a new provider, so the failure is recorded.
    await discovery().discoverOne(row!, new Date(Date.now() + 31_000));
    const p = await get('a-trickle');
    expect(p.status).toBe('ERROR');
    expect(p.status_message).toBe(
      `Provider discovery failed: GET /v1/models did not complete within DISCOVERY_TIMEOUT_MS (${TIMEOUT_MS} ms)`,
    );
  });

  it('an answer over DISCOVERY_MAX_BYTES is cut off while streaming and the provider is ERROR at once', async () => {
    const big = await provider('c-flood', flood);
    const row = await plane.worker.get(ProviderRepository).find(ws, 'c-flood');
    await discovery().discoverOne(row!);
    const p = await get('c-flood');
    expect(p.status).toBe('ERROR');
    expect(p.status_message).toBe(
      `Provider discovery failed: the /v1/models answer is larger than DISCOVERY_MAX_BYTES (${MAX_BYTES} bytes); reading stopped`,
    );
    expect(p.served_models).toEqual([]);
    // The connection was dropped long before the 50 MB were sent.
    await eventually(async () => big.cut.length >= 1, 5_000, 50);
    expect(big.cut[0].written).toBeLessThan(10 * 1024 * 1024);
  });

  it('a redirect is an error, never followed: the key does not travel to the other host', async () => {
    const elsewhere = await upstream(modelList);
    servers.push(elsewhere.server);
    const redirecting = await provider('d-redirect', (res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v1/models` }).end();
      return () => 0;
    });
    const row = await plane.worker.get(ProviderRepository).find(ws, 'd-redirect');
    await discovery().discoverOne(row!, new Date(Date.now() + 31_000));
    const p = await get('d-redirect');
    expect(p.status).toBe('ERROR');
    expect(p.status_message).toMatch(/answered 302, a redirect: redirects are not followed/);
    expect(redirecting.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('an upstream that echoes the key in its error gets it scrubbed from the status message', async () => {
    const echoing = await upstream((res) => {
      const body = JSON.stringify({ error: 'invalid credentials', got: res.req.headers.authorization });
      res.writeHead(401, { 'content-type': 'application/json' }).end(body);
      return () => body.length;
    });
    servers.push(echoing.server);
    expect(
      (
        await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
          name: 'e-echo',
          host_url: echoing.url,
          api_key_secret_name: 'k',
        })
      ).status,
    ).toBe(201);
    const row = await plane.worker.get(ProviderRepository).find(ws, 'e-echo');
    await discovery().discoverOne(row!, new Date(Date.now() + 31_000));
    const p = await get('e-echo');
    expect(p.status).toBe('ERROR');
    expect(p.status_message).toContain('GET /v1/models answered 401');
    expect(p.status_message).toContain('Bearer ***');
    expect(p.status_message).not.toContain(KEY);
  });

  it('never holds more than DISCOVERY_CONCURRENCY exchanges open at once', async () => {
    let open = 0;
    let most = 0;
    const counted = (res: ServerResponse) => {
      open++;
      most = Math.max(most, open);
      res.on('close', () => open--);
      return trickle(res);
    };
    const slow = [
      await provider('f-slow', counted),
      await provider('g-slow', counted),
      await provider('h-slow', counted),
    ];
    // Every one of them gets its turn within two deadlines, two at a time (with a-trickle, four slow ones in all).
    await eventually(async () => slow.every((u) => u.requests.length > 0), 3 * TIMEOUT_MS + 2_000, 100);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });
});
