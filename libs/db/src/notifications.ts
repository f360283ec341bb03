import { type DynamicModule, Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';

/** What a subscriber to a channel is told. */
export interface NotificationHandlers {
  /** A NOTIFY on the channel, with its payload ('' when it had none). */
  notify(payload: string): void;
  /**
   * The connection came back after a loss (or after the first attempts failed):
   * notifications may have been missed, so re-read whatever they would have told.
   * Called once every channel is LISTENed again.
   */
  reconnected?(): void;
}

export interface NotificationsLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface PgNotificationsOptions {
  databaseUrl: string;
  logger?: NotificationsLogger;
  /** Shown in pg_stat_activity, so an operator (or a test) can find the listener's backend. */
  applicationName?: string;
  /** The first retry's delay; it doubles per failed attempt up to `maxRetryMs`, each with jitter. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

/** Channel names are interpolated into LISTEN (which takes no parameters): identifiers only. */
const CHANNEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Failed retries in a row between two warnings, so an outage does not flood the log. */
const WARN_EVERY = 10;

interface Session {
  client: pg.Client;
  /** The server process behind the connection (pg_stat_activity.pid). */
  pid: number;
  /** The channels LISTENed on this connection. */
  listened: Set<string>;
}

/** Each subscription is an object of its own, so the same handlers subscribed twice count twice. */
interface Subscription {
  handlers: NotificationHandlers;
}

/**
 * The process's one PostgreSQL connection for LISTEN/NOTIFY, shared by every
 * part that waits on the database (the routing table, deployment status
 * streams, access control). It LISTENs on the channels that have subscribers
 * and UNLISTENs when the last one leaves. A lost connection is opened again
 * with exponential back-off; once every channel is LISTENed again, each
 * subscriber's `reconnected()` runs, since NOTIFYs sent meanwhile are gone.
 */
export class PgNotifications implements OnApplicationShutdown {
  private readonly subscribers = new Map<string, Set<Subscription>>();
  private readonly logger: NotificationsLogger;
  private session: Session | null = null;
  private opening: Promise<Session> | null = null;
  /** LISTEN/UNLISTEN run one after another, so the set of channels never races with itself. */
  private syncing: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Set when a connection was lost or could not be made: the next one that listens reports `reconnected`. */
  private lost = false;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: PgNotificationsOptions) {
    this.logger = options.logger ?? new Logger(PgNotifications.name);
  }

  /** Calls `handlers.notify` for each NOTIFY on `channel`; returns the function that unsubscribes. */
  subscribe(channel: string, handlers: NotificationHandlers): () => void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`Invalid notification channel name '${channel}'`);
    if (this.closing) throw new Error('PgNotifications is closed');
    let subscriptions = this.subscribers.get(channel);
    if (!subscriptions) this.subscribers.set(channel, (subscriptions = new Set()));
    const subscription: Subscription = { handlers };
    subscriptions.add(subscription);
    // While a retry is pending, it will LISTEN on this channel too.
    if (this.retry === null) void this.establish().catch((error: Error) => this.failed(error));
    return () => {
      if (!subscriptions.delete(subscription) || subscriptions.size > 0) return;
      this.subscribers.delete(channel);
      if (this.session) void this.sync().catch(() => undefined); // a failure is a lost connection, handled there
    };
  }

  /**
   * Connects if need be and resolves once every channel subscribed so far is
   * LISTENed: a caller that subscribes, awaits this and then reads its state
   * misses no change. Rejects when the connection cannot be made now (retries
   * go on in the background, ending in `reconnected`).
   */
  async start(): Promise<void> {
    if (this.closing) throw new Error('PgNotifications is closed');
    if (this.session && this.retry === null && this.inSync(this.session)) return;
    await this.establish().catch((error: Error) => {
      this.failed(error);
      throw error;
    });
  }

  /** Whether a connection is up (for health reports). */
  get connected(): boolean {
    return this.session !== null;
  }

  /** The server process of the connection, null while there is none (for operators and tests). */
  get backendPid(): number | null {
    return this.session?.pid ?? null;
  }

  /** The channels the server says this connection LISTENs on, once pending (UN)LISTENs ran ([] when disconnected). */
  async listeningChannels(): Promise<string[]> {
    await this.syncing;
    const result = await this.session?.client.query<{ channel: string }>(
      'SELECT pg_listening_channels() AS channel ORDER BY 1',
    );
    return result?.rows.map((row) => row.channel) ?? [];
  }

  /** Ends the connection and any pending retry; subscribers hear nothing more. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.retry) clearTimeout(this.retry);
      this.retry = null;
      this.subscribers.clear();
      const session = this.session;
      this.session = null;
      await session?.client.end().catch(() => undefined);
      await this.opening?.catch(() => undefined); // open() ends a client that connects after close
    })();
    return this.closing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Opens the connection if need be, LISTENs on every channel, and tells subscribers if this ends an outage. */
  private async establish(): Promise<void> {
    const session = this.session ?? (await (this.opening ??= this.open().finally(() => (this.opening = null))));
    await this.sync();
    if (this.session !== session) throw new Error('the notification connection was lost while subscribing');
    if (!this.lost) return;
    this.lost = false;
    const after = this.failures > 0 ? ` after ${this.failures} failed attempt(s)` : '';
    this.logger.log(`Notification connection restored${after}`);
    this.failures = 0;
    for (const subscription of this.all()) this.call(() => subscription.handlers.reconnected?.());
  }

  private async open(): Promise<Session> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName ?? 'modelplane-notifications',
      keepAlive: true,
    });
    const session: Session = { client, pid: 0, listened: new Set() };
    client.on('notification', (message) => {
      if (this.session === session) this.deliver(message.channel, message.payload ?? '');
    });
    // Also the guard against an unhandled 'error' event, which would end the process.
    client.on('error', (error) => this.lose(session, error));
    client.on('end', () => this.lose(session, null));
    try {
      await client.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      session.pid = rows[0].pid;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closing) {
      await client.end().catch(() => undefined);
      throw new Error('PgNotifications is closed');
    }
    this.session = session;
    return session;
  }

  private sync(): Promise<void> {
    const run = this.syncing.then(async () => {
      const session = this.session;
      if (!session) return;
      for (const channel of this.subscribers.keys()) {
        if (session.listened.has(channel)) continue;
        await session.client.query(`LISTEN "${channel}"`);
        session.listened.add(channel);
      }
      for (const channel of [...session.listened]) {
        if (this.subscribers.has(channel)) continue;
        await session.client.query(`UNLISTEN "${channel}"`);
        session.listened.delete(channel);
      }
    });
    this.syncing = run.catch(() => undefined);
    return run;
  }

  private inSync(session: Session): boolean {
    for (const channel of this.subscribers.keys()) if (!session.listened.has(channel)) return false;
    return true;
  }

  /** The connection broke (error or end): drop it and retry, once per connection. */
  private lose(session: Session, error: Error | null): void {
    if (this.session !== session || this.closing) return;
    this.session = null;
    this.lost = true;
    this.logger.warn(`Lost the notification connection (${error?.message ?? 'closed by the server'}); reconnecting`);
    void session.client.end().catch(() => undefined);
    this.schedule();
  }

  /** An attempt to connect or LISTEN failed: try again later, and remember to report `reconnected`. */
  private failed(error: Error): void {
    // A retry already pending means lose() saw this first and said so.
    if (this.closing || this.retry !== null) return;
    this.lost = true;
    if (this.failures % WARN_EVERY === 0) {
      this.logger.warn(`Cannot listen for notifications (${error.message}); retrying with back-off`);
    }
    this.failures++;
    this.schedule();
  }

  private schedule(): void {
    if (this.closing || this.retry !== null) return;
    const initial = this.options.initialRetryMs ?? 250;
    const ceiling = Math.min(this.options.maxRetryMs ?? 10_000, initial * 2 ** Math.min(this.failures, 20));
    // Half fixed, half random: processes that lost the same server do not all come back at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.establish().catch((error: Error) => this.failed(error));
    }, delay);
    this.retry.unref();
  }

  private deliver(channel: string, payload: string): void {
    for (const subscription of [...(this.subscribers.get(channel) ?? [])]) {
      this.call(() => subscription.handlers.notify(payload));
    }
  }

  private all(): Subscription[] {
    return [...this.subscribers.values()].flatMap((subscriptions) => [...subscriptions]);
  }

  /** One subscriber that throws must not keep the others from hearing. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.warn(`A notification handler failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Provides the one PgNotifications of an application, closed at shutdown.
 * Imported once, by each app's root module (global, so the gateway's module
 * and the API's feature modules share it).
 */
@Global()
@Module({})
export class NotificationsModule {
  static forRoot(options: { databaseUrl: string }): DynamicModule {
    return {
      module: NotificationsModule,
      providers: [
        {
          provide: PgNotifications,
          useFactory: () =>
            new PgNotifications({ databaseUrl: options.databaseUrl, logger: new Logger('Notifications') }),
        },
      ],
      exports: [PgNotifications],
    };
  }
}
