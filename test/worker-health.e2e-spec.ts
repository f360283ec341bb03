import { jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadEnv, WorkerConfig } from '#config';
import { createWorker } from '../apps/worker/src/worker.factory.js';
import { obliterate } from './api-harness.js';
import {
  eventually,
  freePort,
  startControlPlane,
  startRedisServer,
  type ControlPlane,
  type RedisServer,
} from './worker-harness.js';
import { SILENT } from './log-capture.js';

jest.setTimeout(60_000);

interface Answer {
  status: number;
  body: { status?: string; checks?: Record<string, string>; detail?: string };
}

async function request(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/**
 * The worker's probe endpoints, on a real listening server of a real worker, against real
 * PostgreSQL and a private Redis that the tests pause and kill.
 */
describe('worker health endpoints', () => {
  let redis: RedisServer;
  let plane: ControlPlane;
  let base: string;

  const get = (path: string, init?: RequestInit) => request(base + path, init);

  beforeAll(async () => {
    redis = await startRedisServer();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    plane = await startControlPlane({
      REDIS_URL: redis.url,
      WORKER_HEALTH_PORT: String(port),
      WORKER_HEALTH_HOST: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await plane?.close();
    await redis?.kill();
  });

  it('answers liveness and readiness while PostgreSQL and Redis answer', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok', checks: {} } });
    // Ready once the queue's Redis connection is up (it connects in the background).
    await eventually(async () => (await get('/health/ready')).status === 200);
    expect(await get('/health/ready')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', redis: 'ok', runtime: 'ok' } },
    });
  });

  it('serves nothing else', async () => {
    expect((await get('/health')).status).toBe(404);
    expect((await get('/health/ready', { method: 'POST' })).status).toBe(405);
  });

  it('is not ready while Redis hangs, stays live, and is ready again once Redis answers', async () => {
    redis.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      expect(await get('/health/ready')).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { database: 'ok', redis: 'timeout', runtime: 'ok' } },
      });
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await get('/health/live')).status).toBe(200);
    } finally {
      redis.child.kill('SIGCONT');
    }
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('names Redis unreachable while it is gone, and is ready again once it is back', async () => {
    await redis.kill();
    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: { status: 'unavailable', checks: { database: 'ok', redis: 'unreachable', runtime: 'ok' } },
    });
    expect((await get('/health/live')).status).toBe(200);
    // Back on the same port (a worker does not stop cleanly while its Redis is away).
    redis = await startRedisServer(redis.port);
    await eventually(async () => (await get('/health/ready')).status === 200);
  });

  it('stops listening when the worker stops', async () => {
    await plane.stopWorker();
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });

  it('names PostgreSQL unreachable, and fails start-up on a port already taken', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    const env = {
      ...plane.env,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`,
      WORKER_HEALTH_PORT: String(port),
      WORKER_HEALTH_HOST: '127.0.0.1',
    };
    let worker: INestApplicationContext | undefined;
    try {
      worker = await createWorker(loadEnv(WorkerConfig, env), { log: SILENT });
      const ready = () => request(`http://127.0.0.1:${port}/health/ready`);
      await eventually(async () => (await ready()).body.checks?.redis === 'ok');
      expect(await ready()).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { database: 'unreachable', redis: 'ok', runtime: 'ok' } },
      });

      await expect(createWorker(loadEnv(WorkerConfig, env), { log: SILENT })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await worker?.close();
      await obliterate(prefix);
    }
  });
});
