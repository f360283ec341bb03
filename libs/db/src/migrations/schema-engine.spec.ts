/**
 * Runs the WASM schema engine against a real PostgreSQL: a fresh, uniquely
 * named database per run (dropped afterwards), the project's real migrations
 * and schema, and a modified copy of the schema in a temp directory.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { createTestDatabase, dropTestDatabase, withDatabaseName } from '../../../testing/src/test-database.js';
import { migrationPaths } from '../project-paths.js';
import { listMigrationNames, migrationChecksum } from './migrations-dir.js';
import { applyMigrations, diffMigrationsToSchema, migrationStatus } from './schema-engine.js';

/** The engine loads a 5 MB WASM module and replays migrations into shadow databases. */
const TIMEOUT = 60_000;

const { migrationsDir, schemaPath } = migrationPaths();

/** Records the shadow databases the engine creates, to check they are dropped. */
function shadowLog(): { log: (m: string) => void; created: string[] } {
  const created: string[] = [];
  return {
    created,
    log: (m: string) => {
      const match = /^created shadow database (\S+)$/.exec(m);
      if (match) created.push(match[1]);
    },
  };
}

async function existingDatabases(url: string, names: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: withDatabaseName(url, 'postgres') });
  await client.connect();
  try {
    const res = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
      names,
    ]);
    return res.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describe('schema engine (WASM) migrations', () => {
  let databaseUrl: string;
  let tmp: string;
  let onDisk: string[];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('modelplane_migtest');
    tmp = await mkdtemp(join(tmpdir(), 'modelplane-migrations-'));
    onDisk = await listMigrationNames(migrationsDir);
    expect(onDisk.length).toBeGreaterThan(0);
  }, TIMEOUT);

  afterAll(async () => {
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    'reports every migration as pending on an empty database',
    async () => {
      const status = await migrationStatus({ databaseUrl, migrationsDir, schemaPath });
      expect(status).toMatchObject({ upToDate: false, pending: onDisk, applied: [], hasMigrationsTable: false });
    },
    TIMEOUT,
  );

  it(
    'applies all migrations to an empty database, with Prisma-compatible rows',
    async () => {
      const logs: string[] = [];
      const { applied } = await applyMigrations({ databaseUrl, migrationsDir, schemaPath, log: (m) => logs.push(m) });
      expect(applied).toEqual(onDisk);
      expect(logs.some((l) => l.includes('applied'))).toBe(true);

      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const rows = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
          `SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
        );
        expect(rows.rows.map((r) => r.migration_name)).toEqual(onDisk);
        for (const row of rows.rows) {
          const sql = await readFile(join(migrationsDir, row.migration_name, 'migration.sql'));
          expect(row.checksum).toBe(migrationChecksum(sql));
          expect(row.applied_steps_count).toBe(1);
        }
        const tables = await client.query(`SELECT to_regclass('public.workspaces') AS t`);
        expect(tables.rows[0].t).toBe('workspaces');
      } finally {
        await client.end();
      }
    },
    TIMEOUT,
  );

  it(
    'is idempotent: a second apply applies nothing',
    async () => {
      await expect(applyMigrations({ databaseUrl, migrationsDir, schemaPath })).resolves.toEqual({ applied: [] });
    },
    TIMEOUT,
  );

  it(
    'reports up to date once applied',
    async () => {
      const status = await migrationStatus({ databaseUrl, migrationsDir, schemaPath });
      expect(status).toEqual({
        upToDate: true,
        pending: [],
        applied: onDisk,
        failed: [],
        edited: [],
        unknown: [],
        hasMigrationsTable: true,
      });
    },
    TIMEOUT,
  );

  it(
    'reports a migration added on disk as pending',
    async () => {
      const dir = join(tmp, 'pending-migrations');
      await cp(migrationsDir, dir, { recursive: true });
      await cp(join(migrationsDir, onDisk[0]), join(dir, '29991231235959_later'), { recursive: true });
      await writeFile(join(dir, '29991231235959_later', 'migration.sql'), 'SELECT 1;\n');
      const status = await migrationStatus({ databaseUrl, migrationsDir: dir, schemaPath });
      expect(status).toMatchObject({ upToDate: false, pending: ['29991231235959_later'], applied: onDisk });
    },
    TIMEOUT,
  );

  it(
    'finds no drift between the real schema and the migrations',
    async () => {
      const shadows = shadowLog();
      const diff = await diffMigrationsToSchema({ databaseUrl, migrationsDir, schemaPath, log: shadows.log });
      expect(diff.hasChanges).toBe(false);
      expect(shadows.created).toHaveLength(1);
      expect(await existingDatabases(databaseUrl, shadows.created)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'detects drift when a copy of the schema gains a field',
    async () => {
      const original = await readFile(schemaPath, 'utf8');
      const modified = original.replace(
        /(model Workspace \{\n)/,
        '$1  dummyDriftField String? @map("dummy_drift_field")\n',
      );
      expect(modified).not.toBe(original);
      const modifiedPath = join(tmp, 'schema.prisma');
      await writeFile(modifiedPath, modified);

      const shadows = shadowLog();
      const diff = await diffMigrationsToSchema({
        databaseUrl,
        migrationsDir,
        schemaPath: modifiedPath,
        log: shadows.log,
      });
      expect(diff.hasChanges).toBe(true);
      expect(diff.sql).toMatch(/ALTER TABLE "workspaces" ADD COLUMN\s+"dummy_drift_field" TEXT;/);
      expect(await existingDatabases(databaseUrl, shadows.created)).toEqual([]);
      // The real schema is untouched.
      expect(await readFile(schemaPath, 'utf8')).toBe(original);
    },
    TIMEOUT,
  );

  it(
    'drops the shadow database when the migrations fail to replay',
    async () => {
      const dir = join(tmp, 'broken-migrations');
      await cp(migrationsDir, dir, { recursive: true });
      await cp(join(migrationsDir, onDisk[0]), join(dir, '29991231235959_broken'), { recursive: true });
      await writeFile(
        join(dir, '29991231235959_broken', 'migration.sql'),
        'ALTER TABLE "no_such_table" ADD COLUMN x int;\n',
      );

      const shadows = shadowLog();
      await expect(
        diffMigrationsToSchema({ databaseUrl, migrationsDir: dir, schemaPath, log: shadows.log }),
      ).rejects.toThrow(/no_such_table/);
      expect(shadows.created).toHaveLength(1);
      expect(await existingDatabases(databaseUrl, shadows.created)).toEqual([]);
    },
    TIMEOUT,
  );
});
