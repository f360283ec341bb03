import { jest } from '@jest/globals';
import type pg from 'pg';
import { UsageRepository } from '#db';
import { UsageRecorder, type RequestOutcome } from '#gateway';
import { bearer, bind, insertKey, testPool, untilKnown } from './access-helpers.js';
import { newWorkspace, startApi, type Api } from './api-harness.js';
import { cliFor } from './cli-harness.js';
import { eventually } from './worker-harness.js';

jest.setTimeout(60_000);

/**
 * Usage accounting end to end below the gateway's request path: outcomes handed to the UsageRecorder of a
 * real API app (serving the gateway routes, as under API_SERVES_GATEWAY) are written to PostgreSQL in
 * batches and read back through GET /v2/workspaces/{workspace}/usage and `modelplane usage`.
 */
const DAY1 = Date.UTC(2026, 10, 20, 10, 15, 30); // 2026-11-20T10:15:30Z
const DAY2 = Date.UTC(2026, 10, 21, 23, 59, 10); // 2026-11-21T23:59:10Z
const RANGE = 'start=2026-11-20T00:00:00Z&end=2026-11-22T00:00:00Z';
const USD = { input_per_million_tokens: 2, output_per_million_tokens: 6, currency: 'USD' };
const EUR = { input_per_million_tokens: 1, output_per_million_tokens: 3, currency: 'EUR' };

function outcome(workspace: string, overrides: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    requestId: 'req',
    workspace,
    principal: 'service-account:ci',
    keyId: 'apikey-a',
    route: 'openai',
    model: 'llama',
    virtualModel: false,
    provider: `${workspace}/nim-a`,
    operation: 'chat',
    status: 200,
    cause: null,
    startedAt: DAY1,
    durationMs: 50,
    timeToFirstTokenMs: null,
    inputTokens: 100,
    outputTokens: 50,
    pricing: USD,
    ...overrides,
  };
}

async function usageRows(pool: pg.Pool, workspace: string) {
  const { rows } = await pool.query(
    `SELECT bucket, principal, key_id, model, provider, currency, requests::int, errors::int,
            input_tokens::int, output_tokens::int, cost::float8 AS cost
     FROM usage WHERE workspace = $1 ORDER BY bucket, key_id, model, provider, currency`,
    [workspace],
  );
  return rows;
}

describe('usage accounting', () => {
  let api: Api;
  let pool: pg.Pool;
  let recorder: UsageRecorder;
  let ws: string;

  beforeAll(async () => {
    api = await startApi({ GATEWAY_USAGE_FLUSH_INTERVAL_MS: '200' }, { gateway: true });
    recorder = api.app.get(UsageRecorder);
    pool = testPool();
    ws = await newWorkspace(api, 'usage');
    // The traffic the queries below read: two days, two models (one a virtual model), two keys, two providers.
    const traffic: RequestOutcome[] = [
      outcome(ws),
      outcome(ws, { inputTokens: 300, outputTokens: 150 }),
      outcome(ws, { keyId: 'apikey-b', principal: 'alice', status: 502, cause: 'upstream_status', outputTokens: 0 }),
      outcome(ws, { model: 'router', virtualModel: true, provider: `${ws}/nim-b`, pricing: null }),
      outcome(ws, { startedAt: DAY2, pricing: EUR, inputTokens: 1000, outputTokens: 1000 }),
      outcome(ws, {
        startedAt: DAY2,
        keyId: null,
        principal: null,
        model: null,
        provider: null,
        status: 404,
        cause: 'not_found',
        pricing: null,
      }),
    ];
    for (const o of traffic) recorder.record(o);
    await eventually(async () => (await usageRows(pool, ws)).length === 5, 10_000, 50);
  });

  afterAll(async () => {
    await pool.end();
    await api.close();
  });

  it('writes one row per workspace, minute, principal, key, model, provider and currency', async () => {
    const rows = await usageRows(pool, ws);
    expect(rows).toEqual([
      {
        bucket: new Date(Date.UTC(2026, 10, 20, 10, 15)),
        principal: 'service-account:ci',
        key_id: 'apikey-a',
        model: 'llama',
        provider: `${ws}/nim-a`,
        currency: 'USD',
        requests: 2,
        errors: 0,
        input_tokens: 400,
        output_tokens: 200,
        cost: (400 * 2 + 200 * 6) / 1e6,
      },
      expect.objectContaining({ key_id: 'apikey-a', model: 'router', currency: '', requests: 1, cost: null }),
      expect.objectContaining({ key_id: 'apikey-b', principal: 'alice', requests: 1, errors: 1, output_tokens: 0 }),
      expect.objectContaining({ key_id: '', principal: '', model: '', provider: '', requests: 1, errors: 1 }),
      expect.objectContaining({ key_id: 'apikey-a', currency: 'EUR', cost: (1000 * 1 + 1000 * 3) / 1e6 }),
    ]);
  });

  it('writes a tick of many requests in one statement that adds to the rows already there', async () => {
    const own = await newWorkspace(api, 'usage-batch');
    const add = jest.spyOn(api.app.get(UsageRepository), 'add');
    try {
      for (let i = 0; i < 500; i++) recorder.record(outcome(own, { keyId: `apikey-${i % 5}` }));
      await eventually(async () => (await usageRows(pool, own)).length === 5, 10_000, 20);
      const calls = add.mock.calls.filter(([rows]) => rows.some((r) => r.workspace === own));
      expect(calls).toHaveLength(1);
      expect(calls[0][0].filter((r) => r.workspace === own)).toHaveLength(5);
      // The next tick adds to the same rows (the upsert), it does not replace them.
      for (let i = 0; i < 5; i++) recorder.record(outcome(own, { keyId: `apikey-${i}` }));
      await eventually(async () => (await usageRows(pool, own)).every((r) => r.requests === 101), 10_000, 20);
    } finally {
      add.mockRestore();
    }
  });

  it('keeps what a failed write held and writes it on the next tick', async () => {
    const own = await newWorkspace(api, 'usage-retry');
    const add = jest.spyOn(api.app.get(UsageRepository), 'add');
    // The database refuses one write (an outage); nothing else is faked.
    add.mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      recorder.record(outcome(own));
      await eventually(async () => add.mock.calls.length >= 1, 10_000, 20);
      recorder.record(outcome(own));
      await eventually(async () => (await usageRows(pool, own))[0]?.requests === 2, 10_000, 20);
      expect(api.logs.filter((l) => l.includes('Usage not written'))).toHaveLength(1);
    } finally {
      add.mockRestore();
    }
  });

  it('skips a workspace deleted meanwhile without losing the others, and deletes usage with its workspace', async () => {
    const gone = await newWorkspace(api, 'usage-gone');
    const kept = await newWorkspace(api, 'usage-kept');
    recorder.record(outcome(gone));
    await eventually(async () => (await usageRows(pool, gone)).length === 1, 10_000, 20);
    expect((await api.request('DELETE', `/v2/workspaces/${gone}`)).status).toBeLessThan(300);
    expect(await usageRows(pool, gone)).toEqual([]);
    recorder.record(outcome(gone));
    recorder.record(outcome(kept));
    await eventually(async () => (await usageRows(pool, kept)).length === 1, 10_000, 20);
    expect(await usageRows(pool, gone)).toEqual([]);
  });

  it('groups by model, with totals for the whole range and cost per currency', async () => {
    const res = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=model`);
    expect(res.status).toBe(200);
    expect(res.body.start).toBe('2026-11-20T00:00:00.000Z');
    expect(res.body.end).toBe('2026-11-22T00:00:00.000Z');
    expect(res.body.group_by).toEqual(['model']);
    expect(res.body.data).toEqual([
      { model: null, requests: 1, errors: 1, input_tokens: 100, output_tokens: 50, total_tokens: 150, cost: {} },
      {
        model: 'llama',
        requests: 4,
        errors: 1,
        input_tokens: 1500,
        output_tokens: 1200,
        total_tokens: 2700,
        cost: { USD: (500 * 2 + 200 * 6) / 1e6, EUR: (1000 + 3000) / 1e6 },
      },
      { model: 'router', requests: 1, errors: 0, input_tokens: 100, output_tokens: 50, total_tokens: 150, cost: {} },
    ]);
    expect(res.body.totals).toEqual({
      requests: 6,
      errors: 2,
      input_tokens: 1700,
      output_tokens: 1300,
      total_tokens: 3000,
      cost: { USD: 0.0022, EUR: 0.004 },
    });
    expect(res.body.pagination).toMatchObject({ page: 1, total_results: 3, current_page_size: 3 });
  });

  it('groups by key and by day (UTC), and pages through the groups', async () => {
    const byKey = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=key`);
    expect(byKey.body.data.map((r: { key_id: string | null; requests: number }) => [r.key_id, r.requests])).toEqual([
      [null, 1],
      ['apikey-a', 4],
      ['apikey-b', 1],
    ]);
    const byDay = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=day,model`);
    expect(byDay.body.data.map((r: { day: string; model: string | null }) => [r.day, r.model])).toEqual([
      ['2026-11-20', 'llama'],
      ['2026-11-20', 'router'],
      ['2026-11-21', null],
      ['2026-11-21', 'llama'],
    ]);
    const hour = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=hour`);
    expect(hour.body.data.map((r: { hour: string }) => r.hour)).toEqual([
      '2026-11-20T10:00:00.000Z',
      '2026-11-21T23:00:00.000Z',
    ]);
    const page2 = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=key&page=2&page_size=2`);
    expect(page2.body.data.map((r: { key_id: string }) => r.key_id)).toEqual(['apikey-b']);
    expect(page2.body.pagination).toEqual({
      page: 2,
      page_size: 2,
      current_page_size: 1,
      total_pages: 2,
      total_results: 3,
    });
    expect(page2.body.totals.requests).toBe(6);
    const past = await api.request('GET', `/v2/workspaces/${ws}/usage?${RANGE}&group_by=key&page=9&page_size=2`);
    expect(past.body).toMatchObject({ data: [], pagination: { total_results: 3, total_pages: 2 } });
  });

  it('reads only the time range and model asked for; no group_by sums everything into one row', async () => {
    const day2 = await api.request(
      'GET',
      `/v2/workspaces/${ws}/usage?start=2026-11-21T00:00:00Z&end=2026-11-22T00:00:00Z&model=llama`,
    );
    expect(day2.body.data).toEqual([
      { requests: 1, errors: 0, input_tokens: 1000, output_tokens: 1000, total_tokens: 2000, cost: { EUR: 0.004 } },
    ]);
    expect(day2.body.totals).toEqual(day2.body.data[0]);
    // A minute counts when its start is in [start, end): 10:15 is in, 10:16 is not.
    const minute = await api.request(
      'GET',
      `/v2/workspaces/${ws}/usage?start=2026-11-20T10:15:00Z&end=2026-11-20T10:16:00Z`,
    );
    expect(minute.body.totals.requests).toBe(4);
    const edge = await api.request(
      'GET',
      `/v2/workspaces/${ws}/usage?start=2026-11-20T10:15:00.001Z&end=2026-11-20T10:16:00Z`,
    );
    expect(edge.body.totals.requests).toBe(0);
    // By default the last 7 days: the traffic of November is not in it.
    const recent = await api.request('GET', `/v2/workspaces/${ws}/usage`);
    expect(recent.status).toBe(200);
    expect(recent.body).toMatchObject({ data: [], totals: { requests: 0, total_tokens: 0, cost: {} } });
    expect(Date.parse(recent.body.end) - Date.parse(recent.body.start)).toBe(7 * 24 * 3600 * 1000);
  });

  it.each([
    ['start=yesterday', 'start'],
    ['end=2026-11-20', 'end'],
    ['start=2026-02-30T00:00:00Z', 'start'],
    ['start=0000-06-01T00:00:00Z', 'start'],
    ['start=0001-01-01T00:00:00%2B01:00', 'start'],
    ['start=2026-11-21T00:00:00Z&end=2026-11-20T00:00:00Z', 'end'],
    ['start=2026-11-21T00:00:00Z&end=2026-11-21T00:00:00Z', 'end'],
    ['group_by=model,team', 'group_by'],
    ['group_by=,', 'group_by'],
    ['group_by[]=model', 'group_by'],
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['page=x', 'page'],
    ['model[a]=b', 'model'],
    ['sort=model', 'sort'],
  ])('refuses %s with a 422 naming %s', async (query, field) => {
    const res = await api.request('GET', `/v2/workspaces/${ws}/usage?${query}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.detail)).toContain(field);
  });

  it('answers 404 for a workspace that does not exist', async () => {
    const res = await api.request('GET', '/v2/workspaces/no-such-usage-ws/usage');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('workspace/not_found');
  });

  it('lets a Viewer read usage, and refuses a principal without a role or a key without the read scope', async () => {
    const viewer = await insertKey(pool, `usage-viewer-${ws}`, { roles: [[ws, 'Viewer']] });
    const stranger = await insertKey(pool, `usage-stranger-${ws}`);
    const inferenceOnly = await insertKey(pool, `usage-caller-${ws}`, { scopes: ['inference'] });
    await bind(pool, ws, inferenceOnly.principal, 'Admin');
    for (const k of [viewer, stranger, inferenceOnly]) await untilKnown(api, k.key);
    const path = `/v2/workspaces/${ws}/usage?${RANGE}`;
    const allowed = await api.request('GET', path, undefined, bearer(viewer.key));
    expect(allowed.status).toBe(200);
    expect(allowed.body.totals.requests).toBe(6);
    expect((await api.request('GET', path, undefined, bearer(stranger.key))).status).toBe(403);
    expect((await api.request('GET', path, undefined, bearer(inferenceOnly.key))).status).toBe(403);
    expect((await api.request('GET', path, undefined, { authorization: '' })).status).toBe(401);
  });

  it('with - as the workspace, sums every workspace the caller may read usage of', async () => {
    const other = await newWorkspace(api, 'usage-other');
    recorder.record(outcome(other, { inputTokens: 7, outputTokens: 3, pricing: null }));
    await eventually(async () => (await usageRows(pool, other)).length === 1, 10_000, 20);
    const path = `/v2/workspaces/-/usage?${RANGE}&group_by=workspace`;
    const all = await api.request('GET', path);
    expect(all.status).toBe(200);
    const mine = all.body.data.filter((r: { workspace: string }) => [ws, other].includes(r.workspace));
    expect(mine).toEqual([
      expect.objectContaining({ workspace: ws < other ? ws : other }),
      expect.objectContaining({ workspace: ws < other ? other : ws }),
    ]);
    expect(mine.find((r: { workspace: string }) => r.workspace === other)).toMatchObject({
      requests: 1,
      total_tokens: 10,
    });
    // A Viewer of `ws` alone sees `ws` alone, in the rows and in the totals.
    const viewer = await insertKey(pool, `usage-all-viewer-${ws}`, { roles: [[ws, 'Viewer']] });
    await untilKnown(api, viewer.key);
    const narrowed = await api.request('GET', path, undefined, bearer(viewer.key));
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.data.map((r: { workspace: string }) => r.workspace)).toEqual([ws]);
    expect(narrowed.body.totals.requests).toBe(6);
    const nobody = await insertKey(pool, `usage-all-nobody-${ws}`);
    await untilKnown(api, nobody.key);
    const empty = await api.request('GET', path, undefined, bearer(nobody.key));
    expect(empty.body).toMatchObject({ data: [], totals: { requests: 0 } });
  });

  it('modelplane usage prints a table with a total line, and JSON', async () => {
    const cli = cliFor(api.url, ws);
    const table = await cli([
      'usage',
      '--start',
      '2026-11-20T00:00:00Z',
      '--end',
      '2026-11-22T00:00:00Z',
      '--group-by',
      'day,model',
    ]);
    expect(table).toMatchObject({ code: 0 });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DAY +MODEL +REQUESTS +ERRORS +INPUT TOKENS +OUTPUT TOKENS +TOTAL TOKENS +COST$/);
    expect(lines[1].split(/ {2,}/)).toEqual(['2026-11-20', 'llama', '3', '1', '500', '200', '700', '0.0022 USD']);
    expect(lines[3].split(/ {2,}/)).toEqual(['2026-11-21', '-', '1', '1', '100', '50', '150', '-']);
    expect(lines[5].split(/ {2,}/)).toEqual(['TOTAL', '6', '2', '1700', '1300', '3000', '0.004 EUR, 0.0022 USD']);
    const json = await cli(['usage', '--start', '2026-11-20T00:00:00Z', '--end', '2026-11-22T00:00:00Z', '-o', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ group_by: [], totals: { requests: 6 }, data: [{ requests: 6 }] });
    const paged = await cli(['usage', '--start', '2026-11-20T00:00:00Z', '--group-by', 'key', '--page-size', '1']);
    expect(paged.stdout.trimEnd().split('\n')).toHaveLength(5); // header, three keys over three pages, total
    const bad = await cli(['usage', '--group-by', 'team']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('query.group_by');
    expect((await cli(['usage', '--since', 'soon'])).code).toBe(2);
  });
});

describe('usage accounting on shutdown', () => {
  it('writes what was counted when the app closes, long before the next tick', async () => {
    const api = await startApi({ GATEWAY_USAGE_FLUSH_INTERVAL_MS: '60000' }, { gateway: true });
    const pool = testPool();
    try {
      const ws = await newWorkspace(api, 'usage-stop');
      const recorder = api.app.get(UsageRecorder);
      const now = Date.now();
      for (let i = 0; i < 10; i++) recorder.record(outcome(ws, { startedAt: now }));
      expect(recorder.pending).toBe(1);
      // A request the server's close cuts finishes after the first shutdown hook: it is written too.
      const adapter = api.app.getHttpAdapter();
      const closeServer = adapter.close.bind(adapter);
      adapter.close = async () => {
        recorder.record(outcome(ws, { startedAt: now, keyId: 'apikey-cut', status: 0, outputTokens: 7 }));
        return closeServer();
      };
      await api.close();
      const rows = await usageRows(pool, ws);
      expect(rows.map((r) => [r.key_id, r.requests, r.input_tokens, r.output_tokens])).toEqual([
        ['apikey-a', 10, 1000, 500],
        ['apikey-cut', 1, 100, 7],
      ]);
      expect(api.logs.filter((l) => l.includes('not written'))).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('writes nothing when GATEWAY_USAGE_ACCOUNTING is off', async () => {
    const api = await startApi({ GATEWAY_USAGE_ACCOUNTING: 'false' }, { gateway: true });
    const pool = testPool();
    try {
      const ws = await newWorkspace(api, 'usage-off');
      const recorder = api.app.get(UsageRecorder);
      recorder.record(outcome(ws));
      expect(recorder.pending).toBe(0);
      await api.close();
      expect(await usageRows(pool, ws)).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
