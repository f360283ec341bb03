/**
 * Usage accounting end to end: requests through a real listening gateway (two keys, a priced model, an
 * upstream that answers fixed usage and one that fails) come out of `GET …/usage` as exactly the traffic
 * sent: requests, errors, tokens and cost per key and per model, also across a gateway restart whose
 * clean shutdown writes what it had counted but not yet flushed.
 */
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { GatewayConfig, loadEnv } from '#config';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { bearer, insertKey, testPool, type TestKey } from './access-helpers.js';
import { LOOPBACK_EGRESS, newWorkspace, startApi, type Api } from './api-harness.js';
import { SILENT } from './log-capture.js';

jest.setTimeout(90_000);

const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
const PRICES = { input_per_million_tokens: 2, output_per_million_tokens: 6, currency: 'USD' };

/** An upstream answering every chat completion `status` with USAGE (or an error body). */
async function upstream(status: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          status === 200
            ? {
                id: 'c',
                object: 'chat.completion',
                model: 'm',
                choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
                usage: USAGE,
              }
            : { error: { message: 'bad request upstream', type: 'invalid_request_error' } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('usage accounting from gateway traffic', () => {
  let api: Api;
  let pool: pg.Pool;
  let ws: string;
  let good: Awaited<ReturnType<typeof upstream>>;
  let bad: Awaited<ReturnType<typeof upstream>>;
  let keyA: TestKey;
  let keyB: TestKey;

  const startGateway = async (flushMs: number) => {
    const gateway = await createGateway(
      loadEnv(GatewayConfig, {
        DATABASE_URL: process.env.TEST_DATABASE_URL as string,
        GATEWAY_USAGE_FLUSH_INTERVAL_MS: String(flushMs),
        ...LOOPBACK_EGRESS,
      }),
      { log: SILENT },
    );
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    return gateway;
  };
  const chat = async (gateway: NestFastifyApplication, model: string, key: TestKey, times: number) => {
    const url = `${(await gateway.getUrl()).replace('[::1]', '127.0.0.1')}/v2/workspaces/${ws}/inference/gateway`;
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) {
      const res = await fetch(`${url}/model/${model}/-/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(key.key) },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.text();
      statuses.push(res.status);
    }
    return statuses;
  };
  const usage = async (groupBy: string) => {
    const res = await api.request('GET', `/v2/workspaces/${ws}/usage?group_by=${groupBy}`);
    expect(res.status).toBe(200);
    return res.body as {
      data: Record<string, unknown>[];
      totals: { requests: number; errors: number; input_tokens: number; output_tokens: number; cost: object };
    };
  };

  beforeAll(async () => {
    api = await startApi();
    pool = testPool();
    ws = await newWorkspace(api, 'usage-traffic');
    good = await upstream(200);
    bad = await upstream(400);
    const models = [
      ['priced', good.url, PRICES],
      ['broken', bad.url, null],
    ] as const;
    for (const [name, url, pricing] of models) {
      const model = await api.request('POST', `/v2/workspaces/${ws}/models`, { name, ...(pricing ? { pricing } : {}) });
      expect(model.status).toBe(201);
      const provider = await api.request('POST', `/v2/workspaces/${ws}/providers`, {
        name: `${name}-up`,
        host_url: url,
        served_models: [{ model_entity_id: `${ws}/${name}`, served_model_name: 'm' }],
      });
      expect(provider.status).toBe(201);
    }
    // No worker probes hand-made providers here: the model route wants READY ones.
    await pool.query(`UPDATE model_providers SET status = 'READY' WHERE workspace = $1`, [ws]);
    keyA = await insertKey(pool, `service-account:a-${ws}`, { scopes: ['inference'], roles: [[ws, 'Viewer']] });
    keyB = await insertKey(pool, `service-account:b-${ws}`, { scopes: ['inference'], roles: [[ws, 'Viewer']] });
  });
  afterAll(async () => {
    good?.server.close();
    bad?.server.close();
    await pool?.end();
    await api?.close();
  });

  it('counts every request per key and model, with cost, across a gateway restart', async () => {
    // A first gateway that would flush only once a minute: its clean shutdown must write what it counted.
    const first = await startGateway(60_000);
    let statuses: number[] = [];
    for (let tries = 0; tries < 50 && statuses[0] !== 200; tries++) {
      statuses = await chat(first, 'priced', keyA, 1); // until its routing table and access snapshot have both
      if (statuses[0] !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses).toEqual([200]);
    expect(await chat(first, 'priced', keyA, 4)).toEqual([200, 200, 200, 200]);
    expect(await chat(first, 'priced', keyB, 3)).toEqual([200, 200, 200]);
    expect(await chat(first, 'broken', keyB, 2)).toEqual([400, 400]);
    expect((await usage('key')).totals.requests).toBe(0); // nothing flushed yet
    await first.close();
    expect((await usage('key')).totals.requests).toBe(10);

    const second = await startGateway(200);
    expect(await chat(second, 'priced', keyA, 2)).toEqual([200, 200]);
    const expectedTotal = 12;
    for (let i = 0; i < 50 && (await usage('key')).totals.requests < expectedTotal; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await second.close();

    const byKey = await usage('key');
    const rowOf = (key: TestKey) => byKey.data.find((row) => row.key_id === key.id);
    expect(rowOf(keyA)).toMatchObject({ requests: 7, errors: 0, input_tokens: 77, output_tokens: 49 });
    // The upstream's 400 answers carry no usage: errors, no tokens.
    expect(rowOf(keyB)).toMatchObject({ requests: 5, errors: 2, input_tokens: 33, output_tokens: 21 });
    // A model is named by its entity id (`workspace/name`), as model_entity_id is everywhere.
    const byModel = await usage('model');
    const priced = byModel.data.find((row) => row.model === `${ws}/priced`);
    expect(priced).toMatchObject({ requests: 10, errors: 0, input_tokens: 110, output_tokens: 70 });
    expect(priced?.cost).toEqual({ USD: (110 * 2 + 70 * 6) / 1e6 });
    expect(byModel.data.find((row) => row.model === `${ws}/broken`)).toMatchObject({
      requests: 2,
      errors: 2,
      cost: {},
    });
    expect(byModel.totals).toMatchObject({ requests: expectedTotal, errors: 2, input_tokens: 110, output_tokens: 70 });
  });
});
