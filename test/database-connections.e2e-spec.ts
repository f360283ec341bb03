import pg from 'pg';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { newWorkspace, startApi, type Api } from './api-harness.js';

/**
 * The server ends every connection of the API's database (a restart, a failover, `pg_terminate_backend`):
 * the idle ones in the API's pools (Prisma's and the gateway's routing table) end with an 'error' event that
 * must not take the process down, and the next requests are answered on new connections.
 */
describe('database connections ended by the server', () => {
  let databaseUrl: string;
  let api: Api;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('modelplane_conn');
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    api = await startApi({ DATABASE_URL: databaseUrl }, { gateway: true });
  });
  afterAll(async () => {
    await api.close();
    await dropTestDatabase(databaseUrl);
  });

  it('keeps serving after its idle connections are terminated', async () => {
    const ws = await newWorkspace(api, 'conn');
    expect((await api.request('GET', `/v2/workspaces/${ws}/models`)).status).toBe(200);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await api.request('GET', `/v2/workspaces/${ws}/models`)).status).toBe(200);
    expect((await api.request('POST', `/v2/workspaces/${ws}/models`, { name: 'after' })).status).toBe(201);
    expect(api.logs.some((line) => line.includes('An idle database connection ended'))).toBe(true);
  });
});
