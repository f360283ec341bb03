import { jest } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '#db/migrations';
import { migrationPaths } from '#db';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { startApi } from './api-harness.js';

jest.setTimeout(90_000);

/**
 * Secure by default, easy to start: the first start of an empty installation creates the PlatformAdmin's
 * key in a file only its user can read; a key given by MODELPLANE_BOOTSTRAP_ADMIN_KEY replaces the previous
 * one; AUTH_ENABLED=false serves everyone and says so. Each on a database of its own (the run's shared one
 * already has principals).
 */
describe('bootstrap of the first PlatformAdmin', () => {
  let databaseUrl: string;
  let dir: string;

  beforeEach(async () => {
    databaseUrl = await createTestDatabase('modelplane_boot');
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    dir = await mkdtemp(join(tmpdir(), 'mp-boot-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await dropTestDatabase(databaseUrl);
  });

  it('on the first start writes the key to a file (mode 0600), logs the path and never the key; once', async () => {
    const file = join(dir, 'nested', 'admin-key');
    const env = { DATABASE_URL: databaseUrl, MODELPLANE_BOOTSTRAP_ADMIN_KEY: '', MODELPLANE_ADMIN_KEY_FILE: file };
    const first = await startApi(env);
    try {
      const key = (await readFile(file, 'utf8')).trim();
      expect(key).toMatch(/^mp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(first.logs.some((l) => l.includes(file))).toBe(true);
      expect(first.logs.join('\n')).not.toContain(key);
      const who = await first.request('GET', '/v2/iam/whoami', undefined, { authorization: `Bearer ${key}` });
      expect(who.body).toMatchObject({ principal: 'admin', platform_admin: true });
      expect((await first.request('GET', '/v2/workspaces', undefined, { authorization: '' })).status).toBe(401);
    } finally {
      await first.close();
    }
    // A second start finds a principal and creates nothing: the file keeps the first key.
    const before = await readFile(file, 'utf8');
    const second = await startApi(env);
    await second.close();
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('MODELPLANE_BOOTSTRAP_ADMIN_KEY: that key is the admin’s, and a new one replaces it at the next start', async () => {
    const k1 = 'first-bootstrap-key-0123456789abcdef0123';
    const k2 = 'second-bootstrap-key-0123456789abcdef012';
    const file = join(dir, 'admin-key');
    const one = await startApi({
      DATABASE_URL: databaseUrl,
      MODELPLANE_BOOTSTRAP_ADMIN_KEY: k1,
      MODELPLANE_ADMIN_KEY_FILE: file,
    });
    expect((await one.request('GET', '/v2/workspaces', undefined, { authorization: `Bearer ${k1}` })).status).toBe(200);
    await one.close();
    const two = await startApi({
      DATABASE_URL: databaseUrl,
      MODELPLANE_BOOTSTRAP_ADMIN_KEY: k2,
      MODELPLANE_ADMIN_KEY_FILE: file,
    });
    try {
      expect((await two.request('GET', '/v2/workspaces', undefined, { authorization: `Bearer ${k2}` })).status).toBe(
        200,
      );
      const old = await two.request('GET', '/v2/workspaces', undefined, { authorization: `Bearer ${k1}` });
      expect(old.status).toBe(401);
      expect(two.logs.join('\n')).not.toContain(k2);
    } finally {
      await two.close();
    }
    await expect(stat(file)).rejects.toThrow(); // a given key is never written anywhere
  });

  it('AUTH_ENABLED=false serves a caller without a credential as a PlatformAdmin, and warns at start', async () => {
    const api = await startApi({ DATABASE_URL: databaseUrl, AUTH_ENABLED: 'false' });
    try {
      const res = await api.request('POST', '/v2/workspaces', { name: 'open-ws' }, { authorization: '' });
      expect(res.status).toBe(201);
      expect(res.body.created_by).toBe('anonymous');
      expect(api.logs.some((l) => l.startsWith('warn') && l.includes('AUTH_ENABLED=false'))).toBe(true);
    } finally {
      await api.close();
    }
  });
});
