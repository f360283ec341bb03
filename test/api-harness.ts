import { LogCapture } from './log-capture.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createApp } from '../apps/api/src/app.factory.js';
import { ApiConfig, GatewayConfig, loadEnv } from '#config';
import { RECONCILE_QUEUE } from '#queue';
import { Queue } from 'bullmq';

/** Every line the app logged, so tests can check what never appears in logs. */
export interface Api {
  url: string;
  app: NestFastifyApplication;
  logs: string[];
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

/**
 * The PlatformAdmin key every test API starts with (MODELPLANE_BOOTSTRAP_ADMIN_KEY); `request` sends it
 * unless the call passes an `authorization` header of its own (an empty one sends none).
 */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789abcdef';
export const ADMIN_AUTH: Record<string, string> = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

/** The headers of a call as the admin, merged under `headers`; an empty authorization sends none. */
export function withAuth(headers: Record<string, string> = {}): Record<string, string> {
  const merged = { ...ADMIN_AUTH, ...headers };
  if (merged.authorization === '') delete merged.authorization;
  return merged;
}

/**
 * Tests register providers by hand on loopback (simulators, tiny servers), which the egress policy
 * refuses by default; the harnesses allow it explicitly. Tests of the policy itself override it.
 */
export const LOOPBACK_EGRESS: Record<string, string> = { PROVIDER_EGRESS_ALLOW: '127.0.0.1/32' };

/**
 * Starts the real API on a free port against the run's test database; with `gateway`, serving the inference
 * gateway's routes too, as main.ts does under API_SERVES_GATEWAY.
 */
export async function startApi(env: Record<string, string> = {}, options: { gateway?: boolean } = {}): Promise<Api> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: run the e2e tests through jest (global setup).');
  // Each API gets its own queues unless told otherwise, so tests never feed another process's worker.
  const queuePrefix = env.QUEUE_PREFIX ?? `test-${randomBytes(4).toString('hex')}`;
  const config = loadEnv(ApiConfig, {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: queuePrefix,
    PORT: '0',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'debug',
    MODELPLANE_BOOTSTRAP_ADMIN_KEY: TEST_ADMIN_KEY,
    ...LOOPBACK_EGRESS,
    ...env,
  });
  const logs = new LogCapture();
  const gateway = options.gateway
    ? loadEnv(GatewayConfig, { DATABASE_URL: databaseUrl, ...LOOPBACK_EGRESS, ...env })
    : undefined;
  const app = await createApp(config, { log: logs.options(), gateway });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    app,
    logs: logs.lines,
    async request(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: withAuth(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await app.close();
      // On PostgreSQL the queues are in the test's database, dropped with it.
      if (!env.QUEUE_PREFIX && config.QUEUE_BACKEND === 'redis') await obliterate(queuePrefix);
    },
  };
}

/** A unique, valid resource name. */
export function uniqueName(prefix = 'ws'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a fresh workspace for one test file, so tests never depend on each other. */
export async function newWorkspace(api: Api, prefix = 'ws'): Promise<string> {
  const name = uniqueName(prefix);
  const res = await api.request('POST', '/v2/workspaces', { name });
  if (res.status !== 201) throw new Error(`workspace create failed: ${res.status} ${res.text}`);
  return name;
}

export const nimConfig = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  engine: 'nim',
  model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
  executor_config: { gpu: 1, image_name: 'nvcr.io/nim/meta/llama-3.1-8b-instruct', image_tag: '1.8.5' },
  ...overrides,
});

/** Removes a test's queues from Redis. */
export async function obliterate(prefix: string): Promise<void> {
  const queue = new Queue(RECONCILE_QUEUE, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
}
