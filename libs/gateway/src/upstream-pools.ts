import { Pool } from 'undici';

export interface UpstreamTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** From the request sent to the response's headers (a non-streamed completion arrives whole: keep it long). */
  firstByteMs: number;
  /** Between two pieces of the response body. */
  idleMs: number;
}

/**
 * One undici connection pool per upstream origin, kept alive between
 * requests. Pools of origins no provider uses any more are closed at the
 * next `retain` call that does not name them, once their requests are done.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly timeouts: UpstreamTimeouts,
    private readonly connections = 256,
  ) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: this.timeouts.connectMs },
        headersTimeout: this.timeouts.firstByteMs,
        bodyTimeout: this.timeouts.idleMs,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Keeps the pools of `origins`; the others close gracefully (requests under way finish). */
  retain(origins: Set<string>): void {
    for (const [origin, pool] of this.pools) {
      if (origins.has(origin)) continue;
      this.pools.delete(origin);
      void pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }
}
