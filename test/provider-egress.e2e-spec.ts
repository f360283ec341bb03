import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { promises as dns } from 'node:dns';
import pg from 'pg';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { GatewayConfig, loadEnv } from '#config';
import { ProviderRepository } from '#db';
import { EgressPolicy } from '#egress';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { ProviderDiscoveryService } from '../apps/worker/src/discovery/provider-discovery.service.js';
import { LOOPBACK_EGRESS, newWorkspace, nimConfig, startApi, withAuth, type Api } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';
import { SILENT } from './log-capture.js';

jest.setTimeout(60_000);

const KEY = 'sk-egress-test-' + 'b7c1d9e2';

interface Upstream {
  url: string;
  port: number;
  seen: { url: string; headers: IncomingHttpHeaders }[];
  server: Server;
}

/** A tiny upstream on all interfaces, recording what reached it; `answer` writes the response. */
function upstream(answer: (res: import('node:http').ServerResponse) => void): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    answer(res);
  });
  return new Promise((resolve) =>
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, port, seen, server });
    }),
  );
}

const models = (res: import('node:http').ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"m1"}]}');

describe('egress policy: writing providers (default policy)', () => {
  let api: Api;
  let ws: string;

  beforeAll(async () => {
    api = await startApi({ PROVIDER_EGRESS_ALLOW: '' }); // empty: the default, nothing beyond public addresses
    ws = await newWorkspace(api, 'egress');
  });
  afterAll(() => api.close());

  it.each([
    ['http://127.0.0.1:8080', '127.0.0.1: a loopback address (127.0.0.0/8)'],
    ['http://0x7f000001:8080', '127.0.0.1: a loopback address (127.0.0.0/8)'],
    ['http://2130706433/', '127.0.0.1: a loopback address (127.0.0.0/8)'],
    ['http://127.1/', '127.0.0.1: a loopback address (127.0.0.0/8)'],
    ['http://0.0.0.0:8080', '0.0.0.0: an unspecified ("this network") address (0.0.0.0/8)'],
    ['http://localhost:8080', "'localhost': a loopback name"],
    ['http://models.localhost/', "'models.localhost': a loopback name"],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254: a link-local address (cloud metadata)'],
    ['http://10.0.0.8/', '10.0.0.8: a private address (10.0.0.0/8)'],
    ['http://172.16.5.4/', '172.16.5.4: a private address (172.16.0.0/12)'],
    ['http://192.168.1.10/', '192.168.1.10: a private address (192.168.0.0/16)'],
    ['http://100.64.0.1/', '100.64.0.1: a carrier-grade NAT address (100.64.0.0/10)'],
    ['http://224.0.0.1/', '224.0.0.1: a multicast address (224.0.0.0/4)'],
    ['http://[::1]:8080', '::1: the loopback address (::1/128)'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped (::ffff:0:0/96) 127.0.0.1, a loopback address'],
    ['http://[fe80::1]/', 'fe80::1: a link-local address (fe80::/10)'],
    ['http://[fd00::5]/', 'fd00::5: a unique local (private) address (fc00::/7)'],
    ['https://alice:hunter2@integrate.api.nvidia.com', 'credentials in the URL (user:pass@)'],
  ])('POST and PUT refuse %s with a 422 naming host_url and the rule', async (hostUrl, rule) => {
    for (const res of [
      await api.request('POST', `/v2/workspaces/${ws}/providers`, { name: 'refused', host_url: hostUrl }),
      await api.request('PUT', `/v2/workspaces/${ws}/providers/refused`, { host_url: hostUrl }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('provider/egress_refused');
      expect(res.body.detail).toHaveLength(1);
      expect(res.body.detail[0]).toMatchObject({ type: 'value_error', loc: ['body', 'host_url'] });
      expect(res.body.detail[0].msg).toContain(rule);
      expect(res.body.detail[0].msg).not.toContain('hunter2');
    }
    expect((await api.request('GET', `/v2/workspaces/${ws}/providers/refused`)).status).toBe(404);
  });

  it('accepts a public address, and a name that does not resolve from the API (checked again at connect time)', async () => {
    for (const [name, hostUrl] of [
      ['public', 'https://8.8.8.8/v1'],
      ['corporate', 'https://llm.corp.invalid'],
    ]) {
      expect((await api.request('POST', `/v2/workspaces/${ws}/providers`, { name, host_url: hostUrl })).status).toBe(
        201,
      );
    }
  });
});

describe('egress policy at connect time: a name that resolves to this machine', () => {
  // This machine's name resolves to one of its own addresses (loopback, or a private address in a container):
  // a name that passed the check when it was written and resolves somewhere refused now (DNS rebinding).
  const NAME = hostname().toLowerCase();
  let plane: ControlPlane;
  let ws: string;
  let target: Upstream;
  const gateways: NestFastifyApplication[] = [];

  beforeAll(async () => {
    const addresses = await dns.lookup(NAME, { all: true });
    const strict = EgressPolicy.fromAllowList('');
    expect(addresses.length).toBeGreaterThan(0);
    for (const { address } of addresses) expect(strict.addressProblem(address)).not.toBeNull();
    // The API allows the name (as if it resolved to a public address then); the worker and gateways do not.
    plane = await startControlPlane(
      { PROVIDER_EGRESS_ALLOW: '', PROVIDER_DISCOVERY_INTERVAL_MS: '600000' },
      { PROVIDER_EGRESS_ALLOW: NAME },
    );
    ws = await newWorkspace(plane.api, 'rebind');
    target = await upstream(models);
    expect((await plane.api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'key', value: KEY })).status).toBe(
      201,
    );
    const created = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'rebound',
      host_url: `http://${NAME}:${target.port}`,
      api_key_secret_name: 'key',
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    target?.server.close();
    await plane?.close();
  });

  async function gateway(env: Record<string, string>): Promise<string> {
    const app = await createGateway(loadEnv(GatewayConfig, { DATABASE_URL: plane.env.DATABASE_URL, ...env }), {
      log: SILENT,
    });
    gateways.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/v2/workspaces/${ws}/inference/gateway`;
  }

  it('the gateway answers 502 "egress policy refused" and sends nothing upstream', async () => {
    const strict = await gateway({});
    const before = target.seen.length;
    const res = await eventually(async () => {
      const r = await fetch(`${strict}/provider/rebound/-/v1/models`, { headers: withAuth() });
      return r.status === 404 ? null : r;
    });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { detail: string; code: string };
    expect(body.code).toBe('gateway/network');
    expect(body.detail).toMatch(new RegExp(`egress policy refused ${NAME} \\([^)]+\\): a (loopback|private) address`));
    expect(body.detail).not.toContain(KEY);
    expect(target.seen.length).toBe(before);

    // The same request through a gateway that allows this machine's addresses reaches the upstream, with the key.
    const lenient = await gateway({ PROVIDER_EGRESS_ALLOW: '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' });
    const reached = await eventually(async () => {
      const r = await fetch(`${lenient}/provider/rebound/-/v1/models`, { headers: withAuth() });
      return r.status === 404 ? null : r;
    });
    expect(reached.status).toBe(200);
    expect(target.seen.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('a deployment link written through the API does not exempt a provider', async () => {
    const linked = await plane.api.request('PUT', `/v2/workspaces/${ws}/providers/rebound/status`, {
      model_deployment_id: `${ws}/rebound`,
    });
    expect(linked.status).toBe(200);
    const strict = await gateway({});
    const res = await eventually(async () => {
      const r = await fetch(`${strict}/provider/rebound/-/v1/models`, { headers: withAuth() });
      return r.status === 404 ? null : r;
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { detail: string }).detail).toContain('egress policy refused');
    await plane.api.request('PUT', `/v2/workspaces/${ws}/providers/rebound/status`, { model_deployment_id: null });
  });

  it('discovery marks the provider ERROR at once, naming the rule, and sends nothing upstream', async () => {
    const before = target.seen.length;
    const row = await plane.worker.get(ProviderRepository).find(ws, 'rebound');
    await plane.worker.get(ProviderDiscoveryService).discoverOne(row!);
    const provider = (await plane.api.request('GET', `/v2/workspaces/${ws}/providers/rebound`)).body;
    expect(provider.status).toBe('ERROR');
    expect(provider.status_message).toMatch(
      new RegExp(`^Provider discovery failed: egress policy refused ${NAME} \\([^)]+\\): a (loopback|private) address`),
    );
    expect(target.seen.length).toBe(before);
  });

  it('the gateway passes a redirect back and never follows it with the key', async () => {
    const elsewhere = await upstream(models);
    const redirecting = await upstream((res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/v1/models` }).end(),
    );
    try {
      const created = await plane.api.request('POST', `/v2/workspaces/${ws}/providers`, {
        name: 'redirecting',
        host_url: `http://${NAME}:${redirecting.port}`,
        api_key_secret_name: 'key',
      });
      expect(created.status).toBe(201);
      const gw = await gateway(LOOPBACK_EGRESS);
      const res = await eventually(async () => {
        const r = await fetch(`${gw}/provider/redirecting/-/v1/models`, { redirect: 'manual', headers: withAuth() });
        return r.status === 404 ? null : r;
      });
      expect(res.status).toBe(302);
      expect(redirecting.seen.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
      // The model route too: the redirect is an answer, not a hop.
      expect(elsewhere.seen).toHaveLength(0);
    } finally {
      elsewhere.server.close();
      redirecting.server.close();
    }
  });

  it("a deployment's own provider is exempt, at the endpoint its version recorded, as soon as it is recorded", async () => {
    const base = `/v2/workspaces/${ws}`;
    expect((await plane.api.request('POST', `${base}/deployment-configs`, nimConfig('sim'))).status).toBe(201);
    expect((await plane.api.request('POST', `${base}/deployments`, { name: 'owned', config: 'sim' })).status).toBe(201);
    const ready = await plane.api.request('GET', `${base}/deployments/owned?wait_for=READY,FAILED&timeout=30`);
    expect(ready.body.status).toBe('READY');
    const endpoint: string = (await plane.api.request('GET', `${base}/providers/owned`)).body.host_url;
    expect(EgressPolicy.fromAllowList('').urlProblem(new URL(endpoint))).toMatch(/loopback/);
    // No worker from here on: nothing but this test writes, and the gateway reloads only when told (no timer).
    await plane.stopWorker();
    const strict = await gateway({ GATEWAY_REFRESH_INTERVAL_MS: '600000' });
    const status = async () => (await fetch(`${strict}/provider/owned/-/v1/models`, { headers: withAuth() })).status;
    expect(await eventually(async () => ((await status()) === 200 ? 200 : null))).toBe(200);

    // The version's endpoint moves away from the provider's host_url: the same provider is now checked...
    const db = new pg.Client({ connectionString: plane.env.DATABASE_URL });
    await db.connect();
    const moveTo = (url: string) =>
      db.query(`UPDATE deployment_versions SET endpoint = $1 WHERE workspace = $2 AND name = 'owned'`, [url, ws]);
    try {
      await moveTo('http://127.0.0.1:9');
      await eventually(async () => (await status()) === 502, 5_000, 50);
      // ...and trusted again once it is back, without any provider write.
      await moveTo(endpoint);
      await eventually(async () => (await status()) === 200, 5_000, 50);
    } finally {
      await db.end();
    }
  });
});
