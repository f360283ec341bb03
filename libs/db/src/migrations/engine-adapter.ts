/**
 * The driver adapter factory handed to Prisma's WASM schema engine: an
 * `@prisma/adapter-pg` adapter per connection, with work-arounds for
 * @prisma/adapter-pg 7.10.1 when it serves the engine:
 *  1. The engine's catalog queries return Postgres-internal types the adapter
 *     cannot map ("Column type 'char' could not be deserialized"): result
 *     fields with those OIDs are relabelled as text / text[] by a `pg.Client`
 *     subclass, before the adapter looks at them.
 *  2. `connectToShadowDb()` points the "shadow" at the main database and drops
 *     it with its pool still open. We create a uniquely named throw-away
 *     database instead and drop it `WITH (FORCE)` after its pool is closed,
 *     also when the engine fails or never disposes it.
 *  3. `executeScript()` splits scripts on every `;` (breaking `$$` bodies and
 *     string literals). We send the script whole over the simple-query
 *     protocol, as the native engine does; PostgreSQL then runs a script
 *     without its own BEGIN/COMMIT as one implicit transaction.
 */
import { randomUUID } from 'node:crypto';

import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

import { parsePgUrl, quoteIdent, redactMessage, withDatabase } from './pg-url.js';

export type Log = (message: string) => void;

// ---------------------------------------------------------------------------
// pg client that relabels catalog types the adapter cannot map

const RELABEL_AS_TEXT = new Set([
  18 /* char */, 19 /* name */, 22 /* int2vector */, 24 /* regproc */, 30 /* oidvector */, 194 /* pg_node_tree */,
  2205 /* regclass */,
]);
const RELABEL_AS_TEXT_ARRAY = new Set([1002 /* char[] */, 1003 /* name[] */]);
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;
const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY_OID as never, 'text') as (value: string) => string[];

function relabel(result: unknown): void {
  if (Array.isArray(result)) {
    result.forEach(relabel);
    return;
  }
  const res = result as Partial<pg.QueryResult<unknown[] | Record<string, unknown>>> | undefined;
  if (!res?.fields) return;
  res.fields.forEach((field, i) => {
    if (RELABEL_AS_TEXT.has(field.dataTypeID)) {
      field.dataTypeID = TEXT_OID;
    } else if (RELABEL_AS_TEXT_ARRAY.has(field.dataTypeID)) {
      field.dataTypeID = TEXT_ARRAY_OID;
      // pg has no parser for these OIDs and leaves the '{a,b}' literal as is.
      for (const row of res.rows ?? []) {
        const key: string | number = Array.isArray(row) ? i : field.name;
        const rec = row as Record<string | number, unknown>;
        if (typeof rec[key] === 'string') rec[key] = parseTextArray(rec[key] as string);
      }
    }
  });
}

class RelabellingClient extends pg.Client {
  // Covers pool.query() (callback form) and transaction clients (promise form).
  // `any`: the override must fit all of pg.Client#query's overloads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const cb = last as (err: Error | undefined, res: unknown) => void;
      return (super.query as (...a: unknown[]) => unknown)(
        ...args.slice(0, -1),
        (err: Error | undefined, res: unknown) => {
          if (!err) relabel(res);
          cb(err, res);
        },
      );
    }
    const ret = (super.query as (...a: unknown[]) => unknown)(...args);
    if (ret && typeof (ret as Promise<unknown>).then === 'function') {
      return (ret as Promise<unknown>).then((res) => {
        relabel(res);
        return res;
      });
    }
    return ret;
  }
}

function toAdapterError(err: unknown): unknown {
  const e = err as pg.DatabaseError;
  if (e && typeof e.code === 'string' && typeof e.severity === 'string') {
    return new DriverAdapterError({
      kind: 'postgres',
      code: e.code,
      severity: e.severity,
      message: e.message,
      detail: e.detail,
      column: e.column,
      hint: e.hint,
    });
  }
  return err;
}

// ---------------------------------------------------------------------------
// Driver adapter factory handed to the engine

export async function withPgClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `fn` on a connection to a database that exists: the URL's, else `postgres`. */
export async function withMaintenanceClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  try {
    return await withPgClient(parsePgUrl(databaseUrl).connectionString, fn);
  } catch (err) {
    if ((err as pg.DatabaseError).code !== '3D000') throw err; // invalid_catalog_name
    return withPgClient(withDatabase(databaseUrl, 'postgres'), fn);
  }
}

/**
 * With `?schema=`, the engine introspects that schema (via the adapter's
 * connection info) while its DDL is unqualified, so the connections' search
 * path must point there too, as Prisma's native engine arranges.
 */
export function searchPathOption(schema: string | undefined): string | undefined {
  if (!schema) return undefined;
  return `-c search_path=${quoteIdent(schema).replace(/[\\\s]/g, (c) => `\\${c}`)}`;
}

export class EngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';

  private readonly pools = new Set<pg.Pool>();
  private readonly shadows = new Map<string, pg.Pool>();

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Log,
  ) {}

  private async adapterFor(
    connectionString: string,
    schema: string | undefined,
  ): Promise<{ adapter: SqlDriverAdapter; pool: pg.Pool }> {
    const pool = new pg.Pool({
      connectionString,
      Client: RelabellingClient,
      max: 4,
      options: searchPathOption(schema),
    });
    pool.on('error', (err) => this.log(`idle connection error: ${redactMessage(err.message, this.databaseUrl)}`));
    this.pools.add(pool);
    const adapter = await new PrismaPg(pool, { schema }).connect();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (err) {
        throw toAdapterError(err);
      }
    };
    return { adapter, pool };
  }

  async connect(): Promise<SqlDriverAdapter> {
    const { connectionString, schema } = parsePgUrl(this.databaseUrl);
    return (await this.adapterFor(connectionString, schema)).adapter;
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
    await withMaintenanceClient(this.databaseUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    this.log(`created shadow database ${name}`);
    const { adapter, pool } = await this.adapterFor(withDatabase(this.databaseUrl, name), undefined);
    this.shadows.set(name, pool);
    adapter.dispose = () => this.dropShadow(name);
    return adapter;
  }

  private async endPool(pool: pg.Pool): Promise<void> {
    if (!this.pools.delete(pool)) return;
    await pool.end().catch(() => undefined);
  }

  private async dropShadow(name: string): Promise<void> {
    const pool = this.shadows.get(name);
    if (!pool) return;
    await this.endPool(pool);
    await withMaintenanceClient(this.databaseUrl, (c) =>
      c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
    );
    // Forgotten only once dropped, so close() retries a failed drop.
    this.shadows.delete(name);
    this.log(`dropped shadow database ${name}`);
  }

  /** Drops shadow databases the engine left behind and closes every pool. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const name of [...this.shadows.keys()]) {
      await this.dropShadow(name).catch((err: unknown) => errors.push(err));
    }
    for (const pool of [...this.pools]) await this.endPool(pool);
    if (errors.length > 0) throw errors[0];
  }
}
