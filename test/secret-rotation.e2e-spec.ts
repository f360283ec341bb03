import { migrationPaths, SecretCipher, secretAad } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApi, type Api } from './api-harness.js';

/**
 * Key rotation re-encrypts every secret in the database, so it runs against a
 * database of its own rather than the run's shared one.
 */
const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('secret key rotation', () => {
  let db: string;
  const k1 = key('k1');
  const k2 = key('k2');
  const values = ['sk-first-' + randomBytes(6).toString('hex'), 'sk-second-' + randomBytes(6).toString('hex')];

  beforeAll(async () => {
    db = await createTestDatabase('modelplane_rotation');
    await applyMigrations({ databaseUrl: db, ...migrationPaths() });
  });
  afterAll(async () => {
    await dropTestDatabase(db);
  });

  async function withApi<T>(keys: string, fn: (api: Api) => Promise<T>): Promise<T> {
    const api = await startApi({ DATABASE_URL: db, MODELPLANE_SECRET_KEYS: keys });
    try {
      return await fn(api);
    } finally {
      await api.close();
    }
  }

  async function rows(): Promise<
    { workspace: string; name: string; key_id: string; ciphertext: Buffer; nonce: Buffer; auth_tag: Buffer }[]
  > {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      return (
        await client.query('SELECT workspace, name, key_id, ciphertext, nonce, auth_tag FROM secrets ORDER BY name')
      ).rows;
    } finally {
      await client.end();
    }
  }

  it('re-seals every secret under the new key, keeps values, and skips keys that are gone', async () => {
    await withApi(k1, async (api) => {
      for (const [i, value] of values.entries()) {
        expect((await api.request('POST', '/v2/workspaces/default/secrets', { name: `s${i}`, value })).status).toBe(
          201,
        );
      }
    });
    expect((await rows()).map((r) => r.key_id)).toEqual(['k1', 'k1']);

    // New key first, old key kept for reading: rotation moves everything to k2.
    await withApi(`${k2},${k1}`, async (api) => {
      const res = await api.request('POST', '/v2/admin/secrets/rotate');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ rotated_secrets: 2, skipped_secrets: 0, success: true, active_key_id: 'k2' });
      expect(res.text).not.toContain(values[0]);
      const again = await api.request('POST', '/v2/admin/secrets/rotate');
      expect(again.body.rotated_secrets).toBe(0);
    });
    const cipher = new SecretCipher(k2);
    for (const [i, r] of (await rows()).entries()) {
      expect(r.key_id).toBe('k2');
      const opened = cipher.open(
        {
          ciphertext: new Uint8Array(r.ciphertext),
          nonce: new Uint8Array(r.nonce),
          authTag: new Uint8Array(r.auth_tag),
          keyId: r.key_id,
        },
        secretAad(r.workspace, r.name),
      );
      expect(opened).toBe(values[i]);
    }

    // A secret sealed under a key that is no longer configured is skipped, not fatal.
    await withApi(k1, async (api) => {
      expect(
        (await api.request('POST', '/v2/workspaces/default/secrets', { name: 's9', value: 'sk-third' })).status,
      ).toBe(201);
    });
    await withApi(key('k3'), async (api) => {
      const res = await api.request('POST', '/v2/admin/secrets/rotate');
      expect(res.body).toMatchObject({ rotated_secrets: 0, skipped_secrets: 3, success: false, active_key_id: 'k3' });
      expect(api.logs.join('\n')).not.toMatch(/sk-(first|second|third)/);
    });
  });
});
