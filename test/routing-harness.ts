import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import { Telemetry } from '#telemetry';
import { newWorkspace, startApi, withAuth, type Api } from './api-harness.js';

/**
 * Routing policies end to end: the API serving the gateway's routes, and
 * NIM simulators registered by hand as the providers of model entities,
 * each with the behaviour a test needs (failing, cut streams, a classifier,
 * embeddings, bad JSON). Real HTTP all the way.
 */
export interface RoutingBed {
  api: Api;
  ws: string;
  sims: Map<string, TestSimulator>;
  /** Registers `entity` served by a new simulator with `env`; answers the simulator. */
  entity(entity: string, env?: Record<string, string>, pricing?: Record<string, unknown>): Promise<TestSimulator>;
  /** An entity whose only provider cannot be reached. */
  unreachable(entity: string): Promise<void>;
  /** An entity whose only provider answers every request with `status` (a rate limit, say). */
  answering(entity: string, status: number): Promise<void>;
  virtualModel(name: string, body: Record<string, unknown>): Promise<void>;
  /** A chat completion on the OpenAI route with `model` (a name of the workspace). */
  chat(model: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  /** Completions a simulator answered (its /metrics). */
  answered(entity: string, route?: string): Promise<number>;
  /**
   * The gateway's modelplane_gateway_route_attempts_total for virtual model `name`, by
   * `role target-name`, then result (status class or failure).
   */
  attempts(name: string): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

export async function startRoutingBed(): Promise<RoutingBed> {
  const api = await startApi({ GATEWAY_REFRESH_INTERVAL_MS: '60000' }, { gateway: true });
  const ws = await newWorkspace(api, 'route');
  const sims = new Map<string, TestSimulator>();
  const servers: Server[] = [];
  const base = `/v2/workspaces/${ws}`;
  const expectStatus = async (res: Promise<{ status: number; text: string }>, status: number) => {
    const r = await res;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  };
  const register = async (entity: string, hostUrl: string, pricing?: Record<string, unknown>) => {
    await expectStatus(api.request('POST', `${base}/models`, { name: entity, ...(pricing ? { pricing } : {}) }), 201);
    await expectStatus(
      api.request('POST', `${base}/providers`, {
        name: `${entity}-provider`,
        host_url: hostUrl,
        status: 'READY',
        served_models: [{ model_entity_id: `${ws}/${entity}`, served_model_name: `org/${entity}` }],
      }),
      201,
    );
  };
  /** The names the workspace's OpenAI model list shows (entities and virtual models). */
  const listed = async () => {
    const res = await fetch(`${api.url}${base}/inference/gateway/openai/-/v1/models`, { headers: withAuth() });
    const list = (await res.json()) as { data: { id: string }[] };
    return list.data.map((m) => m.id.split('/')[1]);
  };
  const bed: RoutingBed = {
    api,
    ws,
    sims,
    async entity(entity, env = {}, pricing) {
      const sim = await startTestSimulator({ NIM_SERVED_MODEL_NAME: `org/${entity}`, ...env });
      sims.set(entity, sim);
      await register(entity, sim.url, pricing);
      return sim;
    },
    async unreachable(entity) {
      await register(entity, 'http://127.0.0.1:9');
    },
    async answering(entity, status) {
      const server = createServer((req, res) => {
        req.resume();
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '30' });
        res.end(JSON.stringify({ error: { message: `answered ${status}`, type: 'rate_limit_error' } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      await register(entity, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    },
    async virtualModel(name, body) {
      await expectStatus(api.request('POST', `${base}/virtual-models`, { name, ...body }), 201);
      // The routing table reloads on the database's notification.
      await waitUntil(async () => (await listed()).includes(name));
    },
    chat(model, body, headers = {}) {
      return fetch(`${api.url}${base}/inference/gateway/openai/-/v1/chat/completions`, {
        method: 'POST',
        headers: withAuth({ 'content-type': 'application/json', ...headers }),
        body: JSON.stringify({ model: `${ws}/${model}`, max_tokens: 8, ...body }),
      });
    },
    async attempts(name) {
      const registry = api.app.get(Telemetry).registry;
      if (!registry) throw new Error('metrics are off');
      const metric = registry.getSingleMetric('modelplane_gateway_route_attempts_total');
      const out: Record<string, Record<string, number>> = {};
      for (const { labels, value } of (await metric!.get()).values) {
        if (labels.virtual_model !== `${ws}/${name}`) continue;
        const key = `${labels.role} ${String(labels.target).split('/')[1]}`;
        (out[key] ??= {})[String(labels.result)] = value;
      }
      return out;
    },
    async answered(entity, route = '/v1/chat/completions') {
      const sim = sims.get(entity);
      if (!sim) throw new Error(`no simulator for ${entity}`);
      const res = await sim.get('/v1/metrics');
      if (res.status !== 200) throw new Error(`the simulator's metrics answered ${res.status}`);
      const text = await res.text();
      let total = 0;
      for (const m of text.matchAll(/^nim_sim_requests_total\{route="([^"]+)",status="(\d+)"\} (\d+)$/gm)) {
        if (m[1] === route) total += Number(m[3]);
      }
      return total;
    },
    async close() {
      for (const sim of sims.values()) await sim.close();
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
  return bed;
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });
export const step = (config_type: string, config: unknown) => ({ name: 'modelplane', config_type, config });
