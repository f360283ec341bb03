import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { newWorkspace } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(90_000);

/**
 * The lifecycle walk-through with the job queue on BullMQ's PostgreSQL backend (QUEUE_BACKEND=postgres,
 * what `npm start` runs without REDIS_URL): a real API and worker, the local runtime, NIM simulators. REDIS_URL
 * points at a listener that counts connections, so "no Redis" is checked, not assumed.
 */
describe('deployment lifecycle with the queue in PostgreSQL (no Redis)', () => {
  let plane: ControlPlane;
  let ws: string;
  let redisConnections = 0;
  let fakeRedis: Server;
  const base = () => `/v2/workspaces/${ws}`;

  beforeAll(async () => {
    fakeRedis = createServer((socket) => {
      redisConnections++;
      socket.destroy();
    });
    await new Promise<void>((done) => fakeRedis.listen(0, '127.0.0.1', done));
    const address = fakeRedis.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const queueEnv = { QUEUE_BACKEND: 'postgres', REDIS_URL: `redis://127.0.0.1:${port}` };
    plane = await startControlPlane(queueEnv, queueEnv);
    ws = await newWorkspace(plane.api, 'pgq');
  });
  afterAll(async () => {
    await plane?.close();
    await new Promise<void>((done) => fakeRedis.close(() => done()));
  });

  async function waitFor(name: string, statuses = 'READY,FAILED', timeout = 30) {
    const res = await plane.api.request('GET', `${base()}/deployments/${name}?wait_for=${statuses}&timeout=${timeout}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  const config = (envs: Record<string, string> = {}) =>
    plane.api.request('POST', `${base()}/deployment-configs${envs.SIM_START_DELAY_MS ? '/walk' : ''}`, {
      ...(envs.SIM_START_DELAY_MS ? {} : { name: 'walk' }),
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: envs },
    });

  it('reports the queue as ready under its own name', async () => {
    const res = await plane.api.request('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } });
  });

  it('creates, reaches READY, rolls out a new version, deletes: all through the PostgreSQL queue', async () => {
    expect((await config()).status).toBe(201);
    expect((await plane.api.request('POST', `${base()}/deployments`, { name: 'walk', config: 'walk' })).status).toBe(
      201,
    );
    const v1 = await waitFor('walk');
    expect(v1.status).toBe('READY');
    expect(v1.status_history.map((h: { status: string }) => h.status)).toEqual(['CREATED', 'PENDING', 'READY']);

    // A new version: v2 becomes READY and serving, v1 is retired.
    expect((await config({ SIM_START_DELAY_MS: '300' })).status).toBe(201);
    const created = await plane.api.request('POST', `${base()}/deployments/walk`, { config: 'walk' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ entity_version: 2, serving_version: 1 });
    expect(await waitFor('walk')).toMatchObject({ entity_version: 2, status: 'READY', serving_version: 2 });
    await eventually(
      async () => (await plane.api.request('GET', `${base()}/deployments/walk/versions/1`)).body.status === 'DELETED',
    );

    expect((await plane.api.request('DELETE', `${base()}/deployments/walk`)).status).toBe(202);
    expect((await waitFor('walk', 'DELETED')).status).toBe('DELETED');
    expect((await plane.api.request('GET', `${base()}/providers/walk`)).status).toBe(404);
  });

  it('never opened a connection to Redis', () => {
    expect(redisConnections).toBe(0);
  });
});
