/**
 * Prisma Migrate without the native engine binaries: `migrate deploy`,
 * `migrate status` and `migrate diff` over Prisma's schema engine compiled to
 * WebAssembly (see ./engine-runtime.ts for how it is driven).
 *
 * The `_prisma_migrations` rows written here are the ones the native engine
 * writes (checksum = sha256 of migration.sql), so `prisma migrate deploy` can
 * take over on a machine that has the binary.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import pg from 'pg';

import { type Log, SchemaEngineError, withEngine, withPgClient } from './engine-runtime.js';
import {
  LOCKFILE_CONTENT,
  listMigrationNames,
  loadMigrationsList,
  migrationChecksum,
  MIGRATION_FILE,
} from './migrations-dir.js';
import { redactUrl } from '#domain';
import { parsePgUrl, quoteIdent, redactMessage, withDatabase } from './pg-url.js';

export { SchemaEngineError } from './engine-runtime.js';
export type { Log } from './engine-runtime.js';

const NO_FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

export interface MigrationPaths {
  /** postgresql:// URL of the target database (an optional `?schema=` is honoured). */
  databaseUrl: string;
  /** Directory holding `<timestamp>_<name>/migration.sql` and `migration_lock.toml`. */
  migrationsDir: string;
  /** Path of `schema.prisma`. */
  schemaPath: string;
}

/**
 * Creates the database named in `databaseUrl` if it does not exist,
 * connecting to the server's `postgres` database to do it (the user needs
 * CREATEDB). Returns true when it created it. Safe against concurrent callers.
 */
export async function ensureDatabase(databaseUrl: string, opts: { log?: Log } = {}): Promise<boolean> {
  const { database } = parsePgUrl(databaseUrl);
  try {
    return await withPgClient(withDatabase(databaseUrl, 'postgres'), async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount) return false;
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
      } catch (err) {
        if ((err as pg.DatabaseError).code === '42P04') return false; // duplicate_database: created concurrently
        throw err;
      }
      opts.log?.(`created database ${database}`);
      return true;
    });
  } catch (err) {
    throw new SchemaEngineError(redactMessage((err as Error).message, databaseUrl), (err as pg.DatabaseError).code);
  }
}

/**
 * Connects once and runs `SELECT 1`: for a process that needs its database from the start. Throws the
 * driver's own error (its code and address name what failed; see describeStartupFailure).
 */
export async function probeDatabase(databaseUrl: string): Promise<void> {
  await withPgClient(databaseUrl, (client) => client.query('SELECT 1'));
}

export interface ApplyMigrationsOptions extends MigrationPaths {
  log?: Log;
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, in name
 * order, like `prisma migrate deploy`. Idempotent: a second call applies
 * nothing. When a migration fails it throws (the message names the migration
 * and carries PostgreSQL's error) and leaves a failed `_prisma_migrations` row,
 * as Prisma does; later calls then fail with code P3009 until that row is
 * resolved. A migration.sql without its own BEGIN/COMMIT runs as one implicit
 * transaction, so a failed one leaves no partial changes behind.
 */
export async function applyMigrations(opts: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => undefined);
  const migrationsDir = resolve(opts.migrationsDir);
  const schemaPath = resolve(opts.schemaPath);
  const [schemaText, migrationsList] = await Promise.all([
    readFile(schemaPath, 'utf8'),
    loadMigrationsList(migrationsDir),
  ]);
  log(`${migrationsList.migrationDirectories.length} migration(s) found in ${migrationsDir}`);
  log(`applying to ${redactUrl(opts.databaseUrl)}`);
  const { connectionString, schema } = parsePgUrl(opts.databaseUrl);
  if (schema) {
    // As the native engine does for `?schema=`: make sure it exists.
    await withPgClient(connectionString, (c) => c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)).catch(
      (err: Error) => {
        throw new SchemaEngineError(redactMessage(err.message, opts.databaseUrl));
      },
    );
  }
  const out = await withEngine({ databaseUrl: opts.databaseUrl, schemaPath, schemaText, log }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  for (const name of out.appliedMigrationNames) log(`applied ${name}`);
  return { applied: out.appliedMigrationNames };
}

export interface MigrationStatus {
  /** True when every migration on disk is applied and none is in a failed state. */
  upToDate: boolean;
  /** Migrations on disk that are not (successfully) applied, in order. */
  pending: string[];
  /** Applied migrations, in the order they are found on disk. */
  applied: string[];
  /** Migrations whose last attempt failed and was not rolled back (blocks deploys, P3009). */
  failed: string[];
  /** Applied migrations whose migration.sql changed since (reported, not counted against upToDate). */
  edited: string[];
  /** Applied in the database but absent from disk, e.g. a newer release already migrated (not counted against upToDate). */
  unknown: string[];
  /** Whether `_prisma_migrations` exists. */
  hasMigrationsTable: boolean;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Like `prisma migrate status`, cheaply: one query on `_prisma_migrations`
 * with plain `pg` compared with the migration directories (no WASM engine),
 * so it suits a readiness probe. Applied rows are those with `finished_at`
 * set and `rolled_back_at` null, which is the rule the engine itself uses.
 */
export async function migrationStatus(opts: MigrationPaths): Promise<MigrationStatus> {
  const migrationsDir = resolve(opts.migrationsDir);
  const names = await listMigrationNames(migrationsDir);
  const { connectionString, schema } = parsePgUrl(opts.databaseUrl);
  const table = `${schema ? `${quoteIdent(schema)}.` : ''}_prisma_migrations`;

  const client = new pg.Client({ connectionString });
  let rows: MigrationRow[] = [];
  let hasMigrationsTable = true;
  try {
    await client.connect();
    const res = await client.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${table} ORDER BY started_at`,
    );
    rows = res.rows;
  } catch (err) {
    const code = (err as pg.DatabaseError).code;
    if (code !== '42P01') {
      // Not chained as `cause`: that would carry the unredacted original along.
      throw Object.assign(new Error(redactMessage((err as Error).message, opts.databaseUrl)), { code });
    }
    hasMigrationsTable = false; // 42P01 undefined_table: nothing applied yet
  } finally {
    await client.end().catch(() => undefined);
  }

  const done = new Map<string, string>();
  const failedSet = new Set<string>();
  for (const r of rows) {
    if (r.rolled_back_at !== null) continue;
    if (r.finished_at !== null) done.set(r.migration_name, r.checksum);
    else failedSet.add(r.migration_name);
  }
  const onDisk = new Set(names);
  const applied = names.filter((n) => done.has(n));
  const pending = names.filter((n) => !done.has(n));
  const failed = [...failedSet].filter((n) => !done.has(n));
  const unknown = [...done.keys()].filter((n) => !onDisk.has(n));
  const edited: string[] = [];
  for (const name of applied) {
    const sql = await readFile(resolve(migrationsDir, name, MIGRATION_FILE)).catch(() => null);
    if (sql && migrationChecksum(sql) !== done.get(name)) edited.push(name);
  }
  return {
    upToDate: pending.length === 0 && failed.length === 0,
    pending,
    applied,
    failed,
    edited,
    unknown,
    hasMigrationsTable,
  };
}

/**
 * The SQL that takes a database built from the migrations to `schema.prisma`
 * (`prisma migrate diff --from-migrations … --to-schema … --script`). The
 * migrations are replayed into a throw-away, uniquely named database created
 * next to `databaseUrl` (which needs CREATEDB) and dropped afterwards, also on
 * failure. `databaseUrl`'s own database is not modified, and need not exist
 * (the engine then holds its idle main connection on `postgres`).
 */
export async function diffMigrationsToSchema(
  opts: MigrationPaths & { log?: Log },
): Promise<{ hasChanges: boolean; sql: string }> {
  const migrationsDir = resolve(opts.migrationsDir);
  const schemaPath = resolve(opts.schemaPath);
  const [schemaText, migrationsList] = await Promise.all([
    readFile(schemaPath, 'utf8'),
    loadMigrationsList(migrationsDir),
  ]);
  // The engine takes the connector from the lockfile; before the first
  // migration there is none yet, and this project is PostgreSQL only.
  migrationsList.lockfile.content ??= LOCKFILE_CONTENT;
  // The engine opens its main connection even for a diff that only uses the
  // shadow database; don't require the target database to exist for that.
  const databaseUrl = (await databaseExists(opts.databaseUrl))
    ? opts.databaseUrl
    : withDatabase(opts.databaseUrl, 'postgres');
  const result = await withEngine({ databaseUrl, schemaPath, schemaText, log: opts.log }, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  return { hasChanges: result.exitCode === 2, sql: result.stdout ?? '' };
}

async function databaseExists(databaseUrl: string): Promise<boolean> {
  try {
    await withPgClient(parsePgUrl(databaseUrl).connectionString, async () => undefined);
    return true;
  } catch (err) {
    if ((err as pg.DatabaseError).code === '3D000') return false; // invalid_catalog_name
    throw new SchemaEngineError(redactMessage((err as Error).message, databaseUrl), (err as pg.DatabaseError).code);
  }
}
