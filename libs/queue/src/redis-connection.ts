import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

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
 * A Redis connection that reconnects with ioredis's own back-off (50 ms doubling up to 5 s, with
 * jitter; BullMQ copies it into the connections it duplicates from this one). Its errors are not
 * printed: with no listener ioredis prints a stack per failed reconnect, so this listens, and a
 * RedisLink reports the state instead.
 */
export function redisConnection(url: string, options: RedisOptions = {}): Redis {
  const connection = new Redis(url, options);
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
      `Redis at ${this.address} is unreachable (${reason.split('\n')[0]}); reconnecting with back-off. ` +
        `Deployment changes meanwhile are enqueued by the worker's resync.`,
    );
  }

  back(): void {
    if (this.up) return;
    this.up = true;
    this.logger.log(`Redis at ${this.address} is reachable again`);
  }
}
