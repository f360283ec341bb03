import { Logger, type LoggerService } from '@nestjs/common';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { RECONCILE_QUEUE, type ReconcileJob } from './queues.js';
import { ReconcileQueue } from './reconcile-queue.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('ReconcileQueue (against the local Redis)', () => {
  const prefix = `test-queue-${randomBytes(4).toString('hex')}`;
  let queue: ReconcileQueue;

  beforeAll(() => {
    queue = new ReconcileQueue(REDIS_URL, prefix, { timeoutMs: 2000 });
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
    // "At once" against a long timeout: far below it, with room for a loaded CI machine.
    const closed = new ReconcileQueue(REDIS_URL, prefix, { timeoutMs: 10_000 });
    await closed.close();
    const started = Date.now();
    expect(await closed.enqueue('ws', 'late')).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

/**
 * A TCP server that accepts connections and never answers (Redis stopped, or packets lost), or with
 * `drop` closes each at once; `accepted` counts them.
 */
async function silentServer({ drop = false } = {}): Promise<{
  url: string;
  accepted(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    if (drop) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
async function refusingUrl(): Promise<string> {
  const { url, close } = await silentServer();
  await close();
  return url;
}

describe('ReconcileQueue without Redis', () => {
  const warnings: string[] = [];
  const capture: LoggerService = {
    log: () => undefined,
    error: () => undefined,
    warn: (message: string) => warnings.push(message),
  };

  beforeAll(() => Logger.overrideLogger(capture));
  afterAll(() => Logger.overrideLogger(false));
  beforeEach(() => (warnings.length = 0));

  it('answers false within its timeout when Redis accepts the connection but never answers', async () => {
    const server = await silentServer();
    const queue = new ReconcileQueue(server.url, 'unused', { timeoutMs: 300 });
    try {
      const started = Date.now();
      expect(await queue.enqueue('ws', 'hung')).toBe(false);
      expect(Date.now() - started).toBeLessThan(1500);
      await expect(queue.ping()).rejects.toThrow();
    } finally {
      await queue.close();
      await server.close();
    }
  });

  it('answers false at once when Redis refuses, and says so in one line however often it fails', async () => {
    const url = await refusingUrl();
    const queue = new ReconcileQueue(url, 'unused', { timeoutMs: 10_000 });
    try {
      await new Promise((r) => setTimeout(r, 800)); // a few reconnect attempts
      for (const name of ['a', 'b', 'c']) {
        const started = Date.now();
        expect(await queue.enqueue('ws', name)).toBe(false);
        expect(Date.now() - started).toBeLessThan(2000); // far below the 10 s it would wait without the fast path
      }
      const port = new URL(url).port;
      expect(warnings).toEqual([expect.stringContaining(`Redis at 127.0.0.1:${port} is unreachable`)]);
    } finally {
      await queue.close();
    }
  });

  it('reconnects with back-off, not every few dozen milliseconds', async () => {
    const server = await silentServer({ drop: true });
    const queue = new ReconcileQueue(server.url, 'unused', { timeoutMs: 300 });
    try {
      await new Promise((r) => setTimeout(r, 3000));
      // ioredis's back-off (50 ms doubling, plus up to 200 ms of jitter): about 5 attempts in 3 s, where a
      // fixed 50 ms delay would make 60 and BullMQ's own strategy for the connections it creates 3.
      expect(server.accepted()).toBeGreaterThanOrEqual(3);
      expect(server.accepted()).toBeLessThanOrEqual(7);
    } finally {
      await queue.close();
      await server.close();
    }
  });
});
