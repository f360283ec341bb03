import { jest } from '@jest/globals';
import { startControlPlane, startRedisServer, type ControlPlane, type RedisServer } from './worker-harness.js';

jest.setTimeout(60_000);

/**
 * A worker must stop when asked, whatever Redis does: Kubernetes sends SIGTERM and waits
 * terminationGracePeriodSeconds. Before this test, a worker whose Redis had gone never finished
 * closing, not even once Redis was back (BullMQ's graceful close waits on a blocking read).
 */
describe('worker shutdown', () => {
  let redis: RedisServer;
  let plane: ControlPlane;

  beforeAll(async () => {
    redis = await startRedisServer();
    plane = await startControlPlane({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
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
});
