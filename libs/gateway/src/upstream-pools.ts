import { Pool } from 'undici';
import { egressConnector, type EgressPolicy, type Resolver } from '#egress';

export interface UpstreamTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** From the request sent to the response's headers (a non-streamed completion arrives whole: keep it long). */
  firstByteMs: number;
  /** Between two pieces of the response body. */
  idleMs: number;
}

export interface UpstreamOptions extends UpstreamTimeouts {
  /** What providers registered by hand may connect to, checked on the address each connection resolves to. */
  egress: EgressPolicy;
  /** How host names resolve (the system's resolver unless a test injects one). */
  resolve?: Resolver;
}

/**
 * One undici connection pool per upstream origin, kept alive between
 * requests; providers registered by hand get pools of their own whose
 * connections go through the egress policy. Pools of origins no provider
 * uses any more are closed at the next `retain` call that does not name
 * them, once their requests are done. undici follows no redirect: a 3xx
 * goes back to the caller, so a provider's key never travels to another host.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, { origin: string; pool: Pool }>();

  constructor(
    private readonly options: UpstreamOptions,
    private readonly connections = 256,
  ) {}

  /** The pool for `origin`; `egressChecked` for a provider registered by hand. */
  get(origin: string, egressChecked: boolean): Pool {
    const key = egressChecked ? `checked ${origin}` : origin;
    let entry = this.pools.get(key);
    if (entry === undefined) {
      const { connectMs, firstByteMs, idleMs, egress, resolve } = this.options;
      const pool = new Pool(origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: egressChecked ? egressConnector(egress, { timeoutMs: connectMs, resolve }) : { timeout: connectMs },
        headersTimeout: firstByteMs,
        bodyTimeout: idleMs,
      });
      entry = { origin, pool };
      this.pools.set(key, entry);
    }
    return entry.pool;
  }

  /** Keeps the pools of `origins`; the others close gracefully (requests under way finish). */
  retain(origins: Set<string>): void {
    for (const [key, { origin, pool }] of this.pools) {
      if (origins.has(origin)) continue;
      this.pools.delete(key);
      void pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(({ pool }) => pool.destroy().catch(() => undefined)));
  }
}
