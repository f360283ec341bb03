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
 * QueueLink reports the state instead.
 */
export function redisConnection(url: string, options: RedisOptions = {}): Redis {
  const connection = new Redis(url, options);
  connection.on('error', () => undefined);
  return connection;
}
