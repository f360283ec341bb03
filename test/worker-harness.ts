import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, WorkerConfig } from '#config';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { LocalRuntime } from '#runtime';
import type { LogOptions } from '#telemetry';
import { createWorker } from '../apps/worker/src/worker.factory.js';
import { LOOPBACK_EGRESS, obliterate, startApi, type Api } from './api-harness.js';

/**
 * Settings that make lifecycles fast enough for tests, and no health port (several workers run at
 * once, in this process and others); each test may override.
 */
export const FAST_LIFECYCLE: Record<string, string> = {
  WORKER_HEALTH_PORT: '0',
  POLL_INTERVAL_MS: '150',
  RESYNC_INTERVAL_MS: '2000',
  HEALTH_TIMEOUT_MS: '8000',
  PENDING_TIMEOUT_MS: '4000',
  CRASH_LOOP_RESTARTS: '3',
  DRIFT_MAX_ATTEMPTS: '2',
  DISCOVERY_TIMEOUT_MS: '2000',
  LOCAL_RUNTIME_RESTART_BACKOFF_MS: '100',
};

export interface ControlPlane {
  api: Api;
  worker: INestApplicationContext;
  /** Environment the worker ran with (for spawning another one on the same queues and state). */
  env: Record<string, string>;
  stateDir: string;
  stopWorker(): Promise<void>;
  startWorker(extra?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real API and a real worker (in this process) on their own queue prefix
 * and runtime state directory, against the run's test database and the
 * local Redis (with QUEUE_BACKEND=postgres in both `extra` and `apiEnv`: the
 * queue in that database instead). Instances are real processes of the NIM
 * simulator. `extra` configures the worker, `apiEnv` the API, `workerLog`
 * where and how much the worker logs.
 */
export async function startControlPlane(
  extra: Record<string, string> = {},
  apiEnv: Record<string, string> = {},
  { workerLog = { level: 'warn' } }: { workerLog?: LogOptions } = {},
): Promise<ControlPlane> {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'modelplane-runtime-'));
  // A database of its own: the worker's resync reconciles every deployment it can see, so
  // on the run's shared database it would pick up other files' deployments.
  const databaseUrl = await createTestDatabase('modelplane_plane');
  await applyMigrations({ databaseUrl, ...migrationPaths() });
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    LOCAL_RUNTIME_STATE_DIR: stateDir,
    LOG_LEVEL: 'warn',
    ...FAST_LIFECYCLE,
    ...LOOPBACK_EGRESS,
    ...extra,
  };
  const api = await startApi({ ...apiEnv, QUEUE_PREFIX: prefix, DATABASE_URL: databaseUrl });
  let worker: INestApplicationContext | undefined = await createWorker(loadEnv(WorkerConfig, env), {
    log: workerLog,
  });
  const plane: ControlPlane = {
    api,
    get worker() {
      return worker as INestApplicationContext;
    },
    env,
    stateDir,
    async stopWorker() {
      await worker?.close();
      worker = undefined;
    },
    async startWorker(more = {}) {
      worker = await createWorker(loadEnv(WorkerConfig, { ...env, ...more }), { log: workerLog });
    },
    async close() {
      // Instances outlive the worker. Stop the worker first, so no reconcile recreates what is being
      // deleted, then let a runtime of its own adopt and delete every instance of this state directory.
      await worker?.close();
      worker = undefined;
      const sweeper = new LocalRuntime({
        stateDir,
        logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
      });
      for (const instance of await sweeper.list()) await sweeper.delete(instance.instanceId);
      await sweeper.close();
      await api.close();
      // On PostgreSQL (QUEUE_BACKEND=postgres) the queues are in the plane's database, dropped next.
      if (env.QUEUE_BACKEND !== 'postgres') await obliterate(prefix);
      await dropTestDatabase(databaseUrl);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return plane;
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

// ─── Worker and simulator processes (resilience tests) ───────────────────────
// Imports are declarations: they apply to the whole module wherever they sit.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTANCE_ID_VAR, STATE_DIR_VAR } from '#runtime';

const PROJECT_ROOT = resolvePath(dirname(fileURLToPath(import.meta.url)), '..');

/** A child process with its output kept, which can be killed and awaited. */
export interface ChildHandle {
  readonly pid: number;
  readonly child: ChildProcess;
  /** stdout and stderr lines so far (the oldest dropped past 5000). */
  readonly output: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (already printed or to come) that matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` (default SIGKILL) unless it has exited, and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnChild(command: string, args: string[], env: Record<string, string>): ChildHandle {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`cannot start ${command}`);
  const output: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let exitState: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done((exitState = { code, signal }))),
  );
  const onData = (() => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (output.length > 5000) output.shift();
        for (const watch of watchers) watch(line);
      }
    };
  })();
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    pid: child.pid,
    child,
    output,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000) {
      const seen = output.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((done, fail) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          fail(
            new Error(
              `${command}: no output matching ${pattern} within ${timeoutMs} ms; last:\n${output.slice(-30).join('\n')}`,
            ),
          );
        }, timeoutMs);
        const watch = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          done(line);
        };
        watchers.add(watch);
        void exited.then(() => {
          if (!watchers.has(watch)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          fail(new Error(`${command} exited before printing ${pattern}; last:\n${output.slice(-30).join('\n')}`));
        });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (exitState === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * The worker as its own process (`node dist/apps/worker/src/main.js`, so run
 * the build first), with only `env` (plus PATH and HOME) as its environment.
 * Resolves once it runs (needs LOG_LEVEL=log or lower for the start line),
 * or at once with `waitUntilRunning: false`.
 */
export async function spawnWorkerProcess(
  env: Record<string, string>,
  { waitUntilRunning = true }: { waitUntilRunning?: boolean } = {},
): Promise<ChildHandle> {
  const worker = spawnChild(process.execPath, [resolvePath(PROJECT_ROOT, 'dist/apps/worker/src/main.js')], {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...env,
  });
  if (!waitUntilRunning) return worker;
  try {
    await worker.waitForOutput(/Modelplane worker running/, 30_000);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RedisServer extends ChildHandle {
  port: number;
  url: string;
}

/** A private, throw-away `redis-server` (no persistence) on a free port, or on `port` (to bring one back). */
export async function startRedisServer(fixedPort?: number): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const server = spawnChild(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    );
    try {
      await server.waitForOutput(/Ready to accept connections/, 10_000);
      return Object.assign(server, { port, url: `redis://127.0.0.1:${port}` });
    } catch (error) {
      await server.kill();
      if (attempt >= 3 || fixedPort !== undefined) throw error; // the port was taken in between: try another
    }
  }
}

export interface OwnedProcess {
  pid: number;
  instanceId: string;
  stateDir: string;
}

/**
 * Every live process that carries the local runtime's ownership mark (of
 * `stateDir`, or of any state directory without it): the instances' servers
 * and anything they started, read from /proc, so whatever a test leaves
 * behind shows up here.
 */
export function ownedProcesses(stateDir?: string): OwnedProcess[] {
  const found: OwnedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // A zombie's environment reads empty, so it never matches.
      const vars = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const dir = vars.find((v) => v.startsWith(`${STATE_DIR_VAR}=`))?.slice(STATE_DIR_VAR.length + 1);
      if (dir === undefined || (stateDir !== undefined && dir !== stateDir)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z' || state === 'X') continue;
      const id = vars.find((v) => v.startsWith(`${INSTANCE_ID_VAR}=`))?.slice(INSTANCE_ID_VAR.length + 1) ?? '';
      found.push({ pid: Number(name), instanceId: id, stateDir: dir });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}
