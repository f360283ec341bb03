import { Logger, type LoggerService } from '@nestjs/common';
import { connect, createServer, type Server } from 'node:net';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { postgresAddress, postgresQueueSchema, PostgresBackend, queueBackend, RedisBackend } from './queue-backend.js';
import { ReconcileQueue } from './reconcile-queue.js';

const settings = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/modelplane',
  QUEUE_PREFIX: 'modelplane',
};

describe('queueBackend', () => {
  it('is chosen by QUEUE_BACKEND, in one place', () => {
    expect(queueBackend({ ...settings, QUEUE_BACKEND: 'redis' })).toBeInstanceOf(RedisBackend);
    const postgres = queueBackend({ ...settings, QUEUE_BACKEND: 'postgres' });
    expect(postgres).toBeInstanceOf(PostgresBackend);
    expect(postgres).toMatchObject({ check: 'queue', schema: 'modelplane_queue' });
  });

  it("names the queues' schema after the prefix, within what a schema name may hold", () => {
    expect(postgresQueueSchema('modelplane')).toBe('modelplane_queue');
    expect(postgresQueueSchema('test-ab12:x.y')).toBe('test_ab12_x_y_queue');
    expect(postgresQueueSchema('9lives')).toBe('_9lives_queue');
    expect(postgresQueueSchema('p'.repeat(64))).toHaveLength(63);
  });

  it('names a PostgreSQL address without its credentials', () => {
    const address = postgresAddress('postgresql://app:s3cr3t-pw@db.internal:6543/modelplane?sslmode=require');
    expect(address).toBe('db.internal:6543/modelplane');
    expect(postgresAddress('postgres://db/x')).toBe('db:5432/x');
    expect(postgresAddress('not a url')).toBe('(invalid DATABASE_URL)');
  });
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('ReconcileQueue on PostgreSQL that cannot be reached', () => {
  const warnings: string[] = [];
  const capture: LoggerService = {
    log: () => undefined,
    error: () => undefined,
    warn: (message: string) => warnings.push(message),
  };
  beforeAll(() => Logger.overrideLogger(capture));
  afterAll(() => Logger.overrideLogger(false));

  it('answers false within its timeout, fails its ping, and says so once, without the password', async () => {
    const port = await freePort();
    const backend = new PostgresBackend(`postgresql://app:s3cr3t-pw@127.0.0.1:${port}/modelplane`, 'unused_queue');
    const queue = new ReconcileQueue(backend, { timeoutMs: 1000 });
    try {
      for (const name of ['a', 'b']) {
        const started = Date.now();
        expect(await queue.enqueue('ws', name)).toBe(false);
        expect(Date.now() - started).toBeLessThan(1500);
      }
      await expect(queue.ping()).rejects.toThrow();
      expect(warnings).toEqual([
        expect.stringContaining(`The job queue in PostgreSQL at 127.0.0.1:${port}/modelplane is unreachable`),
      ]);
      expect(warnings.join('\n')).not.toContain('s3cr3t');
    } finally {
      await queue.close();
    }
  });
});

describe('ReconcileQueue on PostgreSQL that comes back', () => {
  let databaseUrl: string;
  let proxy: Server | undefined;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase('modelplane_queue');
    Logger.overrideLogger(false);
  });
  afterAll(async () => {
    await new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done()));
    await dropTestDatabase(databaseUrl);
  });

  it('enqueues once the database answers, though it was away when the queue first tried', async () => {
    // The test database, reached through a port that refuses until a proxy to the real server opens on it.
    const port = await freePort();
    const real = new URL(databaseUrl);
    const through = new URL(databaseUrl);
    through.host = `127.0.0.1:${port}`;
    const queue = new ReconcileQueue(new PostgresBackend(through.toString(), 'comeback_queue'), { timeoutMs: 2000 });
    try {
      expect(await queue.enqueue('ws', 'early')).toBe(false);
      proxy = createServer((client) => {
        const server = connect(Number(real.port || 5432), real.hostname);
        client.pipe(server).pipe(client);
        client.on('error', () => server.destroy());
        server.on('error', () => client.destroy());
      });
      await new Promise<void>((done) => proxy?.listen(port, '127.0.0.1', done));
      expect(await queue.enqueue('ws', 'later')).toBe(true);
      await expect(queue.ping()).resolves.toBeUndefined();
      expect(await queue.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await queue.close();
    }
  });
});
