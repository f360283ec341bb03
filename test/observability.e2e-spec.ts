/**
 * What an operator relies on, across the three processes: every metric the shipped Grafana dashboard and
 * alert rules (k8s/monitoring) query is exported by the API, the gateway or the worker; and with every
 * process logging at its most verbose level while credentials are sent everywhere (the admin key, issued
 * keys, a wrong key, keys in a query string and an x-api-key header, secret values, a provider's upstream
 * key), no log line holds one.
 */
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { GatewayConfig, loadEnv } from '#config';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { ADMIN_AUTH, LOOPBACK_EGRESS, TEST_ADMIN_KEY, nimConfig, uniqueName } from './api-harness.js';
import { recordingUpstream, SERVED } from './gateway-auth-harness.js';
import { LogCapture } from './log-capture.js';
import { eventually, freePort, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(120_000);

/** Every PromQL expression of the dashboard's panels and of the alert rules. */
function monitoringExpressions(): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'expr' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(JSON.parse(readFileSync('k8s/monitoring/grafana-dashboard.json', 'utf8')));
  walk(parseYaml(readFileSync('k8s/monitoring/prometheus-rules.yaml', 'utf8')));
  return found;
}

/** The metric families an expression reads (a histogram's by its base name); label names are not metrics. */
function metricNamesIn(expr: string): string[] {
  const withoutLabels = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\b(?:modelplane|gen_ai|http_server)_[a-z0-9_]+/g)].map(([name]) =>
    name.replace(/_(bucket|sum|count)$/, ''),
  );
}

/** The metric families a /metrics answer declares. */
function exportedIn(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name));
}

const secretLike = (tag: string) => `${tag}-${randomBytes(12).toString('hex')}`;

describe('observability across the API, the worker and the gateway', () => {
  const gatewayLogs = new LogCapture();
  const workerLogs = new LogCapture();
  /** Everything that must never be written to a log. */
  const credentials: string[] = [TEST_ADMIN_KEY];
  let plane: ControlPlane;
  let gateway: NestFastifyApplication;
  let gatewayUrl: string;
  let workerHealth: string;
  let ws: string;
  let upstream: Awaited<ReturnType<typeof recordingUpstream>>;

  beforeAll(async () => {
    const healthPort = await freePort();
    workerHealth = `http://127.0.0.1:${healthPort}`;
    plane = await startControlPlane(
      { WORKER_HEALTH_PORT: String(healthPort), WORKER_HEALTH_HOST: '127.0.0.1', LOG_LEVEL: 'verbose' },
      { LOG_LEVEL: 'verbose' },
      { workerLog: workerLogs.options('verbose') },
    );
    gateway = await createGateway(
      loadEnv(GatewayConfig, { DATABASE_URL: plane.env.DATABASE_URL, LOG_LEVEL: 'verbose', ...LOOPBACK_EGRESS }),
      { log: gatewayLogs.options('verbose') },
    );
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    upstream = await recordingUpstream();
    ws = uniqueName('obs');
    expect((await plane.api.request('POST', '/v2/workspaces', { name: ws })).status).toBe(201);
  });
  afterAll(async () => {
    await gateway?.close();
    upstream?.server.close();
    await plane?.close();
  });

  it('exports every metric the Grafana dashboard and the alert rules use', async () => {
    const expressions = monitoringExpressions();
    expect(expressions.length).toBeGreaterThanOrEqual(25);
    const wanted = new Set(expressions.flatMap(metricNamesIn));
    expect(wanted.size).toBeGreaterThanOrEqual(15);
    const scrape = async (url: string) => {
      const res = await fetch(`${url}/metrics`, { headers: ADMIN_AUTH });
      expect([url, res.status]).toEqual([url, 200]);
      return exportedIn(await res.text());
    };
    const exported = new Set([
      ...(await scrape(plane.api.url)),
      ...(await scrape(gatewayUrl)),
      ...(await scrape(workerHealth)),
    ]);
    expect([...wanted].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('writes no credential into any log line of any process, at the most verbose level', async () => {
    const api = plane.api;
    const base = `/v2/workspaces/${ws}`;
    // A secret, then a new value for it; the provider's upstream key is another secret.
    const first = secretLike('secret-value');
    const second = secretLike('secret-rotated');
    const upstreamKey = secretLike('sk-upstream');
    credentials.push(first, second, upstreamKey);
    expect((await api.request('POST', `${base}/secrets`, { name: 'rotated', value: first })).status).toBe(201);
    expect((await api.request('PATCH', `${base}/secrets/rotated`, { value: second })).status).toBe(200);
    expect((await api.request('POST', `${base}/secrets`, { name: 'upstream', value: upstreamKey })).status).toBe(201);
    // A refused secret write: the value must not come back in the 422 or the log.
    const refusedValue = secretLike('refused-value');
    credentials.push(refusedValue);
    expect((await api.request('POST', `${base}/secrets`, { name: 'bad name!', value: refusedValue })).status).toBe(422);

    // An issued key with the inference scope and a role here; a wrong key.
    const issued = await api.request('POST', '/v2/iam/api-keys', {
      name: uniqueName('app'),
      principal: `service-account:${ws}`,
      scopes: ['read', 'inference'],
    });
    expect(issued.status).toBe(201);
    const key = issued.body.key as string;
    credentials.push(key);
    const binding = await api.request('POST', '/v2/iam/role-bindings', {
      principal: `service-account:${ws}`,
      workspace: ws,
      role: 'Viewer',
    });
    expect(binding.status).toBe(201);
    const wrong = secretLike('mp-wrong-key');
    credentials.push(wrong);

    // A provider on a recording upstream with the upstream key, READY (no worker probes a hand-made one).
    const provider = await api.request('POST', `${base}/providers`, {
      name: 'up',
      host_url: upstream.url,
      api_key_secret_name: 'upstream',
      served_models: [{ model_entity_id: `${ws}/echo`, served_model_name: SERVED }],
    });
    expect(provider.status).toBe(201);
    const db = new pg.Client({ connectionString: plane.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`UPDATE model_providers SET status = 'READY' WHERE workspace = $1 AND name = 'up'`, [ws]);
    } finally {
      await db.end();
    }

    // Inference and a registry read with the issued key, the wrong key, and keys where they do not
    // belong: a query string, an x-api-key header, a prompt.
    const chat = (url: string, headers: Record<string, string>) =>
      fetch(`${url}${base}/inference/gateway/model/echo/-/v1/chat/completions?api_key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
        body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: `token ${key}` }] }),
      });
    await eventually(async () => (await chat(gatewayUrl, { authorization: `Bearer ${key}` })).status === 200);
    const listed = await fetch(`${api.url}${base}/models?api_key=${key}`, {
      headers: { authorization: `Bearer ${key}`, 'x-api-key': key },
    });
    // An unknown query parameter is refused by name; its value is not repeated.
    expect(listed.status).toBe(422);
    expect(await listed.text()).not.toContain(key);
    expect((await chat(gatewayUrl, { authorization: `Bearer ${wrong}` })).status).toBe(401);
    const refused = await fetch(`${api.url}${base}/models?api_key=${wrong}`, { headers: { 'x-api-key': wrong } });
    expect(refused.status).toBe(401);
    expect(upstream.seen.some((seen) => seen.headers.authorization === `Bearer ${upstreamKey}`)).toBe(true);

    // A deployment through the worker, so its reconcile passes log too.
    expect((await api.request('POST', `${base}/deployment-configs`, nimConfig('sim'))).status).toBe(201);
    expect((await api.request('POST', `${base}/deployments`, { name: 'sim', config: 'sim' })).status).toBe(201);
    const ready = await api.request('GET', `${base}/deployments/sim?wait_for=READY,FAILED&timeout=60`);
    expect(ready.body.status).toBe('READY');

    const logs = { api: api.logs, gateway: gatewayLogs.lines, worker: workerLogs.lines };
    // Every process did log what happened (else "no credential" would be proven by silence).
    expect(logs.api.filter((line) => line.includes('"route":"/v2/workspaces/:workspace/secrets"')).length).toBe(3);
    expect(logs.gateway.filter((line) => line.includes('"status":401')).length).toBeGreaterThanOrEqual(1);
    // (Nest's static loggers write through the last application created in this process, here the gateway;
    // in production each process has its own.)
    const all = Object.values(logs).flat();
    expect(all.filter((line) => line.includes(`${ws}/sim v1: READY at`))).toHaveLength(1);
    const leaks = Object.entries(logs).flatMap(([process, lines]) =>
      lines.flatMap((line) =>
        credentials.some((credential) => line.includes(credential)) ? [`${process}: ${line}`] : [],
      ),
    );
    expect(leaks).toEqual([]);
  });
});
