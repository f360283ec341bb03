import { Logger, type LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { queueBackend, RedisBackend, type Consumer, type QueueBackend, type QueueSettings } from './queue-backend.js';
import { RECONCILE_QUEUE, type ReconcileJob } from './queues.js';
import { ReconcileQueue } from './reconcile-queue.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TUNING = { stalledInterval: 30_000, lockDuration: 30_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the engine relies on, on both backends: Redis, and BullMQ's PostgreSQL backend in a database of
 * its own. Each test has its own prefix (on PostgreSQL: its own schema), so none sees another's jobs.
 */
describe.each(['redis', 'postgres'] as const)('ReconcileQueue on %s', (kind) => {
  let databaseUrl = 'postgresql://unused';
  const opened: ReconcileQueue[] = [];

  beforeAll(async () => {
    if (kind === 'postgres') databaseUrl = await createTestDatabase('modelplane_queue');
  });
  afterAll(async () => {
    if (kind === 'postgres') await dropTestDatabase(databaseUrl);
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) {
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });

  const settings = (): QueueSettings => ({
    QUEUE_BACKEND: kind,
    REDIS_URL,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `test-queue-${randomBytes(4).toString('hex')}`,
  });
  const open = (backend: QueueBackend = queueBackend(settings()), timeoutMs = 5000): ReconcileQueue => {
    const queue = new ReconcileQueue(backend, { timeoutMs });
    opened.push(queue);
    return queue;
  };
  /** A worker on the queue's backend that records the deployments it runs, in order. */
  const work = (queue: ReconcileQueue, run: (name: string) => Promise<void> = async () => undefined) => {
    const ran: string[] = [];
    const consumer: Consumer<ReconcileJob> = queue.backend.consumer<ReconcileJob>(
      RECONCILE_QUEUE,
      async (job) => {
        ran.push(job.data.name);
        await run(job.data.name);
      },
      { concurrency: 1, ...TUNING },
    );
    return {
      ran,
      async stop() {
        await consumer.worker.close();
        consumer.disconnect();
      },
    };
  };
  const until = async (what: string, ok: () => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await sleep(25);
    }
  };
  const counts = (queue: ReconcileQueue) => queue.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');

  it('names its readiness check after the store', () => {
    expect(open().check).toBe(kind === 'redis' ? 'redis' : 'queue');
  });

  it('answers a ping once connected', async () => {
    const queue = open();
    await queue.queue.waitUntilReady();
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it('keeps one job per deployment however often it is asked', async () => {
    const queue = open();
    for (let i = 0; i < 3; i++) expect(await queue.enqueue('ws', 'burst')).toBe(true);
    expect(await queue.enqueue('ws', 'other')).toBe(true);
    expect(await counts(queue)).toEqual({ waiting: 2, prioritized: 0, delayed: 0, active: 0 });
  });

  it('runs a foreground request before background re-checks that were waiting first', async () => {
    const queue = open();
    expect(await queue.enqueue('ws', 'recheck-a', { background: true })).toBe(true);
    expect(await queue.enqueue('ws', 'recheck-b', { background: true })).toBe(true);
    expect(await queue.enqueue('ws', 'user-change')).toBe(true);
    const worker = work(queue);
    try {
      await until('three runs', () => worker.ran.length === 3);
    } finally {
      await worker.stop();
    }
    expect(worker.ran).toEqual(['user-change', 'recheck-a', 'recheck-b']);
  });

  it('runs a delayed re-check when it falls due, not before', async () => {
    const queue = open();
    const asked = Date.now();
    expect(await queue.enqueue('ws', 'later', { delayMs: 700, background: true })).toBe(true);
    expect(await counts(queue)).toMatchObject({ delayed: 1 });
    const worker = work(queue);
    try {
      await until('the delayed run', () => worker.ran.length === 1);
      expect(Date.now() - asked).toBeGreaterThanOrEqual(700);
    } finally {
      await worker.stop();
    }
  });

  it('lets a request for now take the place of a delayed re-check', async () => {
    const queue = open();
    expect(await queue.enqueue('ws', 'changed', { delayMs: 60_000, background: true })).toBe(true);
    expect(await queue.enqueue('ws', 'changed')).toBe(true);
    expect(await counts(queue)).toEqual({ waiting: 1, prioritized: 0, delayed: 0, active: 0 });
    const worker = work(queue);
    try {
      await until('the run for now', () => worker.ran.length === 1);
      await sleep(500);
      expect(await counts(queue)).toEqual({ waiting: 0, prioritized: 0, delayed: 0, active: 0 });
    } finally {
      await worker.stop();
    }
    expect(worker.ran).toEqual(['changed']);
  });

  it('runs a deployment changed during its run exactly once more, never twice at once', async () => {
    const queue = open();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let overlapped = false;
    const worker = work(queue, async () => {
      running++;
      if (running > 1) overlapped = true;
      if (worker.ran.length === 1) await released;
      running--;
    });
    try {
      expect(await queue.enqueue('ws', 'busy')).toBe(true);
      await until('the first run', () => worker.ran.length === 1);
      // Three changes while it runs: one more run, not three.
      for (let i = 0; i < 3; i++) expect(await queue.enqueue('ws', 'busy')).toBe(true);
      release();
      await until('the run after the change', () => worker.ran.length === 2);
      await sleep(1000);
    } finally {
      await worker.stop();
    }
    expect(worker.ran).toEqual(['busy', 'busy']);
    expect(overlapped).toBe(false);
  });

  it('answers false at once, without waiting for a connection, once closed', async () => {
    // "At once" against a long timeout: far below it, with room for a loaded CI machine.
    const closed = new ReconcileQueue(queueBackend(settings()), { timeoutMs: 10_000 });
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
    const queue = new ReconcileQueue(new RedisBackend(server.url, 'unused'), { timeoutMs: 300 });
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
    const queue = new ReconcileQueue(new RedisBackend(url, 'unused'), { timeoutMs: 10_000 });
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
    const queue = new ReconcileQueue(new RedisBackend(server.url, 'unused'), { timeoutMs: 300 });
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
