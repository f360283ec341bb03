import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newWorkspace, startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A value that appears nowhere else, so any occurrence of it (or its encodings) is a leak. */
const secretValue = (tag: string) => `sk-${tag}-${randomBytes(12).toString('hex')}`;

describe('secrets', () => {
  let api: Api;
  let db: pg.Client;
  let ws: string;
  let base: string;
  /** Every response this file received, so the final checks can scan them all. */
  const responses: { call: string; res: ApiResponse }[] = [];
  /** Every value sent, so the final checks know what must never appear. */
  const values: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.request(method, path, body);
    responses.push({ call: `${method} ${path}`, res });
    return res;
  };
  const newValue = (tag: string) => {
    const v = secretValue(tag);
    values.push(v);
    return v;
  };
  const storedRow = async (workspace: string, name: string) => {
    const { rows } = await db.query<{ ciphertext: Buffer; nonce: Buffer; auth_tag: Buffer; key_id: string }>(
      'SELECT ciphertext, nonce, auth_tag, key_id FROM secrets WHERE workspace = $1 AND name = $2',
      [workspace, name],
    );
    return rows[0];
  };

  beforeAll(async () => {
    api = await startApi();
    db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    ws = await newWorkspace(api, 'sec');
    base = `/v2/workspaces/${ws}/secrets`;
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('creates a secret: 201 with metadata only', async () => {
    const value = newValue('create');
    const res = await call('POST', base, { name: 'openai-key', description: 'OpenAI', value });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^secret-[0-9a-f]{20}$/),
      name: 'openai-key',
      workspace: ws,
      description: 'OpenAI',
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      created_by: 'admin', // the bootstrap key's principal
      updated_by: 'admin',
    });
    expect(res.body).not.toHaveProperty('value');
  });

  it('accepts API-style names (capitals, dots, underscores) and omits a missing description', async () => {
    const res = await call('POST', base, { name: 'NVIDIA_API.Key-2', value: newValue('name') });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('NVIDIA_API.Key-2');
    expect(res.body).not.toHaveProperty('description');
  });

  it('stores the value encrypted, never as plaintext', async () => {
    const value = newValue('stored');
    expect((await call('POST', base, { name: 'stored', value })).status).toBe(201);
    const row = await storedRow(ws, 'stored');
    expect(row).toBeDefined();
    const plain = Buffer.from(value, 'utf8');
    expect(Buffer.compare(row.ciphertext, plain)).not.toBe(0);
    expect(row.ciphertext.includes(plain)).toBe(false);
    expect(row.ciphertext.toString('latin1')).not.toContain(value.slice(3, 15));
    expect(row.ciphertext.toString('latin1')).not.toContain(Buffer.from(value).toString('base64').slice(0, 16));
    // AES-GCM: same length as the plaintext, a 12-byte nonce and a 16-byte tag.
    expect(row.ciphertext.length).toBe(plain.length);
    expect(row.nonce.length).toBe(12);
    expect(row.auth_tag.length).toBe(16);
    expect(row.key_id).toBeTruthy();

    // The same value stored twice gives different ciphertexts (fresh nonce each time).
    expect((await call('POST', base, { name: 'stored-twin', value })).status).toBe(201);
    const twin = await storedRow(ws, 'stored-twin');
    expect(Buffer.compare(twin.ciphertext, row.ciphertext)).not.toBe(0);
    expect(Buffer.compare(twin.nonce, row.nonce)).not.toBe(0);
  });

  it('lists metadata only, with the list envelope', async () => {
    const res = await call('GET', `${base}?sort=name`);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toMatchObject({ page: 1, page_size: 100, total_pages: 1 });
    expect(res.body.pagination.total_results).toBe(res.body.data.length);
    const names = res.body.data.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['openai-key', 'stored', 'NVIDIA_API.Key-2']));
    for (const s of res.body.data) {
      expect(Object.keys(s).sort()).toEqual(
        expect.arrayContaining(['created_at', 'id', 'name', 'updated_at', 'workspace']),
      );
      expect(s).not.toHaveProperty('value');
      expect(s).not.toHaveProperty('ciphertext');
    }
    const filtered = await call('GET', `${base}?filter[name]=openai-key`);
    expect(filtered.body.data.map((s: { name: string }) => s.name)).toEqual(['openai-key']);
  });

  it('gets one secret without its value', async () => {
    const res = await call('GET', `${base}/openai-key`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('openai-key');
    expect(res.body.description).toBe('OpenAI');
    expect(res.body).not.toHaveProperty('value');
  });

  it('PATCH replaces the value (re-encrypted) and keeps the description', async () => {
    const value = newValue('create2');
    expect((await call('POST', base, { name: 'rotating', description: 'keep me', value })).status).toBe(201);
    const before = await storedRow(ws, 'rotating');
    const next = newValue('patched');
    const res = await call('PATCH', `${base}/rotating`, { value: next });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe('keep me');
    expect(res.body).not.toHaveProperty('value');
    const after = await storedRow(ws, 'rotating');
    expect(Buffer.compare(after.ciphertext, before.ciphertext)).not.toBe(0);
    expect(after.ciphertext.length).toBe(Buffer.byteLength(next));
    expect(after.ciphertext.includes(Buffer.from(next))).toBe(false);
  });

  it('PATCH changes the description and keeps the value', async () => {
    const before = await storedRow(ws, 'rotating');
    const res = await call('PATCH', `${base}/rotating`, { description: 'new text' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe('new text');
    const after = await storedRow(ws, 'rotating');
    expect(Buffer.compare(after.ciphertext, before.ciphertext)).toBe(0);
    expect(Buffer.compare(after.nonce, before.nonce)).toBe(0);
    expect((await call('GET', `${base}/rotating`)).body.description).toBe('new text');
  });

  it('PATCH refuses an empty value and a rename (name is not a known field)', async () => {
    const empty = await call('PATCH', `${base}/rotating`, { value: '' });
    expect(empty.status).toBe(422);
    expect(empty.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'value']);
    const rename = await call('PATCH', `${base}/rotating`, { name: 'other', value: newValue('rename') });
    expect(rename.status).toBe(422);
    expect(rename.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'name']);
    expect((await call('GET', `${base}/other`)).status).toBe(404);
  });

  it('refuses a missing, empty or non-string value with 422 naming body.value', async () => {
    for (const body of [
      { name: 'no-value' },
      { name: 'no-value', value: '' },
      { name: 'no-value', value: 1234 },
      { name: 'no-value', value: null },
    ]) {
      const res = await call('POST', base, body);
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'value']);
    }
    expect((await call('GET', `${base}/no-value`)).status).toBe(404);
  });

  it('refuses an invalid name with 422 naming body.name', async () => {
    for (const name of ['has space', 'slash/name', '', 'x'.repeat(256)]) {
      const res = await call('POST', base, { name, value: newValue('badname') });
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'name']);
    }
  });

  it('a 422 for a bad field does not echo the value', async () => {
    const value = newValue('echo');
    const cases = [
      { name: 'echo', value, descripton: 'typo' },
      { name: 'echo', value, description: 42 },
      { name: 'bad name!', value },
      { name: 'echo', value: { nested: value } },
      { name: 'echo', value: [value] },
      { name: 'echo', value: value.repeat(Math.ceil(70_000 / value.length)) },
    ];
    for (const body of cases) {
      const res = await call('POST', base, body);
      expect(res.status).toBe(422);
      expect(res.text).not.toContain(value);
    }
    expect((await call('GET', `${base}/echo`)).status).toBe(404);
  });

  it('malformed JSON carrying a value is refused without echoing it', async () => {
    const value = newValue('json');
    for (const text of [
      `{"name":"js","value":"${value}", oops}`,
      `{"name":"js","value":"${value}"`,
      `{"name":"js","value":"${value}",}`,
    ]) {
      const res = await call('POST', base, text);
      expect(res.status).toBe(400);
      expect(res.text).not.toContain(value);
    }
  });

  it('refuses a duplicate name with 409 naming it, without echoing the value', async () => {
    const value = newValue('dup');
    const res = await call('POST', base, { name: 'openai-key', value });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe(`Secret with workspace '${ws}' and name 'openai-key' already exists`);
    expect(res.text).not.toContain(value);
  });

  it('the same name in another workspace is a different secret', async () => {
    const other = await newWorkspace(api, 'sec2');
    const res = await call('POST', `/v2/workspaces/${other}/secrets`, { name: 'openai-key', value: newValue('other') });
    expect(res.status).toBe(201);
    expect(res.body.workspace).toBe(other);
    const list = await call('GET', `/v2/workspaces/${other}/secrets`);
    expect(list.body.data.map((s: { name: string }) => s.name)).toEqual(['openai-key']);
  });

  it('answers 404 for an unknown secret on get, PATCH and delete', async () => {
    const value = newValue('missing');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { value }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(method, `${base}/nope`, body);
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe(`Secret 'nope' was not found in workspace '${ws}'`);
      expect(res.text).not.toContain(value);
    }
  });

  it('answers 404 naming the workspace when it does not exist', async () => {
    const ghost = uniqueName('ghost');
    const value = newValue('ghost');
    const res = await call('POST', `/v2/workspaces/${ghost}/secrets`, { name: 'k', value });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(`Workspace '${ghost}' was not found`);
    expect(res.text).not.toContain(value);
    const patch = await call('PATCH', `/v2/workspaces/${ghost}/secrets/k`, { value });
    expect(patch.status).toBe(404);
    expect(patch.body.detail).toContain(ghost);
  });

  it('refuses to delete a secret a provider uses (409 naming the provider), then deletes it once freed', async () => {
    expect((await call('POST', base, { name: 'in-use', value: newValue('inuse') })).status).toBe(201);
    const prov = await call('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'uses-key',
      host_url: 'http://127.0.0.1:9',
      api_key_secret_name: 'in-use',
    });
    expect(prov.status).toBe(201);
    const res = await call('DELETE', `${base}/in-use`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("'uses-key'");
    expect(res.body.detail).toContain("'in-use'");
    expect((await call('GET', `${base}/in-use`)).status).toBe(200);

    expect((await call('DELETE', `/v2/workspaces/${ws}/providers/uses-key`)).status).toBe(204);
    expect((await call('DELETE', `${base}/in-use`)).status).toBe(204);
    expect((await call('GET', `${base}/in-use`)).status).toBe(404);
  });

  it('deletes: 204, then 404, and the row is gone from the database', async () => {
    expect((await call('POST', base, { name: 'to-delete', value: newValue('del') })).status).toBe(201);
    const res = await call('DELETE', `${base}/to-delete`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call('GET', `${base}/to-delete`)).status).toBe(404);
    expect((await call('DELETE', `${base}/to-delete`)).status).toBe(404);
    expect(await storedRow(ws, 'to-delete')).toBeUndefined();
  });

  it('no value, nor its base64, appears in any response or log line', async () => {
    // Make sure the list and the OpenAPI document were fetched at least once more after every write.
    await call('GET', `${base}?page_size=1000`);
    await call('GET', `/v2/workspaces/-/secrets?page_size=1000`);
    expect(values.length).toBeGreaterThan(10);
    expect(responses.length).toBeGreaterThan(40);
    const logs = api.logs.join('\n');
    // The app does log about secrets, so the check below has something to look at.
    expect(logs).toContain(`Secret ${ws}/openai-key created`);
    for (const value of values) {
      const forms = [
        value,
        Buffer.from(value).toString('base64'),
        Buffer.from(value).toString('base64url'),
        Buffer.from(value).toString('hex'),
        value.slice(3),
      ];
      for (const form of forms) {
        for (const { call: c, res } of responses) expect([c, res.text.includes(form)]).toEqual([c, false]);
        expect(logs.includes(form)).toBe(false);
      }
    }
  });
});
