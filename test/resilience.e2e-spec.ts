import { jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadEnv, WorkerConfig } from '#config';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { RECONCILE_QUEUE } from '#queue';
import { LocalRuntime } from '#runtime';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { createWorker } from '../apps/worker/src/worker.factory.js';
import { newWorkspace, obliterate, startApi, type Api } from './api-harness.js';
import {
  eventually,
  FAST_LIFECYCLE,
  ownedProcesses,
  spawnWorkerProcess,
  startRedisServer,
  type ChildHandle,
  type OwnedProcess,
  type RedisServer,
} from './worker-harness.js';

jest.setTimeout(120_000);

/**
 * Resilience of the deployment lifecycle: the worker SIGKILLed at every
 * state and in the middle of a rollout, Redis flushed under it, and a burst
 * of deployments at once. Real API, real workers, real simulator processes;
 * every check ends with the processes themselves (read from /proc), so an
 * orphaned or duplicated instance cannot hide behind a correct status.
 *
 * Each control plane here has a database of its own: a worker's resync
 * reconciles every unsettled deployment of its database, so on the run's
 * shared database it would also run (and be disturbed by) other files'
 * deployments.
 */

const QUIET = { log: () => undefined, warn: () => undefined, error: () => undefined };
const MODEL = { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' };

type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const statuses = (d: Body): string[] => d.status_history.map((h: { status: string }) => h.status);

/** The deployment API of one workspace. */
class Deployments {
  constructor(
    readonly api: Api,
    readonly ws: string,
  ) {}

  get base(): string {
    return `/v2/workspaces/${this.ws}`;
  }

  instanceId(name: string, version: number): string {
    return `${this.ws}.${name}.v${version}`;
  }

  async config(name: string, envs: Record<string, string> = {}): Promise<void> {
    const res = await this.api.request('POST', `${this.base}/deployment-configs`, {
      name,
      engine: 'nim',
      model_spec: MODEL,
      executor_config: { gpu: 1, additional_envs: envs },
    });
    expect(res.status).toBe(201);
  }

  async configVersion(name: string, envs: Record<string, string>): Promise<void> {
    const res = await this.api.request('POST', `${this.base}/deployment-configs/${name}`, {
      engine: 'nim',
      model_spec: MODEL,
      executor_config: { gpu: 1, additional_envs: envs },
    });
    expect(res.status).toBe(201);
  }

  async create(name: string, config = name): Promise<Body> {
    const res = await this.api.request('POST', `${this.base}/deployments`, { name, config });
    expect(res.status).toBe(201);
    return res.body;
  }

  async update(name: string, config = name): Promise<Body> {
    const res = await this.api.request('POST', `${this.base}/deployments/${name}`, { config });
    expect(res.status).toBe(201);
    return res.body;
  }

  async get(name: string, version?: number): Promise<Body> {
    const res = await this.api.request(
      'GET',
      `${this.base}/deployments/${name}${version === undefined ? '' : `/versions/${version}`}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  /** The latest version once its status is one of `wanted`, or as it is after `timeoutS`. */
  async waitFor(name: string, wanted: string, timeoutS = 60): Promise<Body> {
    const res = await this.api.request(
      'GET',
      `${this.base}/deployments/${name}?wait_for=${wanted}&timeout=${timeoutS}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  async delete(name: string): Promise<void> {
    const res = await this.api.request('DELETE', `${this.base}/deployments/${name}`);
    expect(res.status).toBe(202);
  }

  /** The latest version of every deployment of the workspace. */
  async list(): Promise<Body[]> {
    const res = await this.api.request('GET', `${this.base}/deployments?page_size=1000`);
    expect(res.status).toBe(200);
    return res.body.data;
  }

  async providers(filter = ''): Promise<Body[]> {
    const res = await this.api.request('GET', `${this.base}/providers?page_size=1000${filter}`);
    expect(res.status).toBe(200);
    expect(res.body.pagination.total_results).toBe(res.body.data.length);
    return res.body.data;
  }

  /**
   * The deployment's provider, found the way a client finds it (filtered by
   * `model_deployment_id`): exactly one, named after the deployment (a
   * duplicate would get a `{name}_{hex}` name) and pointing at `hostUrl`;
   * with `hostUrl` null, none.
   */
  async expectProvider(name: string, hostUrl: string | null): Promise<void> {
    const ref = `${this.ws}/${name}`;
    const mine = await this.providers(`&filter[model_deployment_id]=${encodeURIComponent(ref)}`);
    if (hostUrl === null) {
      expect(mine).toEqual([]);
      return;
    }
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ name, model_deployment_id: ref, host_url: hostUrl, status: 'READY' });
  }
}

/**
 * One control plane: an API in this process and a worker (a child process
 * that can be SIGKILLed, or in this process), on their own database, queue
 * prefix, runtime state directory and workspace.
 */
interface Plane {
  prefix: string;
  stateDir: string;
  databaseUrl: string;
  redisUrl: string | null;
  env: Record<string, string>;
  api: Api;
  d: Deployments;
  worker: ChildHandle | null;
  workers: ChildHandle[];
  inProcess: INestApplicationContext | null;
  closed: boolean;
}

const planes: Partial<Plane>[] = [];
/** How long recoveries took, for the log. */
const timings: string[] = [];
const redisServers: RedisServer[] = [];

async function startPlane(label: string, settings: Record<string, string> = {}): Promise<Plane> {
  const plane: Partial<Plane> = {
    prefix: `test-${randomBytes(4).toString('hex')}`,
    stateDir: mkdtempSync(join(tmpdir(), 'modelplane-resilience-')),
    redisUrl: settings.REDIS_URL ?? null,
    workers: [],
    worker: null,
    inProcess: null,
    closed: false,
  };
  planes.push(plane); // cleaned up in afterAll, however far this gets
  plane.databaseUrl = await createTestDatabase('modelplane_resilience');
  await applyMigrations({ databaseUrl: plane.databaseUrl, ...migrationPaths() });
  const shared = {
    DATABASE_URL: plane.databaseUrl,
    QUEUE_PREFIX: plane.prefix as string,
    ...(settings.REDIS_URL ? { REDIS_URL: settings.REDIS_URL } : {}),
  };
  plane.env = {
    ...shared,
    LOCAL_RUNTIME_STATE_DIR: plane.stateDir as string,
    LOG_LEVEL: 'log', // the worker's start line, and the "adopted pid …" lines the tests look for
    ...FAST_LIFECYCLE,
    // A busy machine must not turn a slow start into a FAILED version here.
    HEALTH_TIMEOUT_MS: '60000',
    // These tests look at the DELETED state they converge to (lists, a second DELETE): keep it readable.
    // The removal itself is deployment-removal.e2e-spec.ts's.
    DELETED_DEPLOYMENT_RETENTION_SECONDS: '3600',
    ...settings,
  };
  plane.api = await startApi(shared);
  plane.d = new Deployments(plane.api, await newWorkspace(plane.api, label));
  return plane as Plane;
}

async function startWorker(p: Plane, options?: { waitUntilRunning?: boolean }): Promise<ChildHandle> {
  const worker = await spawnWorkerProcess(p.env, options);
  p.worker = worker;
  p.workers.push(worker);
  return worker;
}

async function killWorker(p: Plane): Promise<void> {
  const worker = p.worker;
  p.worker = null;
  await worker?.kill('SIGKILL');
  expect((await worker?.exited)?.signal).toBe('SIGKILL');
}

/**
 * Stops a control plane and everything it started: its workers, every
 * instance (a runtime on its state directory takes them over, then deletes
 * each, as an operator would), its API, queues, database and state
 * directory. Answers the processes still there once the instances were
 * deleted (killed too, so nothing outlives the run): those ran unrecorded.
 */
async function closePlane(p: Partial<Plane>): Promise<OwnedProcess[]> {
  if (p.closed) return [];
  p.closed = true;
  for (const worker of p.workers ?? []) await worker.kill('SIGKILL');
  await p.inProcess?.close();
  let left: OwnedProcess[] = [];
  if (p.stateDir) {
    if (existsSync(join(p.stateDir, 'instances'))) {
      const runtime = new LocalRuntime({ stateDir: p.stateDir, logger: QUIET });
      await runtime.init();
      for (const instance of await runtime.list()) await runtime.delete(instance.instanceId);
      await runtime.close();
    }
    left = ownedProcesses(p.stateDir);
    for (const proc of left) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  // A long-poll left open by a failed test must not hold the close up.
  p.api?.app.getHttpServer().closeAllConnections();
  await p.api?.close();
  if (p.prefix && p.redisUrl === null) await obliterate(p.prefix);
  if (p.databaseUrl) await dropTestDatabase(p.databaseUrl);
  if (p.stateDir) rmSync(p.stateDir, { recursive: true, force: true });
  return left;
}

/**
 * The most processes seen at once per instance id, sampled from /proc all
 * along the run: one version must never have two instances, not even for a
 * moment during a recovery.
 */
const peak = new Map<string, number>();
const sampler = setInterval(() => {
  const counts = new Map<string, number>();
  for (const p of ownedProcesses()) {
    if (planes.some((plane) => plane.stateDir === p.stateDir))
      counts.set(p.instanceId, (counts.get(p.instanceId) ?? 0) + 1);
  }
  for (const [id, n] of counts) peak.set(id, Math.max(peak.get(id) ?? 0, n));
}, 300);
sampler.unref();

/** Instances of a workspace seen with more than one process at once. */
const duplicated = (ws: string): [string, number][] => [...peak].filter(([id, n]) => id.startsWith(`${ws}.`) && n > 1);

afterAll(async () => {
  clearInterval(sampler);
  // Planes a failed test left open: deleting every instance their runtimes knew of must leave no process.
  const leftovers: OwnedProcess[] = [];
  for (const p of planes) leftovers.push(...(await closePlane(p)));
  for (const redis of redisServers) await redis.kill('SIGKILL');
  process.stdout.write(`[resilience] ${timings.join('; ')}\n`);
  expect(leftovers).toEqual([]);
  if (planes.length > 0) expect(peak.size).toBeGreaterThan(0); // the sampler did see instances
  expect([...peak].filter(([, n]) => n > 1)).toEqual([]);
});

/** Instance ids with an instance record in the state directory. */
function records(stateDir: string): string[] {
  const dir = join(stateDir, 'instances');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

const running = (stateDir: string): string[] =>
  ownedProcesses(stateDir)
    .map((p) => p.instanceId)
    .sort();

/**
 * Exactly the `expected` instances run, one process each, nothing else
 * carries this state directory's mark, and the records agree; and it stays
 * so for `holdMs`: converged means settled, not passing through.
 */
async function expectInstances(stateDir: string, expected: string[], holdMs = 1500): Promise<void> {
  const want = [...expected].sort();
  const deadline = Date.now() + holdMs;
  for (;;) {
    expect(running(stateDir)).toEqual(want);
    expect(records(stateDir)).toEqual(want);
    if (Date.now() >= deadline) return;
    await sleep(250);
  }
}

/** Polls a synchronous condition tightly, to catch a moment (a process appearing, a log line). */
async function catchMoment<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/** Waits until every deployment's latest version is `wanted`; fails at once when one is FAILED. */
async function allReach(d: Deployments, names: string[], wanted: string, timeoutMs: number): Promise<Body[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = (await d.list()).filter((x) => names.includes(x.name));
    const failed = mine.filter((x) => x.status === 'FAILED');
    if (failed.length > 0) throw new Error(`FAILED: ${failed.map((x) => `${x.name}: ${x.status_message}`).join('; ')}`);
    if (mine.length === names.length && mine.every((x) => x.status === wanted)) return mine;
    if (Date.now() > deadline) {
      const counts: Record<string, number> = {};
      for (const x of mine) counts[x.status] = (counts[x.status] ?? 0) + 1;
      throw new Error(`not all ${wanted} within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    }
    await sleep(500);
  }
}

const chat = (endpoint: string) =>
  fetch(`${endpoint}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'meta/llama-3.1-8b-instruct', messages: [{ role: 'user', content: 'hi' }] }),
  });

async function chatStatus(endpoint: string): Promise<number> {
  const res = await chat(endpoint);
  await res.text();
  return res.status;
}

/**
 * Notes how long a recovery took from the moment the new worker ran, and
 * bounds it: a stalled job's lock lifetime (10 s) plus a few stalled-job
 * checks (every RESYNC_INTERVAL_MS, 2 s), with room for a busy machine.
 * (With BullMQ's default lock settings this took 84 and 140 s.)
 */
function recovered(what: string, since: number): void {
  const ms = Date.now() - since;
  timings.push(`${what} recovered in ${ms} ms`);
  expect(ms).toBeLessThan(45_000);
}

// ─── The worker SIGKILLed ────────────────────────────────────────────────────

/**
 * A kill in the middle of a reconcile job leaves that job "active" in Redis,
 * and the deployment's deduplicated re-enqueues (the resync's, the API's)
 * wait behind it until the stalled-job check hands it to the next worker:
 * the recoveries below take a lock's lifetime (10 s) longer than the others.
 */
describe('worker SIGKILLed at each state, then started again', () => {
  it('CREATED: killed as it picks the deployment up, converges to READY', async () => {
    const p = await startPlane('kcreated');
    const { d } = p;
    const id = d.instanceId('created', 1);
    await d.config('created');
    // No worker yet: the deployment waits in CREATED with its job in the queue.
    await d.create('created');
    expect((await d.get('created')).status).toBe('CREATED');

    await startWorker(p, { waitUntilRunning: false });
    // Killed the moment its instance process exists: the job is in the middle of `apply`,
    // before or just as PENDING is written, and the record may not yet say the process runs.
    await catchMoment('the instance process', () => running(p.stateDir).includes(id));
    await killWorker(p);
    expect(['CREATED', 'PENDING']).toContain((await d.get('created')).status);

    await startWorker(p);
    const since = Date.now();
    const ready = await d.waitFor('created', 'READY,FAILED');
    expect(ready.status).toBe('READY');
    recovered('CREATED', since);
    expect(statuses(ready)).toEqual(['CREATED', 'PENDING', 'READY']);
    await d.expectProvider('created', ready.endpoint);
    expect(await chatStatus(ready.endpoint)).toBe(200);
    await expectInstances(p.stateDir, [id]);
    expect(duplicated(d.ws)).toEqual([]);
    expect(await closePlane(p)).toEqual([]);
  });

  it('PENDING: killed while the instance starts, the new worker adopts it and it goes READY', async () => {
    const p = await startPlane('kpending');
    const { d } = p;
    const id = d.instanceId('pending', 1);
    await d.config('pending', { SIM_START_DELAY_MS: '2500' });
    await startWorker(p);
    await d.create('pending');
    const [proc] = await eventually(async () => {
      const procs = ownedProcesses(p.stateDir);
      return (await d.get('pending')).status === 'PENDING' && procs.length > 0 && procs;
    });
    expect(proc.instanceId).toBe(id);
    await killWorker(p);
    expect((await d.get('pending')).status).toBe('PENDING');

    const worker = await startWorker(p);
    const since = Date.now();
    const ready = await d.waitFor('pending', 'READY,FAILED');
    expect(ready.status).toBe('READY');
    recovered('PENDING', since);
    expect(statuses(ready)).toEqual(['CREATED', 'PENDING', 'READY']);
    // The starting process was taken over, not started a second time.
    expect(worker.output.some((line) => line.includes(`${id}: adopted pid ${proc.pid} `))).toBe(true);
    await d.expectProvider('pending', ready.endpoint);
    await expectInstances(p.stateDir, [id]);
    expect(ownedProcesses(p.stateDir)).toEqual([proc]);
    expect(duplicated(d.ws)).toEqual([]);
    expect(await closePlane(p)).toEqual([]);
  });

  it('READY: killed while serving, the new worker adopts the instance and nothing moves', async () => {
    const p = await startPlane('kready');
    const { d } = p;
    const id = d.instanceId('ready', 1);
    await d.config('ready');
    await startWorker(p);
    await d.create('ready');
    const ready = await d.waitFor('ready', 'READY,FAILED');
    expect(ready.status).toBe('READY');
    const [proc] = ownedProcesses(p.stateDir);
    expect(proc.instanceId).toBe(id);

    await killWorker(p);
    // The instance outlives its worker and keeps serving.
    expect(await chatStatus(ready.endpoint)).toBe(200);

    const worker = await startWorker(p);
    await worker.waitForOutput(new RegExp(`${id.replace(/\./g, '\\.')}: adopted pid ${proc.pid} `));
    // Held past a resync (every 2 s, READY deployments included): no blip, no restart.
    await expectInstances(p.stateDir, [id], 3000);
    expect(ownedProcesses(p.stateDir)).toEqual([proc]);
    const after = await d.get('ready');
    expect(after).toMatchObject({ status: 'READY', endpoint: ready.endpoint });
    expect(after.status_history).toEqual(ready.status_history);
    await d.expectProvider('ready', ready.endpoint);
    expect(await chatStatus(ready.endpoint)).toBe(200);
    expect(duplicated(d.ws)).toEqual([]);
    expect(await closePlane(p)).toEqual([]);
  });

  it('DELETING: killed while it stops the instance, converges to DELETED with nothing left', async () => {
    const p = await startPlane('kdeleting');
    const { d } = p;
    const id = d.instanceId('deleting', 1);
    // The simulator keeps serving 4 s after SIGTERM: the worker is caught waiting for it to go.
    await d.config('deleting', { SIM_EXIT_ON_SIGTERM_DELAY_MS: '4000' });
    await startWorker(p);
    await d.create('deleting');
    const ready = await d.waitFor('deleting', 'READY,FAILED');
    expect(ready.status).toBe('READY');

    await d.delete('deleting');
    const log = join(p.stateDir, 'logs', `${id}.log`);
    await catchMoment('SIGTERM in the instance log', () => readFileSync(log, 'utf8').includes('SIGTERM received'));
    await killWorker(p);
    expect((await d.get('deleting')).status).toBe('DELETING');
    expect(running(p.stateDir)).toEqual([id]); // still draining

    await startWorker(p);
    const since = Date.now();
    const deleted = await d.waitFor('deleting', 'DELETED');
    expect(deleted.status).toBe('DELETED');
    recovered('DELETING', since);
    expect(statuses(deleted)).toEqual(['CREATED', 'PENDING', 'READY', 'DELETING', 'DELETED']);
    await d.expectProvider('deleting', null);
    await expectInstances(p.stateDir, []);
    expect(duplicated(d.ws)).toEqual([]);
    // Deleting it again removes the records for good.
    expect((await p.api.request('DELETE', `${d.base}/deployments/deleting`)).status).toBe(204);
    expect(await closePlane(p)).toEqual([]);
  });

  it('mid-rollout: killed while v2 starts, v1 serves until v2 is READY, then v1 is retired', async () => {
    const p = await startPlane('kroll');
    const { d } = p;
    const id1 = d.instanceId('roll', 1);
    const id2 = d.instanceId('roll', 2);
    await d.config('roll');
    await startWorker(p);
    await d.create('roll');
    const v1 = await d.waitFor('roll', 'READY,FAILED');
    expect(v1.status).toBe('READY');

    await d.configVersion('roll', { SIM_START_DELAY_MS: '2500' });
    expect((await d.update('roll')).entity_version).toBe(2);
    await eventually(async () => running(p.stateDir).includes(id2));

    // Traffic straight at v1 from here on, each request timed.
    const probes: { start: number; end: number; ok: boolean }[] = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        const start = Date.now();
        const ok = await chatStatus(v1.endpoint).then(
          (status) => status === 200,
          () => false,
        );
        probes.push({ start, end: Date.now(), ok });
        await sleep(25);
      }
    })();

    await killWorker(p);
    const killedAt = Date.now();
    expect((await d.get('roll', 1)).status).toBe('READY');
    expect((await d.get('roll', 2)).status).toBe('PENDING');
    await sleep(500); // a while with no worker at all
    const restartedAt = Date.now();

    await startWorker(p);
    const since = Date.now();
    const v2 = await d.waitFor('roll', 'READY,FAILED');
    expect(v2).toMatchObject({ entity_version: 2, status: 'READY' });
    const old = await eventually(async () => {
      const v = await d.get('roll', 1);
      return v.status === 'DELETED' && v;
    }, 60_000);
    recovered('mid-rollout', since);
    stop = true;
    await traffic;

    // v1 answered every request that ended before v2 was READY, including while no worker ran.
    const readyAt = Date.parse([...v2.status_history].reverse().find((h: Body) => h.status === 'READY').timestamp);
    expect(probes.filter((x) => !x.ok && x.end < readyAt)).toEqual([]);
    expect(probes.filter((x) => x.ok && x.start >= killedAt && x.end <= restartedAt).length).toBeGreaterThan(0);
    expect(probes.filter((x) => x.ok).length).toBeGreaterThan(10);
    expect(statuses(old)).toEqual(['CREATED', 'PENDING', 'READY', 'DELETING', 'DELETED']);
    expect(statuses(v2)).not.toContain('FAILED');
    expect(v2.endpoint).not.toBe(v1.endpoint);
    await d.expectProvider('roll', v2.endpoint);
    expect(await chatStatus(v2.endpoint)).toBe(200);
    await expectInstances(p.stateDir, [id2]);
    expect(running(p.stateDir)).not.toContain(id1);
    expect(duplicated(d.ws)).toEqual([]);
    expect(await closePlane(p)).toEqual([]);
  });
});

// ─── Redis flushed ───────────────────────────────────────────────────────────

describe('Redis flushed while deployments are in flight', () => {
  let p: Plane;
  let redis: RedisServer;
  let admin: Redis;
  let queue: Queue;

  /** Parks every reconcile job in Redis: pauses the queue and waits until none runs. */
  async function park(): Promise<void> {
    await queue.pause();
    await eventually(async () => (await queue.getActiveCount()) === 0);
  }

  beforeAll(async () => {
    // A private Redis: the shared one on 6379 holds other test files' queues.
    redis = await startRedisServer();
    redisServers.push(redis);
    p = await startPlane('flush', { REDIS_URL: redis.url, RESYNC_INTERVAL_MS: '1000' });
    p.inProcess = await createWorker(loadEnv(WorkerConfig, p.env), { log: { level: 'error' } });
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    queue = new Queue(RECONCILE_QUEUE, { connection: { host: '127.0.0.1', port: redis.port }, prefix: p.prefix });
  });
  afterAll(async () => {
    await queue.close();
    admin.disconnect();
    expect(await closePlane(p)).toEqual([]);
  });

  const pending = ['flush-a', 'flush-b', 'flush-c', 'flush-d'];
  /** Where jobs wait in Redis until a worker takes them. */
  const WAITING: JobType[] = ['wait', 'delayed', 'prioritized'];

  it('FLUSHALL while deployments are PENDING: the periodic resync re-enqueues them and they go READY', async () => {
    const { d } = p;
    await d.config('steady');
    await d.create('steady');
    expect((await d.waitFor('steady', 'READY,FAILED', 30)).status).toBe('READY');
    await d.config('slow', { SIM_START_DELAY_MS: '4000' });
    await Promise.all(pending.map((name) => d.create(name, 'slow')));
    await eventually(async () => {
      const listed = (await d.list()).filter((x) => pending.includes(x.name));
      return listed.length === 4 && listed.every((x) => x.status === 'PENDING') && running(p.stateDir).length === 5;
    });
    const pids = ownedProcesses(p.stateDir);

    // A first flush with jobs in flight, as it would come.
    await admin.flushall();
    // Then one that takes every job: all parked in Redis (one per deployment, the resync
    // having replaced those the first flush took), none running, so only the resync can
    // bring them back.
    await park();
    await eventually(async () => (await queue.getJobCountByTypes(...WAITING)) === 5);
    // While parked nothing moves: the flush finds them PENDING.
    const before = (await d.list()).filter((x) => pending.includes(x.name));
    expect(before.map((x) => x.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
    await admin.flushall(); // the pause goes with it

    const healed = Date.now();
    const ready = await Promise.all(pending.map((name) => d.waitFor(name, 'READY,FAILED', 60)));
    expect(ready.map((x) => x.status)).toEqual(['READY', 'READY', 'READY', 'READY']);
    const healedMs = Date.now() - healed;
    timings.push(`flushed PENDING deployments READY in ${healedMs} ms`);
    expect(healedMs).toBeLessThan(30_000);
    for (const x of ready) {
      expect(statuses(x)).toEqual(['CREATED', 'PENDING', 'READY']);
      await d.expectProvider(x.name, x.endpoint);
      expect(await chatStatus(x.endpoint)).toBe(200);
    }
    expect((await d.get('steady')).status).toBe('READY');
    // The instances were never touched: same processes, one each.
    expect(ownedProcesses(p.stateDir).sort((a, b) => a.pid - b.pid)).toEqual(pids.sort((a, b) => a.pid - b.pid));
    await expectInstances(
      p.stateDir,
      ['steady', ...pending].map((name) => d.instanceId(name, 1)),
    );
  });

  it('a delete whose reconcile job is flushed away still converges to DELETED', async () => {
    const { d } = p;
    await park();
    await d.delete('flush-a'); // its reconcile job now waits in Redis…
    const jobs = await queue.getJobs(WAITING);
    expect(jobs.map((j) => j.data.name)).toContain('flush-a');
    await admin.flushall(); // …and is gone

    const deleted = await d.waitFor('flush-a', 'DELETED', 60);
    expect(deleted.status).toBe('DELETED');
    expect(statuses(deleted)).toEqual(['CREATED', 'PENDING', 'READY', 'DELETING', 'DELETED']);
    await d.expectProvider('flush-a', null);
    expect((await d.providers()).map((x) => x.name).sort()).toEqual(['flush-b', 'flush-c', 'flush-d', 'steady']);
    await expectInstances(
      p.stateDir,
      ['steady', 'flush-b', 'flush-c', 'flush-d'].map((name) => d.instanceId(name, 1)),
    );
  });

  it('after the flushes the worker still takes new work at once', async () => {
    const { d } = p;
    const started = Date.now();
    await d.config('fresh');
    await d.create('fresh');
    const ready = await d.waitFor('fresh', 'READY,FAILED', 30);
    expect(ready.status).toBe('READY');
    expect(Date.now() - started).toBeLessThan(15_000);
    await d.expectProvider('fresh', ready.endpoint);
    expect(duplicated(d.ws)).toEqual([]);
  });
});

// ─── 50 at once ──────────────────────────────────────────────────────────────

describe('50 deployments created at once', () => {
  it('all converge to READY with one provider and one process each; deleted at once, all go', async () => {
    // The worker in its own process, so it has a core of its own beside this one's API.
    const p = await startPlane('bulk', { HEALTH_TIMEOUT_MS: '90000' });
    const { d } = p;
    await startWorker(p);
    await d.config('bulk');
    const names = Array.from({ length: 50 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
    const ids = names.map((name) => d.instanceId(name, 1));

    const t0 = Date.now();
    const created = await Promise.all(
      names.map((name) => p.api.request('POST', `${d.base}/deployments`, { name, config: 'bulk' })),
    );
    expect(created.map((r) => r.status)).toEqual(names.map(() => 201));
    const ready = await allReach(d, names, 'READY', 90_000);
    const readyMs = Date.now() - t0;

    const endpoints = new Map(ready.map((x) => [`${d.ws}/${x.name}`, x.endpoint as string]));
    expect(new Set(endpoints.values()).size).toBe(50);
    const providers = await d.providers();
    expect(providers.map((x) => x.model_deployment_id).sort()).toEqual(names.map((name) => `${d.ws}/${name}`));
    for (const provider of providers) {
      expect(provider.name).toBe(provider.model_deployment_id.split('/')[1]);
      expect(provider.host_url).toBe(endpoints.get(provider.model_deployment_id));
      expect(provider.status).toBe('READY');
      expect(provider.served_models).toEqual([
        { model_entity_id: `${d.ws}/meta-llama-3.1-8b-instruct`, served_model_name: 'meta/llama-3.1-8b-instruct' },
      ]);
    }
    expect(await Promise.all([...endpoints.values()].map(chatStatus))).toEqual(names.map(() => 200));
    await expectInstances(p.stateDir, ids, 1000);

    const t1 = Date.now();
    const deletes = await Promise.all(names.map((name) => p.api.request('DELETE', `${d.base}/deployments/${name}`)));
    expect(deletes.map((r) => r.status)).toEqual(names.map(() => 202));
    const deleted = await allReach(d, names, 'DELETED', 60_000);
    const deletedMs = Date.now() - t1;
    for (const x of deleted) expect(statuses(x).slice(-2)).toEqual(['DELETING', 'DELETED']);
    expect(await d.providers()).toEqual([]);
    const entity = (await p.api.request('GET', `${d.base}/models/meta-llama-3.1-8b-instruct`)).body;
    expect(entity.model_providers).toEqual([]);
    await expectInstances(p.stateDir, [], 1000);
    expect(duplicated(d.ws)).toEqual([]);
    expect(await closePlane(p)).toEqual([]);
    timings.push(`50 deployments READY in ${readyMs} ms, DELETED in ${deletedMs} ms`);
  });
});
