/**
 * Who may call the inference gateway, on both ports that serve its routes (the standalone gateway app and
 * the API with the gateway): every route refuses a caller without a credential (401, OpenAI's error shape,
 * Bearer challenge), a key restricted to another workspace, a principal without a role here and a key
 * without the inference scope (403), and serves a Viewer's inference key; the client's credential never
 * reaches the upstream; refusals are audited, successful calls are not; repeated failures get 429.
 */
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';
import pg from 'pg';
import { GatewayConfig, loadEnv } from '#config';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { LOOPBACK_EGRESS, newWorkspace, startApi, type Api } from './api-harness.js';
import { bearer, insertKey, type TestKey } from './access-helpers.js';

/** The keys an application is given to call models with. */
const INFERENCE = ['inference'];
import { recordingUpstream, send, SERVED } from './gateway-auth-harness.js';
import { eventually } from './worker-harness.js';

jest.setTimeout(60_000);

const UPSTREAM_KEY = 'sk-upstream-secret-0a1b2c3d4e5f';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('inference gateway access', () => {
  let api: Api;
  let gateway: NestFastifyApplication;
  let db: pg.Pool;
  let upstream: Awaited<ReturnType<typeof recordingUpstream>>;
  let ws: string;
  let other: string;
  const keys: Record<'viewer' | 'otherWorkspace' | 'noRole' | 'noInference', TestKey> = {} as never;
  const bases: Record<string, string> = {};

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    api = await startApi({}, { gateway: true });
    gateway = await createGateway(
      loadEnv(GatewayConfig, { DATABASE_URL: process.env.TEST_DATABASE_URL as string, ...LOOPBACK_EGRESS }),
      { log: { level: 'error' } },
    );
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    ws = await newWorkspace(api, 'gwauth');
    other = await newWorkspace(api, 'gwauth-other');
    upstream = await recordingUpstream();
    expect((await api.request('POST', `/v2/workspaces/${ws}/secrets`, { name: 'k', value: UPSTREAM_KEY })).status).toBe(
      201,
    );
    const created = await api.request('POST', `/v2/workspaces/${ws}/providers`, {
      name: 'up',
      host_url: upstream.url,
      api_key_secret_name: 'k',
      served_models: [{ model_entity_id: `${ws}/echo`, served_model_name: SERVED }],
    });
    expect(created.status).toBe(201);
    // No worker runs here to probe it: the model route wants a READY provider.
    await db.query(`UPDATE model_providers SET status = 'READY' WHERE workspace = $1 AND name = 'up'`, [ws]);

    const sa = (name: string) => `service-account:${name}-${ws}`;
    keys.viewer = await insertKey(db, sa('viewer'), { scopes: INFERENCE, roles: [[ws, 'Viewer']] });
    keys.otherWorkspace = await insertKey(db, sa('elsewhere'), {
      scopes: INFERENCE,
      workspace: other,
      roles: [
        [ws, 'Admin'],
        [other, 'Admin'],
      ],
    });
    keys.noRole = await insertKey(db, sa('stranger'), { scopes: INFERENCE, roles: [[other, 'Admin']] });
    keys.noInference = await insertKey(db, sa('reader'), { scopes: ['read', 'write'], roles: [[ws, 'Admin']] });

    bases.gateway = `${(await gateway.getUrl()).replace('[::1]', '127.0.0.1')}/v2/workspaces/${ws}/inference/gateway`;
    bases.api = `${api.url}/v2/workspaces/${ws}/inference/gateway`;
    for (const base of Object.values(bases)) {
      await eventually(async () => {
        const res = await send(`${base}/model/echo/-/v1/chat/completions`, 'POST', {
          ...JSON_TYPE,
          ...bearer(keys.viewer.key),
        });
        return res.status === 200;
      });
    }
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await api?.close();
    upstream?.server.close();
    await db?.end();
  });

  /** Every gateway route, as a request a client makes. */
  const routes = () => [
    { name: 'openai models list', method: 'GET', path: 'openai/-/v1/models' },
    { name: 'openai models retrieve', method: 'GET', path: `openai/-/v1/models/${encodeURIComponent(`${ws}/echo`)}` },
    {
      name: 'model models retrieve',
      method: 'GET',
      path: `model/echo/-/v1/models/${encodeURIComponent(`${ws}/echo`)}`,
    },
    {
      name: 'openai chat',
      method: 'POST',
      path: 'openai/-/v1/chat/completions',
      body: JSON.stringify({ model: `${ws}/echo`, messages: [] }),
    },
    { name: 'model chat', method: 'POST', path: 'model/echo/-/v1/chat/completions', body: '{"messages":[]}' },
    { name: 'provider chat', method: 'POST', path: 'provider/up/-/v1/chat/completions', body: '{"messages":[]}' },
    { name: 'provider models', method: 'GET', path: 'provider/up/-/v1/models' },
  ];

  const deniedEvents = async (principal: string | null, action?: string) => {
    const { rows } = await db.query<{
      principal: string | null;
      outcome: string;
      status_code: number;
      action: string;
      message: string | null;
    }>(
      `SELECT principal, outcome, status_code, action, key_id, message FROM audit_events
       WHERE workspace = $1 AND principal IS NOT DISTINCT FROM $2 AND ($3::text IS NULL OR action = $3)`,
      [ws, principal, action ?? null],
    );
    return rows;
  };

  describe.each(['gateway', 'api'])('on the %s port', (port) => {
    // A request id is printable ASCII without spaces (else the server replaces it with a new one).
    const idOf = (prefix: string, route: ReturnType<typeof routes>[number]) =>
      `${prefix}-${port}-${route.name.replaceAll(' ', '_')}`;
    const call = (route: ReturnType<typeof routes>[number], headers: Record<string, string>) =>
      send(`${bases[port]}/${route.path}`, route.method, { ...JSON_TYPE, ...headers }, route.body);

    it('answers a caller without a credential 401 in OpenAI shape with a Bearer challenge, audited', async () => {
      for (const route of routes()) {
        const res = await call(route, { 'x-request-id': idOf('none', route) });
        expect([route.name, res.status]).toEqual([route.name, 401]);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        const body = res.json();
        expect(body.error).toEqual({
          message: expect.stringMatching(/Authorization: Bearer/),
          type: 'authentication_error',
          code: 'auth/credential_missing',
        });
        expect(body.request_id).toBe(idOf('none', route));
      }
      const upstreamSawNone = upstream.seen.filter((s) => String(s.headers['x-request-id']).startsWith('none-'));
      expect(upstreamSawNone).toEqual([]);
    });

    it.each([
      ['a key restricted to another workspace', 'otherWorkspace', /restricted to workspace/],
      ['a principal without a role in this workspace', 'noRole', /lacks permission 'inference' in workspace/],
      ['a key without the inference scope', 'noInference', /needs the 'inference' scope/],
    ] as const)('answers %s 403 on every route', async (_what, which, message) => {
      for (const route of routes()) {
        const res = await call(route, bearer(keys[which].key));
        expect([route.name, res.status]).toEqual([route.name, 403]);
        expect(res.json().error.type).toBe('permission_error');
        expect(res.json().error.message).toMatch(message);
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
    });

    it("serves a Viewer's inference key on every route, and never forwards its credential", async () => {
      for (const route of routes()) {
        const requestId = idOf('viewer', route);
        const res = await call(route, { ...bearer(keys.viewer.key), 'x-request-id': requestId });
        expect([route.name, res.status, res.text]).toEqual([route.name, 200, expect.any(String)]);
        for (const seen of upstream.seen.filter((s) => s.headers['x-request-id'] === requestId)) {
          expect(seen.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
          expect(JSON.stringify(seen.headers)).not.toContain(keys.viewer.key);
        }
      }
      // Four of the routes forward; the list and retrieve routes answer from the routing table.
      expect(upstream.seen.filter((s) => String(s.headers['x-request-id']).startsWith(`viewer-${port}-`))).toHaveLength(
        4,
      );
    });

    it('works with the OpenAI SDK given the key as apiKey; a wrong apiKey is an AuthenticationError', async () => {
      const sdk = new OpenAI({ baseURL: `${bases[port]}/openai/-/v1`, apiKey: keys.viewer.key, maxRetries: 0 });
      const models = await sdk.models.list();
      expect(models.data.map((m) => m.id)).toContain(`${ws}/echo`);
      expect((await sdk.models.retrieve(`${ws}/echo`)).id).toBe(`${ws}/echo`);
      const chat = await sdk.chat.completions.create({
        model: `${ws}/echo`,
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(chat.choices[0].message.content).toBe('hi');
      const byModel = new OpenAI({ baseURL: `${bases[port]}/model/echo/-/v1`, apiKey: keys.viewer.key, maxRetries: 0 });
      expect((await byModel.chat.completions.create({ model: SERVED, messages: [] })).model).toBe(`${ws}/echo`);

      const wrong = new OpenAI({ baseURL: `${bases[port]}/openai/-/v1`, apiKey: 'not-a-key', maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const noScope = new OpenAI({
        baseURL: `${bases[port]}/openai/-/v1`,
        apiKey: keys.noInference.key,
        maxRetries: 0,
      });
      await expect(noScope.models.list()).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    });
  });

  it('writes one denied audit event per refusal (port by port) and none for a successful call', async () => {
    // The 403 tests above ran on both ports: every route refused each principal once per port (and the SDK
    // test's models.list without the scope once more per port).
    for (const which of ['otherWorkspace', 'noRole', 'noInference'] as const) {
      const expected = routes().length * 2 + (which === 'noInference' ? 2 : 0);
      const events = await eventually(async () => {
        const rows = await deniedEvents(keys[which].principal);
        return rows.length >= expected && rows;
      });
      await new Promise((r) => setTimeout(r, 300)); // any duplicate would be written by now
      const settled = await deniedEvents(keys[which].principal);
      expect(settled).toHaveLength(events.length);
      expect(settled).toHaveLength(expected);
      for (const e of settled) {
        expect([e.outcome, e.status_code]).toEqual(['denied', 403]);
        // Why, in words (the permission and the workspace), never the credential.
        expect(e.message).toMatch(/workspace '|'inference' scope/);
        expect(JSON.stringify(e)).not.toContain(keys[which].key);
      }
      expect(new Set(settled.map((e) => e.action))).toEqual(
        new Set([
          'inference.list_models',
          'inference.get_model',
          'inference.openai',
          'inference.model',
          'inference.provider',
        ]),
      );
    }
    // The callers without a credential: no principal, 401.
    const anonymous = await deniedEvents(null);
    expect(anonymous.length).toBeGreaterThanOrEqual(routes().length * 2);
    for (const e of anonymous) expect([e.outcome, e.status_code]).toEqual(['denied', 401]);
    // The Viewer's successful calls (routes, SDK) wrote nothing.
    expect(await deniedEvents(keys.viewer.principal)).toEqual([]);
  });

  it('answers 429 with Retry-After once an address passes AUTH_FAILURE_LIMIT failures, and nothing reaches the upstream', async () => {
    const limited = await createGateway(
      loadEnv(GatewayConfig, {
        DATABASE_URL: process.env.TEST_DATABASE_URL as string,
        AUTH_FAILURE_LIMIT: '3',
        ...LOOPBACK_EGRESS,
      }),
      { log: { level: 'error' } },
    );
    try {
      await limited.listen({ port: 0, host: '127.0.0.1' });
      const base = `${(await limited.getUrl()).replace('[::1]', '127.0.0.1')}/v2/workspaces/${ws}/inference/gateway`;
      const url = `${base}/provider/up/-/v1/chat/completions`;
      await eventually(
        async () => (await send(url, 'POST', { ...JSON_TYPE, ...bearer(keys.viewer.key) })).status === 200,
      );
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await send(url, 'POST', { ...JSON_TYPE, ...bearer(`mp_000000000000_${'x'.repeat(43)}`) })).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      // Once limited, even a good key from that address waits: the limit is checked before any credential.
      const res = await send(
        url,
        'POST',
        { ...JSON_TYPE, ...bearer(keys.viewer.key), 'x-request-id': 'limited' },
        '{}',
      );
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(res.json().error).toMatchObject({ type: 'rate_limit_error', code: 'auth/too_many_failures' });
      expect(upstream.seen.filter((s) => s.headers['x-request-id'] === 'limited')).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});
