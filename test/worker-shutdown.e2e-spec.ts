import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { newWorkspace, nimConfig } from './api-harness.js';
import {
  spawnWorkerProcess,
  startControlPlane,
  startRedisServer,
  type ChildHandle,
  type ControlPlane,
  type RedisServer,
} from './worker-harness.js';

jest.setTimeout(60_000);

/** What Kubernetes-style supervisors are promised: a worker asked to stop is gone within this. */
const STOP_BOUND_MS = 10_000;

/**
 * A worker must stop when asked, whatever Redis does: Kubernetes sends SIGTERM and waits
 * terminationGracePeriodSeconds. Before these tests, a worker whose Redis had gone never finished
 * closing, not even once Redis was back (BullMQ's graceful close waits on a blocking read), and a
 * worker process took 60-80 s to end on SIGTERM.
 */
describe('worker shutdown', () => {
  let redis: RedisServer;
  let plane: ControlPlane;
  let workspaceBase: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    plane = await startControlPlane({ REDIS_URL: redis.url });
    // Deployments for the resync to enqueue every RESYNC_INTERVAL_MS, as in any real installation.
    const base = `/v2/workspaces/${await newWorkspace(plane.api, 'shutdown')}`;
    expect((await plane.api.request('POST', `${base}/deployment-configs`, nimConfig('sim'))).status).toBe(201);
    for (const name of ['one', 'two', 'three']) {
      expect((await plane.api.request('POST', `${base}/deployments`, { name, config: 'sim' })).status).toBe(201);
    }
    workspaceBase = base;
  });
  afterAll(async () => {
    redis?.child.kill('SIGCONT');
    await plane?.close();
    await redis?.kill();
  });

  it('stops within seconds while its Redis is gone, and a new worker starts once Redis is back', async () => {
    await new Promise((r) => setTimeout(r, 1000)); // the worker is blocked reading jobs
    await redis.kill();
    await new Promise((r) => setTimeout(r, 2000)); // its connections are retrying
    const started = Date.now();
    await plane.stopWorker();
    expect(Date.now() - started).toBeLessThan(5000);

    redis = await startRedisServer(redis.port);
    await plane.startWorker();
  });

  /** SIGTERM to a worker process after `outage` has lasted 3 s: the time it took to exit. */
  async function sigtermDuring(outage: 'hang' | 'gone'): Promise<{ ms: number; worker: ChildHandle }> {
    const worker = await spawnWorkerProcess({ ...plane.env, LOG_LEVEL: 'log' });
    await sleep(1000); // blocked reading jobs, the resync under way
    if (outage === 'hang') redis.child.kill('SIGSTOP');
    else await redis.kill();
    await sleep(3000); // its connections are retrying, or their commands wait
    const started = Date.now();
    worker.child.kill('SIGTERM');
    const bounded = await Promise.race([worker.exited.then(() => true), sleep(STOP_BOUND_MS + 5000, false)]);
    const ms = Date.now() - started;
    if (!bounded) await worker.kill('SIGKILL');
    return { ms, worker };
  }

  it('a worker process ends within 10 s of SIGTERM while Redis hangs', async () => {
    const { ms, worker } = await sigtermDuring('hang');
    redis.child.kill('SIGCONT');
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    expect(worker.output.filter((line) => /^\s+at /.test(line))).toEqual([]);
  });

  it('a worker process ends within 10 s of SIGTERM while Redis refuses connections', async () => {
    const { ms, worker } = await sigtermDuring('gone');
    redis = await startRedisServer(redis.port);
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    expect(worker.output.filter((line) => /^\s+at /.test(line))).toEqual([]);
  });

  it('a worker process ends within 10 s of SIGTERM even when a shutdown step has no bound of its own', async () => {
    // A provider whose server accepts requests and never answers: the discovery under way when the
    // worker is asked to stop waits for DISCOVERY_TIMEOUT_MS, and the shutdown waits for it.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const provider = await plane.api.request('POST', `${workspaceBase}/providers`, {
        name: 'silent',
        host_url: `http://127.0.0.1:${port}`,
      });
      expect(provider.status).toBe(201);
      const worker = await spawnWorkerProcess({ ...plane.env, LOG_LEVEL: 'log', DISCOVERY_TIMEOUT_MS: '60000' });
      await sleep(1000); // its discovery of `silent` is waiting
      const started = Date.now();
      worker.child.kill('SIGTERM');
      const bounded = await Promise.race([worker.exited.then(() => true), sleep(STOP_BOUND_MS + 5000, false)]);
      const ms = Date.now() - started;
      if (!bounded) await worker.kill('SIGKILL');
      expect(ms).toBeLessThan(STOP_BOUND_MS);
      expect((await worker.exited).code).toBe(1);
      await worker.waitForOutput(/Not stopped 9000 ms after SIGTERM/, 1000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
