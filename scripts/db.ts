/**
 * Database migrations without Prisma's native engines.
 *
 *   node dist/scripts/db.js migrate          create the database if missing, apply pending migrations
 *   node dist/scripts/db.js status           list pending migrations; exit 1 if any
 *   node dist/scripts/db.js create <name>    write prisma/migrations/<ts>_<name>/migration.sql from schema changes
 *   node dist/scripts/db.js drift            exit 2 (printing the SQL) if schema.prisma and the migrations disagree
 *
 * DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/modelplane.
 * Paths are relative to the working directory: prisma/schema.prisma and
 * prisma/migrations (override with PRISMA_SCHEMA / PRISMA_MIGRATIONS_DIR).
 * Set DB_SCRIPT_VERBOSE=1 to see the engine's log.
 */
import { resolve } from 'node:path';

import {
  ensureLockfile,
  migrationTimestamp,
  sanitizeMigrationName,
  writeMigration,
} from '../libs/db/src/migrations/migrations-dir.js';
import { redactUrl } from '#domain';
import { parsePgUrl, redactMessage } from '../libs/db/src/migrations/pg-url.js';
import {
  applyMigrations,
  diffMigrationsToSchema,
  ensureDatabase,
  migrationStatus,
} from '../libs/db/src/migrations/schema-engine.js';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/modelplane';

const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const schemaPath = resolve(process.env.PRISMA_SCHEMA || 'prisma/schema.prisma');
const migrationsDir = resolve(process.env.PRISMA_MIGRATIONS_DIR || 'prisma/migrations');
const verbose = process.env.DB_SCRIPT_VERBOSE === '1';
const log = (message: string): void => {
  if (verbose) console.error(`[db] ${message}`);
};

const USAGE = `Usage: node dist/scripts/db.js <command>

Commands:
  migrate          create the database if it does not exist, then apply pending migrations
  status           print pending migrations; exit 1 if there are any
  create <name>    write a new migration for the changes in schema.prisma (none: exit 0)
  drift            exit 2 and print the SQL if schema.prisma and the migrations disagree

Environment: DATABASE_URL (default ${DEFAULT_DATABASE_URL}),
             PRISMA_SCHEMA, PRISMA_MIGRATIONS_DIR, DB_SCRIPT_VERBOSE=1`;

async function migrate(): Promise<number> {
  const target = redactUrl(databaseUrl);
  if (await ensureDatabase(databaseUrl)) console.log(`Created database "${parsePgUrl(databaseUrl).database}".`);
  const { applied } = await applyMigrations({ databaseUrl, migrationsDir, schemaPath, log });
  if (applied.length === 0) {
    console.log(`No pending migrations to apply (${target}).`);
  } else {
    console.log(`Applied ${applied.length} migration(s) to ${target}:`);
    for (const name of applied) console.log(`  ${name}`);
  }
  return 0;
}

async function status(): Promise<number> {
  const s = await migrationStatus({ databaseUrl, migrationsDir, schemaPath });
  const target = redactUrl(databaseUrl);
  if (!s.hasMigrationsTable) console.log(`No _prisma_migrations table in ${target}.`);
  for (const name of s.failed) console.log(`Failed: ${name} (resolve it before deploying)`);
  for (const name of s.edited) console.log(`Warning: ${name} was modified after it was applied`);
  for (const name of s.unknown) console.log(`Note: ${name} is applied in the database but not in ${migrationsDir}`);
  if (s.pending.length > 0) {
    console.log(`${s.pending.length} pending migration(s) on ${target}:`);
    for (const name of s.pending) console.log(`  ${name}`);
  } else if (s.upToDate) {
    console.log(`Database schema is up to date (${s.applied.length} migration(s) applied, ${target}).`);
  }
  return s.upToDate ? 0 : 1;
}

async function create(rawName: string | undefined): Promise<number> {
  if (!rawName) {
    console.error('Usage: node dist/scripts/db.js create <name>');
    return 64;
  }
  const name = sanitizeMigrationName(rawName);
  if (await ensureLockfile(migrationsDir)) console.log(`Wrote ${resolve(migrationsDir, 'migration_lock.toml')}`);
  const diff = await diffMigrationsToSchema({ databaseUrl, migrationsDir, schemaPath, log });
  if (!diff.hasChanges) {
    console.log('No schema changes: schema.prisma matches the migrations; no migration created.');
    return 0;
  }
  const file = await writeMigration(migrationsDir, `${migrationTimestamp()}_${name}`, diff.sql);
  console.log(file);
  return 0;
}

async function drift(): Promise<number> {
  const diff = await diffMigrationsToSchema({ databaseUrl, migrationsDir, schemaPath, log });
  if (!diff.hasChanges) {
    console.log('No drift: schema.prisma and the migrations agree.');
    return 0;
  }
  console.log('Drift: schema.prisma and the migrations disagree. Missing migration SQL:\n');
  console.log(diff.sql.trimEnd());
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'migrate':
      return migrate();
    case 'status':
      return status();
    case 'create':
      return create(args[0]);
    case 'drift':
      return drift();
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 64 : 0;
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`Error: ${redactMessage(message, databaseUrl)}`);
    process.exitCode = 1;
  },
);
