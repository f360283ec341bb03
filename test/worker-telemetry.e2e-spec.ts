import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Telemetry } from '#telemetry';
import type pg from 'pg';
import { bearer, insertKey, testPool } from './access-helpers.js';
import { newWorkspace } from './api-harness.js';
import { LogCapture } from './log-capture.js';
import {
  eventually,
  freePort,
  startControlPlane,
  startRedisServer,
  type ControlPlane,
  type RedisServer,
} from './worker-harness.js';

jest.setTimeout(120_000);

/** One sample of the Prometheus text format: its metric name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** A span as an OTLP/JSON export carries it (ids as hex, or base64 in older encoders). */
interface ExportedSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const hex = (id: string | undefined) =>
  id && !/^[0-9a-f]*$/.test(id) ? Buffer.from(id, 'base64').toString('hex') : id;

/** An OpenTelemetry collector's OTLP/HTTP endpoint, keeping every span it is sent. */
async function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const data = JSON.parse(body.toString('utf8')) as {
        resourceSpans?: { scopeSpans?: { spans?: ExportedSpan[] }[] }[];
      };
      for (const resource of data.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, spans, server };
}

/**
 * The worker's telemetry end to end: a real API and worker (local runtime, NIM simulator instances) on a
 * private Redis, the worker's `/metrics` and `/health/ready` on its real health port, its log lines as
 * written.
 */
describe('worker telemetry', () => {
  let redis: RedisServer;
  let plane: ControlPlane;
  let pool: pg.Pool;
  let ws: string;
  let base: string;
  let scraperKey: string;
  let readerKey: string;
  const workerLogs = new LogCapture();
  const requestId = `it-${randomBytes(6).toString('hex')}`;
  let badRequestId = '';
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  let collector: Awaited<ReturnType<typeof startCollector>>;

  const scrape = (headers: Record<string, string> = {}) => fetch(`${base}/metrics`, { headers });
  const metrics = async () => {
    const res = await scrape(bearer(scraperKey));
    expect(res.status).toBe(200);
    return parseMetrics(await res.text());
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    collector = await startCollector();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    plane = await startControlPlane(
      {
        REDIS_URL: redis.url,
        WORKER_HEALTH_PORT: String(port),
        WORKER_HEALTH_HOST: '127.0.0.1',
        HEALTH_CHECK_TIMEOUT_MS: '400',
        QUEUE_ENQUEUE_TIMEOUT_MS: '3000',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      },
      { REDIS_URL: redis.url },
      { workerLog: workerLogs.options('log') },
    );
    pool = testPool(plane.env.DATABASE_URL);
    ws = await newWorkspace(plane.api, 'telemetry');
    // A scraper's key (a PlatformAdmin's, with only the `metrics` scope), and a key that may read but not scrape.
    scraperKey = (
      await insertKey(pool, 'service-account:scraper', { scopes: ['metrics'], roles: [[null, 'PlatformAdmin']] })
    ).key;
    readerKey = (
      await insertKey(pool, 'service-account:reader', { scopes: ['read'], roles: [[null, 'PlatformAdmin']] })
    ).key;
    // The worker loads keys when the database announces them.
    await eventually(async () => (await scrape(bearer(scraperKey))).status === 200);
  });
  afterAll(async () => {
    await pool?.end();
    await plane?.close();
    await redis?.kill();
    collector?.server.close();
  });

  const path = (rest: string) => `/v2/workspaces/${ws}${rest}`;
  async function config(name: string, envs: Record<string, string>): Promise<void> {
    const res = await plane.api.request('POST', path('/deployment-configs'), {
      name,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: envs },
    });
    expect(res.status).toBe(201);
  }
  async function settled(name: string): Promise<string> {
    const res = await plane.api.request('GET', path(`/deployments/${name}?wait_for=READY,FAILED&timeout=40`));
    expect(res.status).toBe(200);
    return res.body.status as string;
  }

  it('counts transitions, time to READY, failures, deployments by status, passes and queue waits', async () => {
    await config('good', {});
    await config('bad', { SIM_FAIL_AT_START: 'weights not found in /model-store' });
    const created = await plane.api.request(
      'POST',
      path('/deployments'),
      { name: 'good', config: 'good' },
      { 'x-request-id': requestId, traceparent: `00-${traceId}-${parentSpanId}-01` },
    );
    expect(created.status).toBe(201);
    const bad = await plane.api.request('POST', path('/deployments'), { name: 'bad', config: 'bad' });
    expect(bad.status).toBe(201);
    badRequestId = bad.headers.get('x-request-id') ?? '';
    expect(await settled('good')).toBe('READY');
    expect(await settled('bad')).toBe('FAILED');

    const samples = await metrics();
    expect(total(samples, 'modelplane_deployment_transitions_total', { from: 'CREATED', to: 'PENDING' })).toBe(2);
    expect(total(samples, 'modelplane_deployment_transitions_total', { from: 'PENDING', to: 'READY' })).toBe(1);
    expect(total(samples, 'modelplane_deployment_transitions_total', { from: 'PENDING', to: 'FAILED' })).toBe(1);
    expect(total(samples, 'modelplane_deployment_ready_seconds_count')).toBe(1);
    const readySeconds = total(samples, 'modelplane_deployment_ready_seconds_sum');
    expect(readySeconds).toBeGreaterThan(0);
    expect(readySeconds).toBeLessThan(60);
    expect(total(samples, 'modelplane_deployment_failures_total', { reason: 'start_failed' })).toBe(1);
    expect(total(samples, 'modelplane_deployments', { workspace: ws, status: 'READY' })).toBe(1);
    expect(total(samples, 'modelplane_deployments', { workspace: ws, status: 'FAILED' })).toBe(1);

    // Every pass is counted once, by how it ended, and timed. A pass is counted when it ends, after the status
    // it wrote, and a job's wait when it starts; the READY deployment's re-checks go on meanwhile: so these are
    // read from a scrape taken between passes (at most one job per deployment runs: two waited, not passed).
    const between = await eventually(async () => {
      const scraped = await metrics();
      const passes = total(scraped, 'modelplane_reconcile_passes_total');
      const timed = total(scraped, 'modelplane_reconcile_duration_seconds_count');
      const waits = total(scraped, 'modelplane_queue_wait_seconds_count');
      return passes >= 4 && timed === passes && waits >= passes && waits <= passes + 2 ? scraped : undefined;
    });
    expect(total(between, 'modelplane_reconcile_passes_total', { result: 'error' })).toBe(0);
    // The queue's states, read from Redis at scrape time.
    const states = samples.filter((s) => s.name === 'modelplane_queue_jobs').map((s) => s.labels.state);
    expect(states).toEqual(expect.arrayContaining(['waiting', 'delayed', 'active', 'failed']));
    // Node's process metrics are there too; no runtime call failed.
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(total(samples, 'modelplane_runtime_api_errors_total')).toBe(0);
  });

  it("carries the API request's id into every worker line of the reconcile it caused", async () => {
    const apiLine = plane.api.logs.find((line) => line.includes(`"request_id":"${requestId}"`) && /POST /.test(line));
    expect(apiLine).toContain(`"route":"/v2/workspaces/:workspace/deployments"`);
    const workerLines = workerLogs.records.filter((r) => r.request_id === requestId);
    const messages = workerLines.map((r) => String(r.msg));
    // The pass the POST enqueued: its status write, and the runtime starting the instance for it.
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${ws}/good v1: PENDING`)),
        expect.stringMatching(new RegExp(`^${ws}\\.good\\.v1: started`)),
      ]),
    );
    expect(workerLines.every((r) => r.service === 'worker')).toBe(true);
    // No other deployment's lines carry it (the runtime's own work, started outside any job, neither).
    expect(messages.filter((m) => m.includes(`${ws}/bad`) || m.includes(`${ws}.bad`))).toEqual([]);
    // The bad deployment's first pass carries the id of its own POST (one the API made up).
    expect(badRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(workerLogs.records.filter((r) => r.request_id === badRequestId).map((r) => String(r.msg))).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${ws}/bad v1: PENDING`))]),
    );
  });

  it("records a span per reconcile job, a child of the API request's trace context", async () => {
    await plane.worker.get(Telemetry).tracing.flush();
    const ours = collector.spans.filter((span) => hex(span.traceId) === traceId);
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const span of ours) {
      expect(span.name).toBe('reconcile deployment');
      expect(hex(span.parentSpanId)).toBe(parentSpanId);
      expect(span.attributes).toEqual(
        expect.arrayContaining([{ key: 'modelplane.deployment', value: { stringValue: 'good' } }]),
      );
    }
    // Jobs no request caused (the resync's, the runtime's hints) start traces of their own.
    expect(collector.spans.filter((span) => hex(span.traceId) !== traceId).length).toBeGreaterThan(0);
  });

  it('refuses /metrics without a key, with a bad one, and with a key lacking the metrics scope', async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="modelplane"');
    expect(await none.json()).toMatchObject({ code: 'auth/credential_missing' });
    expect((await scrape(bearer('not-a-key'))).status).toBe(401);
    const reader = await scrape(bearer(readerKey));
    expect(reader.status).toBe(403);
    expect(await reader.json()).toMatchObject({ code: 'auth/scope_missing' });
    expect((await scrape({ authorization: 'Basic abc' })).status).toBe(401);
  });

  it('is not ready while Redis hangs, naming it, within the check time limit; metrics still answer', async () => {
    await eventually(async () => (await fetch(`${base}/health/ready`)).status === 200);
    redis.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const res = await fetch(`${base}/health/ready`);
      const elapsed = Date.now() - started;
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { database: 'ok', redis: 'timeout', runtime: 'ok' } },
      });
      // Cut by HEALTH_CHECK_TIMEOUT_MS (400 ms), not by the queue's own 3 s bound.
      expect(elapsed).toBeLessThan(2000);
      // The scrape answers too; the queue's gauge, which Redis cannot fill now, is left out.
      const scrapeStarted = Date.now();
      const samples = await metrics();
      expect(Date.now() - scrapeStarted).toBeLessThan(2000);
      expect(samples.some((s) => s.name === 'modelplane_queue_jobs')).toBe(false);
      expect(total(samples, 'modelplane_deployments', { workspace: ws, status: 'READY' })).toBe(1);
    } finally {
      redis.child.kill('SIGCONT');
    }
    await eventually(async () => (await fetch(`${base}/health/ready`)).status === 200);
  });

  it('serves no metrics, and counts nothing, with METRICS_ENABLED=false; readiness stays', async () => {
    await plane.stopWorker();
    await plane.startWorker({ METRICS_ENABLED: 'false' });
    const res = await scrape(bearer(scraperKey));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Metrics are off (METRICS_ENABLED=false)' });
    expect(plane.worker.get(Telemetry).registry).toBeNull();
    await eventually(async () => (await fetch(`${base}/health/ready`)).status === 200);
  });
});
