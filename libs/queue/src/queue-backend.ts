import {
  createPostgresBackend,
  Queue,
  withBackend,
  Worker,
  type DefaultJobOptions,
  type IQueueBackend,
  type JobProgress,
  type PostgresPoolConfig,
  type Processor,
} from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueLink } from './queue-link.js';
import { redisAddress, redisConnection } from './redis-connection.js';

/** The settings a process's queues are built from (QueueConfig's). */
export interface QueueSettings {
  QUEUE_BACKEND: 'redis' | 'postgres';
  REDIS_URL: string;
  DATABASE_URL: string;
  QUEUE_PREFIX: string;
}

/** A BullMQ queue or worker on either backend. */
export type JobQueue<T> = Queue<T, unknown, string, T, unknown, string, IQueueBackend, unknown>;
export type JobWorker<T> = Worker<T, unknown, string, IQueueBackend, JobProgress, unknown>;

/** A producer: its queue, how this process tells whether it reaches the store, and its own connection. */
export interface Producer<T> {
  readonly queue: JobQueue<T>;
  /** Resolves when the store answers: PING on Redis, a query on PostgreSQL. */
  ping(): Promise<unknown>;
  /** False while the connection is known down (Redis: not `ready`): an enqueue then answers at once. */
  connected(): boolean;
  close(): Promise<void>;
}

/** A worker, and what to close after it (its own connection). */
export interface Consumer<T> {
  readonly worker: JobWorker<T>;
  /**
   * Resolves when the worker may wait for the store: at once on Redis (a worker started while Redis is away
   * takes jobs once it is back); on PostgreSQL once it connected and the queue's schema is migrated, which
   * BullMQ does once per worker for good, so a worker that cannot reach it must not start.
   */
  started(): Promise<void>;
  disconnect(): void;
}

/** How a worker takes jobs (see ReconcileWorker). */
export interface WorkerTuning {
  concurrency: number;
  stalledInterval: number;
  lockDuration: number;
}

/**
 * Where the job queues live, and the one place that knows it: the Queue and Worker options (connection,
 * prefix or schema) and how to ping the store. Every user of the queues goes through this, so none of
 * them asks which backend it runs on.
 */
export interface QueueBackend {
  readonly kind: QueueSettings['QUEUE_BACKEND'];
  /** The readiness check's name: `redis` on Redis (as it always was), `queue` on PostgreSQL. */
  readonly check: 'redis' | 'queue';
  /** What messages call the store: `Redis`, `The job queue in PostgreSQL`. */
  readonly store: string;
  /** This process's view of the store: one line per outage (see QueueLink). */
  readonly link: QueueLink;
  /** `timeoutMs`: the longest a command may hang (QUEUE_ENQUEUE_TIMEOUT_MS). */
  producer<T>(name: string, options: { timeoutMs: number; defaultJobOptions: DefaultJobOptions }): Producer<T>;
  consumer<T>(name: string, processor: Processor<T>, tuning: WorkerTuning): Consumer<T>;
}

/** The backend QueueConfig names. */
export function queueBackend(settings: QueueSettings): QueueBackend {
  return settings.QUEUE_BACKEND === 'postgres'
    ? new PostgresBackend(settings.DATABASE_URL, postgresQueueSchema(settings.QUEUE_PREFIX))
    : new RedisBackend(settings.REDIS_URL, settings.QUEUE_PREFIX);
}

/**
 * The PostgreSQL schema of a queue prefix: `<prefix>_queue`, with every character a schema name may not
 * hold (BullMQ accepts `[A-Za-z_][A-Za-z0-9_$]*`, at most 63) made `_`.
 */
export function postgresQueueSchema(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9_]/g, '_')}_queue`.replace(/^[0-9]/, '_$&').slice(0, 63);
}

/** Redis (REDIS_URL), keys under QUEUE_PREFIX: the behaviour Modelplane always had. */
export class RedisBackend implements QueueBackend {
  readonly kind = 'redis';
  readonly check = 'redis';
  readonly store = 'Redis';
  readonly link: QueueLink;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {
    this.link = new QueueLink(this.store, redisAddress(url));
  }

  producer<T>(
    name: string,
    { timeoutMs, defaultJobOptions }: { timeoutMs: number; defaultJobOptions: DefaultJobOptions },
  ) {
    // Producers never wait for Redis: a command on a dropped connection fails at once (no offline queue,
    // one try), one on a connection that hangs (a stopped server, lost packets) fails after timeoutMs.
    const connection = redisConnection(this.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // Frees the commands a hung Redis holds; later than the caller's bound, so that one decides what it was.
      commandTimeout: timeoutMs + 1000,
    });
    this.link.watch(connection);
    const queue = new Queue<T>(name, {
      connection,
      prefix: this.prefix,
      // Its INFO at start-up, failed by a hang or a drop, would leave the queue unusable for good.
      skipVersionCheck: true,
      defaultJobOptions,
    });
    // Without a listener BullMQ prints every connection error with its stack; the link reports them.
    queue.on('error', () => undefined);
    return {
      queue: queue as unknown as JobQueue<T>,
      ping: () => connection.ping(),
      connected: () => connection.status === 'ready',
      close: async () => {
        await queue.close();
        connection.disconnect();
      },
    };
  }

  consumer<T>(name: string, processor: Processor<T>, tuning: WorkerTuning): Consumer<T> {
    // Workers block on Redis: no retry limit, and no auto-pipelining (it slows a local Redis down).
    const connection: Redis = redisConnection(this.url, { maxRetriesPerRequest: null, enableAutoPipelining: false });
    const worker = new Worker<T>(name, processor, { connection, prefix: this.prefix, autorun: true, ...tuning });
    return {
      worker: worker as unknown as JobWorker<T>,
      started: () => Promise.resolve(),
      disconnect: () => connection.disconnect(),
    };
  }
}

const Postgres = withBackend(createPostgresBackend);

/**
 * BullMQ's PostgreSQL backend in DATABASE_URL's database, in a schema of its own that BullMQ creates and
 * migrates (under an advisory lock, so processes starting together do not race). No Redis anywhere.
 */
export class PostgresBackend implements QueueBackend {
  readonly kind = 'postgres';
  readonly check = 'queue';
  readonly store = 'The job queue in PostgreSQL';
  readonly link: QueueLink;

  constructor(
    private readonly databaseUrl: string,
    readonly schema: string,
  ) {
    this.link = new QueueLink(this.store, postgresAddress(databaseUrl));
  }

  /** Each producer and worker owns a small pool (BullMQ's LISTEN connection is a separate one). */
  private connection(max: number, timeoutMs?: number): PostgresPoolConfig {
    return {
      connectionString: this.databaseUrl,
      schema: this.schema,
      migrate: true,
      max,
      ...(timeoutMs ? { connectionTimeoutMillis: timeoutMs } : {}),
    };
  }

  producer<T>(
    name: string,
    { timeoutMs, defaultJobOptions }: { timeoutMs: number; defaultJobOptions: DefaultJobOptions },
  ): Producer<T> {
    // BullMQ's PostgreSQL connection keeps the outcome of its first connect (and migration) for good: a
    // queue whose first connect failed fails every command after, even once the database is back. So a
    // queue that never got ready is replaced by a new one on its next use.
    const open = () => {
      const queue = new Postgres.Queue<T>(name, { connection: this.connection(2, timeoutMs), defaultJobOptions });
      queue.on('error', (error: Error) => this.link.lost(error.message));
      const current = { queue, failed: false };
      queue.waitUntilReady().catch(() => (current.failed = true));
      return current;
    };
    let current = open();
    const use = () => {
      if (current.failed) {
        void current.queue.close().catch(() => undefined);
        current = open();
      }
      return current.queue;
    };
    return {
      get queue() {
        return use() as unknown as JobQueue<T>;
      },
      // A read of the queue's own tables: the database answers, and the schema is there.
      ping: () => use().count(),
      // A pool has no standing connection to watch: every command tries, bounded by connectionTimeoutMillis.
      connected: () => true,
      close: () => current.queue.close(),
    };
  }

  consumer<T>(name: string, processor: Processor<T>, tuning: WorkerTuning): Consumer<T> {
    const worker = new Postgres.Worker<T>(name, processor, {
      connection: this.connection(4),
      autorun: true,
      ...tuning,
    });
    return {
      worker: worker as unknown as JobWorker<T>,
      started: () => worker.waitUntilReady(),
      // The worker's close() ends its pool and LISTEN connection.
      disconnect: () => undefined,
    };
  }
}

/** `host:port/database` of a PostgreSQL URL: what log lines name. Never the credentials the URL may carry. */
export function postgresAddress(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}:${port || '5432'}${pathname}`;
  } catch {
    return '(invalid DATABASE_URL)';
  }
}
