import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RECONCILE_QUEUE, type ReconcileJob } from './queues.js';
import { ReconcileQueue } from './reconcile-queue.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('ReconcileQueue (against the local Redis)', () => {
  const prefix = `test-queue-${randomBytes(4).toString('hex')}`;
  let queue: ReconcileQueue;

  beforeAll(() => {
    queue = new ReconcileQueue(REDIS_URL, prefix);
  });
  afterAll(async () => {
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });

  it('runs a foreground request before background re-checks that were waiting first', async () => {
    expect(await queue.enqueue('ws', 'recheck-a', { background: true })).toBe(true);
    expect(await queue.enqueue('ws', 'recheck-b', { background: true })).toBe(true);
    expect(await queue.enqueue('ws', 'user-change')).toBe(true);

    const order: string[] = [];
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let done!: () => void;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    const worker = new Worker<ReconcileJob>(
      RECONCILE_QUEUE,
      async (job) => {
        order.push(job.data.name);
        if (order.length === 3) done();
      },
      { connection, prefix, concurrency: 1 },
    );
    try {
      await allDone;
    } finally {
      await worker.close();
      connection.disconnect();
    }
    expect(order).toEqual(['user-change', 'recheck-a', 'recheck-b']);
  });

  it('answers false at once, without waiting for a connection, once closed', async () => {
    const closed = new ReconcileQueue(REDIS_URL, prefix);
    await closed.close();
    const started = Date.now();
    expect(await closed.enqueue('ws', 'late')).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
