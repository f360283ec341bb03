import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { LocalRuntime } from '#runtime';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { newWorkspace, startApi, type Api } from './api-harness.js';
import {
  eventually,
  FAST_LIFECYCLE,
  spawnWorkerProcess,
  startRedisServer,
  type ChildHandle,
  type RedisServer,
} from './worker-harness.js';

jest.setTimeout(120_000);

/** The bound under test: an enqueue gives up after this long. */
const ENQUEUE_TIMEOUT_MS = 1000;
/** What a write may take on top of it on a busy test machine. */
const SLACK_MS = 1500;
const QUIET = { log: () => undefined, warn: () => undefined, error: () => undefined };
const STACK_LINE = /^\s+at /;

/**
 * Redis hanging (SIGSTOP) and refusing connections (killed) under a real API and a real worker
 * process, on a private `redis-server`: writes still answer in bounded time and are picked up once
 * Redis is back, readiness names the queue, and the worker says one line per change of state.
 */
describe('Redis unreachable', () => {
  let redis: RedisServer;
  let api: Api;
  let worker: ChildHandle | undefined;
  let workerEnv: Record<string, string>;
  let databaseUrl: string;
  let stateDir: string;
  let base: string;

  /** A request to the workspace, with how long it took. */
  const call = async (method: string, path: string, body?: unknown) => {
    const started = Date.now();
    const res = await api.request(method, base + path, body);
    return { ...res, ms: Date.now() - started };
  };
  const post = (path: string, body: unknown) => call('POST', path, body);
  const ready = () => api.request('GET', '/health/ready');

  beforeAll(async () => {
    redis = await startRedisServer();
    databaseUrl = await createTestDatabase('modelplane_outage');
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    stateDir = mkdtempSync(join(tmpdir(), 'modelplane-outage-'));
    const shared = {
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      REDIS_URL: redis.url,
      QUEUE_ENQUEUE_TIMEOUT_MS: String(ENQUEUE_TIMEOUT_MS),
    };
    api = await startApi(shared);
    base = `/v2/workspaces/${await newWorkspace(api, 'outage')}`;
    const config = await api.request('POST', `${base}/deployment-configs`, {
      name: 'sim',
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1 },
    });
    expect(config.status).toBe(201);
    workerEnv = {
      ...shared,
      ...FAST_LIFECYCLE,
      LOCAL_RUNTIME_STATE_DIR: stateDir,
      LOG_LEVEL: 'log',
      HEALTH_TIMEOUT_MS: '60000',
    };
    worker = await spawnWorkerProcess(workerEnv);
    await eventually(async () => (await ready()).status === 200);
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    if (existsSync(join(stateDir, 'instances'))) {
      const runtime = new LocalRuntime({ stateDir, logger: QUIET });
      await runtime.init();
      for (const instance of await runtime.list()) await runtime.delete(instance.instanceId);
      await runtime.close();
    }
    await api?.close();
    await redis?.kill();
    await dropTestDatabase(databaseUrl);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers every kind of write within the bound while Redis hangs, is not ready meanwhile, and catches up after', async () => {
    expect((await post('/deployments', { name: 'hang-other', config: 'sim' })).status).toBe(201);
    redis.child.kill('SIGSTOP');
    try {
      const created = await post('/deployments', { name: 'during-hang', config: 'sim' });
      expect(created).toMatchObject({ status: 201, body: { name: 'during-hang', status: 'CREATED' } });
      expect(created.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);
      expect((await api.request('GET', `${base}/deployments/during-hang`)).body.status).toBe('CREATED');
      // Every other path that enqueues: a new version, a status write, a delete.
      const writes = [
        await post('/deployments/hang-other', { config: 'sim' }),
        await post('/deployments/hang-other/status?version=2', { status: 'FAILED', status_message: 'by hand' }),
        await call('DELETE', '/deployments/hang-other'),
      ];
      expect(writes.map((w) => w.status)).toEqual([201, 200, 202]);
      for (const write of writes) expect(write.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);

      const started = Date.now();
      expect(await ready()).toMatchObject({
        status: 503,
        body: { status: 'unavailable', checks: { database: 'ok', redis: 'timeout' } },
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      redis.child.kill('SIGCONT');
    }
    await eventually(async () => (await ready()).status === 200);
    // Nothing enqueued it: the worker's resync does.
    const res = await api.request('GET', `${base}/deployments/during-hang?wait_for=READY,FAILED&timeout=60`);
    expect(res.body.status).toBe('READY');
    const gone = await api.request('GET', `${base}/deployments/hang-other?wait_for=DELETED&timeout=60`);
    expect(gone.body.status).toBe('DELETED');
  });

  it('answers every write at once while Redis refuses connections; the worker says so in one line, no stacks', async () => {
    expect((await post('/deployments', { name: 'before-outage', config: 'sim' })).status).toBe(201);
    const apiMark = api.logs.length;
    const workerMark = worker!.output.length;
    await redis.kill();

    const created = await post('/deployments', { name: 'during-outage', config: 'sim' });
    expect(created).toMatchObject({ status: 201, body: { name: 'during-outage', status: 'CREATED' } });
    expect(created.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);
    const version = await post('/deployments/before-outage', { config: 'sim' });
    expect(version).toMatchObject({ status: 201, body: { entity_version: 2 } });
    expect(version.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);
    const deleted = await call('DELETE', '/deployments/before-outage');
    expect(deleted.status).toBe(202);
    expect(deleted.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);
    expect(await ready()).toMatchObject({
      status: 503,
      body: { status: 'unavailable', checks: { database: 'ok', redis: 'unreachable' } },
    });

    await sleep(10_000); // five resyncs, and the connections' reconnect attempts
    const lost = new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} is unreachable`);
    const workerLines = worker!.output.slice(workerMark);
    expect(workerLines.filter((line) => STACK_LINE.test(line))).toEqual([]);
    expect(workerLines.length).toBeLessThanOrEqual(5);
    expect(workerLines.filter((line) => lost.test(line))).toHaveLength(1);
    // Besides one line per request (the writes answered, the probe's 503 a warning), the API says the
    // outage in one line: each write left to the resync is a debug line.
    const apiLines = api.logs.slice(apiMark).filter((line) => !line.startsWith('debug '));
    expect(apiLines.filter((line) => STACK_LINE.test(line))).toEqual([]);
    const requestLines = apiLines.filter((line) => line.includes('"route":"'));
    expect(requestLines.map((line) => line.split(' {')[0])).toEqual([
      'log POST /v2/workspaces/:workspace/deployments 201',
      'log POST /v2/workspaces/:workspace/deployments/:name 201',
      'log DELETE /v2/workspaces/:workspace/deployments/:name 202',
      'warn GET /health/ready 503',
    ]);
    expect(apiLines.filter((line) => !requestLines.includes(line))).toEqual([expect.stringMatching(lost)]);

    redis = await startRedisServer(redis.port);
    await eventually(async () => (await ready()).status === 200);
    const back = new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} is reachable again`);
    expect(api.logs.slice(apiMark).filter((line) => back.test(line))).toHaveLength(1);
    await worker!.waitForOutput(back);
    const res = await api.request('GET', `${base}/deployments/during-outage?wait_for=READY,FAILED&timeout=60`);
    expect(res.body.status).toBe('READY');
    const gone = await api.request('GET', `${base}/deployments/before-outage?wait_for=DELETED&timeout=60`);
    expect(gone.body.status).toBe('DELETED');
  });

  it('a worker started while Redis is gone says so in one line, and works once Redis is there', async () => {
    await worker!.kill('SIGKILL');
    await redis.kill();
    worker = await spawnWorkerProcess(workerEnv);
    const mark = worker.output.length;
    const created = await post('/deployments', { name: 'before-redis', config: 'sim' });
    expect(created.status).toBe(201);
    expect(created.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + SLACK_MS);

    await sleep(6000);
    const lost = new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} is unreachable`);
    expect(worker.output.filter((line) => STACK_LINE.test(line))).toEqual([]);
    expect(worker.output.filter((line) => lost.test(line))).toHaveLength(1);
    expect(worker.output.slice(mark).filter((line) => !lost.test(line))).toEqual([]);

    redis = await startRedisServer(redis.port);
    const res = await api.request('GET', `${base}/deployments/before-redis?wait_for=READY,FAILED&timeout=60`);
    expect(res.body.status).toBe('READY');
  });
});
