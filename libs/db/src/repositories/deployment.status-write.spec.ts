/**
 * The workers' status write (setStatusFrom) against a real PostgreSQL: one
 * statement that compare-and-sets the revision, appends the history entry
 * (and with it the `deployment_status` notification) and trims the history.
 */
import pg from 'pg';
import { ConcurrentModificationError, IllegalTransitionError, MAX_STATUS_HISTORY } from '#domain';
import { createTestDatabase, dropTestDatabase } from '../../../testing/src/test-database.js';
import { applyMigrations } from '../migrations/schema-engine.js';
import { PrismaService } from '../prisma.service.js';
import { migrationPaths } from '../project-paths.js';
import { DeploymentRepository, type StatusRow } from './deployment.repository.js';

const SLOW = 60_000;

describe('DeploymentRepository.setStatusFrom', () => {
  let databaseUrl: string;
  let prisma: PrismaService;
  let repo: DeploymentRepository;
  let listener: pg.Client;
  const notified: string[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    prisma = new PrismaService({ databaseUrl, poolSize: 4 });
    repo = new DeploymentRepository(prisma);
    await prisma.pool.query(`INSERT INTO workspaces (id, name, updated_at) VALUES ('w1', 'ws', now())`);
    listener = new pg.Client({ connectionString: databaseUrl });
    await listener.connect();
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query('LISTEN deployment_status');
  }, SLOW);

  afterAll(async () => {
    await listener?.end();
    await prisma?.onApplicationShutdown();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }, SLOW);

  let seq = 0;
  /** A deployment with one CREATED version and its first history entry, read back as the worker reads it. */
  async function createVersion(): Promise<StatusRow> {
    const id = `v${++seq}`;
    await prisma.pool.query(
      `INSERT INTO deployments (id, workspace, name, latest_version, updated_at) VALUES ($1, 'ws', $1, 1, now())`,
      [id],
    );
    await prisma.pool.query(
      `INSERT INTO deployment_versions (id, deployment_id, workspace, name, version, is_latest, config_name, config_version,
         status, status_message, updated_at)
       VALUES ($1, $1, 'ws', $1, 1, true, 'cfg', 1, 'CREATED', 'Created', now())`,
      [id],
    );
    await prisma.pool.query(
      `INSERT INTO deployment_status_events (deployment_version_id, status, status_message) VALUES ($1, 'CREATED', 'Created')`,
      [id],
    );
    return read(id);
  }

  async function read(id: string): Promise<StatusRow> {
    const { rows } = await prisma.pool.query<StatusRow>(
      `SELECT id, status::text AS status, status_message AS "statusMessage", status_reason AS "statusReason",
         model_provider_id AS "modelProviderId", endpoint, recovery_attempts AS "recoveryAttempts", revision
       FROM deployment_versions WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function history(id: string): Promise<string[]> {
    const { rows } = await prisma.pool.query<{ entry: string }>(
      `SELECT status || ': ' || status_message AS entry FROM deployment_status_events
       WHERE deployment_version_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => r.entry);
  }

  it(
    'moves the status, bumps the revision, stores the extra fields and appends a history entry',
    async () => {
      const row = await createVersion();
      const revision = await repo.setStatusFrom(row, {
        status: 'PENDING',
        statusMessage: 'Starting',
        reason: 'starting',
        endpoint: 'http://127.0.0.1:9',
        expectedRevision: row.revision,
      });
      expect(revision).toBe(row.revision + 1);
      const after = await read(row.id);
      expect(after).toMatchObject({
        status: 'PENDING',
        statusMessage: 'Starting',
        statusReason: 'starting',
        endpoint: 'http://127.0.0.1:9',
        revision: row.revision + 1,
      });
      expect(await history(row.id)).toEqual(['CREATED: Created', 'PENDING: Starting']);
      const { rows } = await prisma.pool.query<{ changed: boolean }>(
        `SELECT status_changed_at > now() - interval '1 minute' AS changed FROM deployment_versions WHERE id = $1`,
        [row.id],
      );
      expect(rows[0].changed).toBe(true);
    },
    SLOW,
  );

  it(
    'writes nothing when the status and fields are already stored, and no history entry for a field alone',
    async () => {
      const row = await createVersion();
      expect(await repo.setStatusFrom(row, { status: 'CREATED', statusMessage: 'Created', expectedRevision: 0 })).toBe(
        0,
      );
      expect((await read(row.id)).revision).toBe(0);
      // Only the recovery count changes: a new revision, the same history.
      expect(
        await repo.setStatusFrom(row, {
          status: 'CREATED',
          statusMessage: 'Created',
          recoveryAttempts: 2,
          expectedRevision: 0,
        }),
      ).toBe(1);
      expect(await read(row.id)).toMatchObject({ recoveryAttempts: 2, revision: 1 });
      expect(await history(row.id)).toEqual(['CREATED: Created']);
    },
    SLOW,
  );

  it(
    'refuses a row that moved on since it was read, and leaves it as the other writer left it',
    async () => {
      const row = await createVersion();
      await repo.setStatusFrom(row, { status: 'PENDING', statusMessage: 'By the API', expectedRevision: 0 });
      // `row` is the stale read: revision 0, while the row is at 1.
      await expect(
        repo.setStatusFrom(row, { status: 'FAILED', statusMessage: 'Stale', expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await read(row.id)).toMatchObject({ status: 'PENDING', statusMessage: 'By the API', revision: 1 });
      expect(await history(row.id)).toEqual(['CREATED: Created', 'PENDING: By the API']);
      // A plan made from another revision than the row it carries is refused before any query.
      await expect(
        repo.setStatusFrom(row, { status: 'FAILED', statusMessage: 'x', expectedRevision: 5 }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
    },
    SLOW,
  );

  it(
    'checks the transition table',
    async () => {
      const row = await createVersion();
      await expect(
        repo.setStatusFrom(row, { status: 'DELETED', statusMessage: 'Skipping ahead', expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(IllegalTransitionError);
      expect((await read(row.id)).status).toBe('CREATED');
    },
    SLOW,
  );

  it(
    `keeps the newest ${MAX_STATUS_HISTORY} history entries, and announces each one`,
    async () => {
      let row = await createVersion();
      const writes = MAX_STATUS_HISTORY + 3;
      for (let i = 0; i < writes; i++) {
        await repo.setStatusFrom(row, {
          status: 'PENDING',
          statusMessage: `step ${i}`,
          expectedRevision: row.revision,
        });
        row = await read(row.id);
      }
      const entries = await history(row.id);
      expect(entries).toHaveLength(MAX_STATUS_HISTORY);
      expect(entries.at(-1)).toBe(`PENDING: step ${writes - 1}`);
      expect(entries[0]).toBe(`PENDING: step ${writes - MAX_STATUS_HISTORY}`);
      // One notification per entry written here (the CREATED one of createVersion is not counted).
      const mine = () =>
        notified
          .map((payload) => JSON.parse(payload) as { name: string; status_message: string })
          .filter((n) => n.name === row.id && n.status_message.startsWith('step ')).length;
      for (let waited = 0; mine() < writes && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await new Promise((resolve) => setTimeout(resolve, 100)); // and none more than that
      expect(mine()).toBe(writes);
    },
    SLOW,
  );

  it(
    'history: false rewrites the current message and the newest entry instead of adding one, announcing nothing; a status change still gets one',
    async () => {
      let row = await createVersion();
      await repo.setStatusFrom(row, { status: 'PENDING', statusMessage: 'Pulling image x, 0s', expectedRevision: 0 });
      for (const seconds of [5, 10, 15]) {
        row = await read(row.id);
        await repo.setStatusFrom(row, {
          status: 'PENDING',
          statusMessage: `Pulling image x, ${seconds}s`,
          history: false,
          expectedRevision: row.revision,
        });
      }
      row = await read(row.id);
      expect(row).toMatchObject({ statusMessage: 'Pulling image x, 15s', revision: 4 });
      expect(await history(row.id)).toEqual(['CREATED: Created', 'PENDING: Pulling image x, 15s']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const announced = notified.filter((payload) => (JSON.parse(payload) as { name: string }).name === row.id);
      expect(announced.map((payload) => (JSON.parse(payload) as { status_message: string }).status_message)).toEqual([
        'Created',
        'Pulling image x, 0s',
      ]);
      await repo.setStatusFrom(row, {
        status: 'READY',
        statusMessage: 'Ready',
        history: false,
        expectedRevision: row.revision,
      });
      expect(await history(row.id)).toEqual(['CREATED: Created', 'PENDING: Pulling image x, 15s', 'READY: Ready']);
    },
    SLOW,
  );

  it(
    "the API's write (setStatus) sees the stored reason, endpoint and recovery count: repeating them is no change",
    async () => {
      const row = await createVersion();
      await repo.setStatusFrom(row, {
        status: 'PENDING',
        statusMessage: 'Starting',
        reason: 'start_failed',
        endpoint: 'http://10.0.0.1:8000',
        recoveryAttempts: 2,
        expectedRevision: row.revision,
      });
      const before = await read(row.id);
      await repo.setStatus('ws', row.id, 1, {
        status: 'PENDING',
        statusMessage: 'Starting',
        reason: 'start_failed',
        endpoint: 'http://10.0.0.1:8000',
        recoveryAttempts: 2,
      });
      const after = await read(row.id);
      expect(after.revision).toBe(before.revision);
      expect(after).toEqual(before);
      expect(await history(row.id)).toEqual(['CREATED: Created', 'PENDING: Starting']);
    },
    SLOW,
  );
});
