import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

const RECONNECT_FIRST_MS = 100;
export const RECONNECT_MAX_MS = 5000;

/**
 * ioredis `retryStrategy`: 100 ms, doubling up to 5 s. Quick after a blip; during an outage one
 * attempt per connection every 5 s instead of ioredis's 2 s (and BullMQ's 20 s, too slow to notice a return).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_FIRST_MS * 2 ** Math.max(attempt - 1, 0), RECONNECT_MAX_MS);
}

/** `host:port` of a Redis URL: what log lines name. Never the credentials the URL may carry. */
export function redisAddress(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || '6379'}`;
  } catch {
    return '(invalid REDIS_URL)';
  }
}

/**
 * A Redis connection with the back-off above. Its errors are not printed here: ioredis prints a stack
 * per failed reconnect when nothing listens, so this listens, and a RedisLink reports the state instead.
 */
export function redisConnection(url: string, options: RedisOptions = {}): Redis {
  const connection = new Redis(url, { retryStrategy: reconnectDelay, ...options });
  connection.on('error', () => undefined);
  return connection;
}

/**
 * Whether this process reaches Redis, logged once per change of state: one line when it is lost
 * (the address and why), one when it is back, nothing per retry or per failed command in between.
 */
export class RedisLink {
  private readonly logger = new Logger(RedisLink.name);
  private up = true;

  constructor(private readonly address: string) {}

  get reachable(): boolean {
    return this.up;
  }

  /** Follows a connection: any error means lost (a reconnect or a command failed), `ready` means back. */
  watch(connection: Redis): void {
    connection.on('error', (error: Error) => this.lost(error.message));
    connection.on('ready', () => this.back());
  }

  lost(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.logger.warn(
      `Redis at ${this.address} is unreachable (${reason.split('\n')[0]}); reconnecting with back-off up to ` +
        `${RECONNECT_MAX_MS / 1000} s. Deployment changes meanwhile are enqueued by the worker's resync.`,
    );
  }

  back(): void {
    if (this.up) return;
    this.up = true;
    this.logger.log(`Redis at ${this.address} is reachable again`);
  }
}
