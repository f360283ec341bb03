/**
 * Lifecycle benchmark: N deployments of the NIM simulator (zero start delay)
 * through the real API and worker processes, for each N of BENCH_SIZES. Per N:
 * a fresh database, queue prefix and runtime state directory; the API and the
 * worker as separate processes (the worker's memory and CPU are read from
 * /proc); one config, N concurrent POSTs, then wait until every deployment is
 * READY. Prints time to all READY, control-plane time per deployment (POST to
 * READY minus the simulator's own start time, measured per instance),
 * enqueue-to-pickup latency of the reconcile jobs, worker memory and POST
 * latency, how each grows with N, where the time goes, and a teardown check
 * (delete all, wait for DELETED, no simulator of the run left).
 *
 *   npm run bench:lifecycle
 *   BENCH_SIZES=10,100 node dist/bench/lifecycle.bench.js
 *
 * Knobs (environment): BENCH_SIZES (10,100,500), BENCH_WORKER_CONCURRENCY (64),
 * BENCH_POLL_INTERVAL_MS (200), BENCH_WORKER_DB_POOL (10), BENCH_POST_CONCURRENCY (32),
 * BENCH_READY_TIMEOUT_S (900), BENCH_SIM_BASELINE_STARTS (20), BENCH_STEADY_S (10: how long
 * the worker's CPU is read with all N READY and nothing to do), BENCH_MODELS (shared: one config,
 * all deployments serve one model entity; distinct: a config and a model each), BENCH_QUIET_WAIT_S
 * (0: how long to wait for a shared machine to go idle before each N), BENCH_KEEP=1 keeps each run's
 * directory (worker log, instance logs, jobs.json, deployments.json), BENCH_PROFILE=1 writes CPU
 * profiles of the API and the worker there (profiles/*.cpuprofile; implies BENCH_KEEP).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { migrationPaths, projectRoot } from '#db';
import { applyMigrations } from '#db/migrations';
import { RECONCILE_QUEUE } from '#queue';
import { LocalRuntime, STATE_DIR_VAR } from '#runtime';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH } from './bench-auth.js';

const env = process.env;
const SIZES = (env.BENCH_SIZES ?? '10,100,500')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const WORKER_CONCURRENCY = Number(env.BENCH_WORKER_CONCURRENCY ?? 64);
const POLL_INTERVAL_MS = Number(env.BENCH_POLL_INTERVAL_MS ?? 200);
const WORKER_DB_POOL = Number(env.BENCH_WORKER_DB_POOL ?? 10);
const POST_CONCURRENCY = Number(env.BENCH_POST_CONCURRENCY ?? 32);
const READY_TIMEOUT_MS = Number(env.BENCH_READY_TIMEOUT_S ?? 900) * 1000;
const BASELINE_STARTS = Number(env.BENCH_SIM_BASELINE_STARTS ?? 20);
const KEEP = env.BENCH_KEEP === '1' || env.BENCH_PROFILE === '1';
const PROFILE = env.BENCH_PROFILE === '1';
const QUIET_WAIT_MS = Number(env.BENCH_QUIET_WAIT_S ?? 0) * 1000;
const QUIET_BUSY = 0.15;
const STEADY_MS = Number(env.BENCH_STEADY_S ?? 10) * 1000;
/** `shared`: every deployment serves the same model (one model entity); `distinct`: one config and model each. */
const MODELS = env.BENCH_MODELS === 'distinct' ? 'distinct' : 'shared';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WS = 'bench';
const WARM_UP_WS = 'warm-up';
const WARM_UP_DEPLOYMENTS = 5;
const CONFIG = 'sim';
const MODEL = 'meta/llama-3.1-8b-instruct';
const ROOT = projectRoot();
const SIMULATOR = join(ROOT, 'dist', 'apps', 'nim-sim', 'src', 'main.js');
const CLK_TCK = 100; // USER_HZ on Linux

// ---------------------------------------------------------------------------------------------- helpers

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const p50 = (v: number[]) => quantile(v, 0.5);
const p99 = (v: number[]) => quantile(v, 0.99);
const max = (v: number[]) => (v.length ? Math.max(...v) : NaN);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const s1 = (n: number) => (Number.isFinite(n) ? (n / 1000).toFixed(1) : '–');
const mib = (kib: number) => (Number.isFinite(kib) ? (kib / 1024).toFixed(0) : '–');

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function progress(line: string): void {
  process.stderr.write(`[lifecycle] ${line}\n`);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function bounded<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function http(method: string, url: string, body?: unknown): Promise<HttpResult> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? BENCH_AUTH : { 'content-type': 'application/json', ...BENCH_AUTH },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** User + system CPU seconds of a process (null when it is gone). */
function cpuSeconds(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU seconds of every process whose command line contains `needle` (e.g. the run's database name). */
function cpuOfMatching(needle: string): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle)) continue;
      total += cpuSeconds(Number(name)) ?? 0;
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU seconds and a short name of every process, to say whose load shared the machine with a run. */
function processCpu(): Map<number, { cpu: number; name: string }> {
  const all = new Map<number, { cpu: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const name = cmdline.length
        ? cmdline
            .slice(0, 3)
            .map((a) => a.replace(/^.*\/(node_modules\/)?/, ''))
            .join(' ')
            .slice(0, 60)
        : `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
      all.set(Number(entry), { cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, name });
    } catch {
      // gone
    }
  }
  return all;
}

/** The biggest CPU users over a phase that are not this run's, by name. */
function othersBetween(
  before: Map<number, { cpu: number; name: string }>,
  after: Map<number, { cpu: number; name: string }>,
  ours: Set<number>,
): { name: string; cpu: number }[] {
  const byName = new Map<string, number>();
  for (const [pid, a] of after) {
    if (ours.has(pid)) continue;
    const used = a.cpu - (before.get(pid)?.cpu ?? 0);
    if (used > 0) byName.set(a.name, (byName.get(a.name) ?? 0) + used);
  }
  return [...byName]
    .map(([name, cpu]) => ({ name, cpu }))
    .filter((o) => o.cpu >= 0.1)
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, 3);
}

interface CpuSnapshot {
  worker: number;
  api: number;
  postgres: number;
  redis: number;
  bench: number;
  machine: { busy: number; total: number };
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Every live process carrying the run's state directory marker (the simulators and anything they started). */
function markedPids(stateDir: string): number[] {
  const marker = `${STATE_DIR_VAR}=${stateDir}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(marker)) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * Waits (up to BENCH_QUIET_WAIT_S) until the machine is nearly idle over a 3 s
 * window: this run's processes are idle then, so what is busy is someone else's.
 */
async function waitForQuiet(): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  for (;;) {
    const a = machineCpu();
    await sleep(3000);
    const b = machineCpu();
    const busy = (b.busy - a.busy) / (b.total - a.total);
    if (busy <= QUIET_BUSY || Date.now() > deadline) {
      progress(
        `machine ${(busy * 100).toFixed(0)}% busy before the run${busy > QUIET_BUSY ? ' (gave up waiting for quiet)' : ''}`,
      );
      return;
    }
    progress(`machine ${(busy * 100).toFixed(0)}% busy (not this run): waiting for quiet`);
  }
}

/** Samples a process's resident memory every 250 ms; `peak` is the highest seen. */
class RssSampler {
  peak = 0;
  last = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  sample(): number {
    const kib = rssKiB(this.pid);
    if (kib !== null) {
      this.last = kib;
      this.peak = Math.max(this.peak, kib);
    }
    return this.last;
  }

  /** Starts a new peak from now (the create phase's peak excludes start-up). */
  reset(): void {
    this.peak = this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// ------------------------------------------------------------------------------------------- processes

interface Started {
  child: ChildProcess;
  pid: number;
}

function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The API as bench/api-server.ts runs it (the production app, warnings only), on a free port. */
function startApi(overrides: Record<string, string>, execArgv: string[]): Promise<Started & { url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(ROOT, 'dist', 'bench', 'api-server.js'), [], {
      env: { ...process.env, ...overrides },
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) =>
      resolve({ child, pid: child.pid as number, url: `http://127.0.0.1:${(m as { port: number }).port}` }),
    );
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
}

/**
 * The worker's own entry point; its output goes straight to `logPath` (a file, as a
 * service manager would give it: through a pipe the benchmark reads, a busy benchmark
 * would block the worker's log writes). Resolves once the log says it runs.
 */
function startWorker(overrides: Record<string, string>, logPath: string, execArgv: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const { LOCAL_RUNTIME_COMMAND: _, ...base } = process.env;
    const fd = openSync(logPath, 'a');
    const child = fork(join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js'), [], {
      env: { ...base, ...overrides },
      execArgv,
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    let running = false;
    const poll = setInterval(() => {
      if (readFileSync(logPath, 'utf8').includes('worker running')) {
        running = true;
        clearInterval(poll);
        resolve({ child, pid: child.pid as number });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      if (!running) reject(new Error(`the worker exited with ${code} before running; see ${logPath}`));
    });
  });
}

/**
 * The simulator's own start time, outside the control plane: spawn → its
 * "nim-sim: ready" line, one start at a time on an otherwise idle control plane.
 */
async function simulatorBaseline(starts: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const t0 = Date.now();
    const child = spawn(process.execPath, [SIMULATOR], {
      env: {
        PATH: env.PATH ?? '',
        HOME: env.HOME ?? '',
        PORT: '0',
        NIM_SERVED_MODEL_NAME: MODEL,
        SIM_START_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        if (line === 'nim-sim: ready') {
          times.push(Date.now() - t0);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the simulator exited with ${code} before ready`)));
    });
    await stopProcess(child, 5000);
  }
  return times;
}

// ------------------------------------------------------------------------------------------------ jobs

interface JobRow {
  id: string;
  workspace: string;
  name: string;
  timestamp: number;
  delay: number;
  processedOn: number | null;
  finishedOn: number | null;
  failed: boolean;
}

/**
 * Finished reconcile jobs, read from BullMQ every second while the run goes:
 * the queue keeps only the last 1000 (removeOnComplete), so reading once at
 * the end would lose the early ones at N=500. Newest first, down to the
 * first one already seen.
 */
class JobCollector {
  readonly jobs = new Map<string, JobRow>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(readonly queue: Queue) {}

  start(): void {
    this.timer = setInterval(() => void this.collect(), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.collect();
  }

  collect(): Promise<void> {
    this.running ??= this.read().finally(() => (this.running = null));
    return this.running;
  }

  private async read(): Promise<void> {
    for (const type of ['completed', 'failed'] as const) {
      // Small pages first: most seconds only a few jobs are new.
      for (let start = 0, size = 32; start < 5000; start += size, size = Math.min(size * 4, 512)) {
        const page = (await this.queue.getJobs([type], start, start + size - 1, false)) as (Job | undefined)[];
        let known = false;
        for (const job of page) {
          if (!job?.id) continue;
          if (this.jobs.has(job.id)) {
            known = true;
            continue;
          }
          this.jobs.set(job.id, {
            id: job.id,
            workspace: (job.data as { workspace: string }).workspace,
            name: (job.data as { name: string }).name,
            timestamp: job.timestamp,
            delay: Number(job.delay || job.opts.delay || 0),
            processedOn: job.processedOn ?? null,
            finishedOn: job.finishedOn ?? null,
            failed: type === 'failed',
          });
        }
        if (known || page.length < size) break;
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------- run

interface Post {
  name: string;
  t0: number;
  t1: number;
  status: number;
}

interface DeploymentTimes {
  name: string;
  t0: number;
  created?: number;
  pending?: number;
  ready?: number;
  firstPickup?: number;
  spawned?: number;
  simReady?: number;
  noticed?: number;
}

interface RunResult {
  n: number;
  ready: number;
  failed: number;
  totalMs: number;
  cp: number[];
  sim: number[];
  postToReady: number[];
  phases: Record<string, number[]>;
  e2pApi: number[];
  e2pRecheck: number[];
  e2pAll: number[];
  jobs: number;
  apiJobs: number;
  jobsPerDeployment: number;
  post: number[];
  postErrors: number;
  workerIdleKiB: number;
  workerPeakKiB: number;
  workerCpuS: number;
  apiCpuS: number;
  simCpuS: number;
  postgresCpuS: number;
  redisCpuS: number;
  benchCpuS: number;
  machineBusyS: number;
  machineBusy: number;
  createWallS: number;
  load: [number, number];
  others: { name: string; cpu: number }[];
  workerIdleCpu: number;
  workerSteadyKiB: number;
  readinessLost: number;
  backToPending: number;
  deleteMs: number;
  deletedAll: boolean;
  leftAfterDelete: number;
  leftAfterSweep: number;
  sweptInstances: number;
  runDir: string;
}

const cleanups: (() => Promise<void>)[] = [];
/** Whether the current run's directory stays (BENCH_KEEP, or the run went wrong). */
let keepRunDir = KEEP;
/** For the last resort on exit: what must not outlive the bench even when it crashes. */
const liveChildren = new Set<ChildProcess>();
const liveStateDirs = new Set<string>();

process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
  for (const dir of liveStateDirs) {
    for (const pid of markedPids(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
});
// A closed pipe on our output (`| head`) must not crash the run before it cleans up.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop() as () => Promise<void>;
    await fn().catch((error: Error) => progress(`cleanup: ${error.message}`));
  }
}

/** Stops every instance of the state directory: the runtime's own delete, then SIGKILL for anything left. */
async function sweep(stateDir: string): Promise<{ instances: number; left: number }> {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const runtime = new LocalRuntime({ stateDir, logger: quiet, terminationGraceMs: 2000 });
  await runtime.init();
  const instances = await runtime.list();
  await bounded(instances, 16, (i) => runtime.delete(i.instanceId));
  await runtime.close();
  const left = markedPids(stateDir);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return { instances: instances.length, left: left.length };
}

async function countStatus(api: string, status: string): Promise<number> {
  const res = await http('GET', `${api}/v2/workspaces/${WS}/deployments?filter%5Bstatus%5D=${status}&page_size=1`);
  if (res.status !== 200) throw new Error(`list ${status}: HTTP ${res.status}`);
  return (res.body as { pagination: { total_results: number } }).pagination.total_results;
}

async function waitForCount(api: string, status: string, n: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const count = await countStatus(api, status);
    if (count >= n) return true;
    if (status === 'READY' && (await countStatus(api, 'FAILED')) + count >= n) return false;
    if (Date.now() > deadline) return false;
    if (Date.now() - lastReport > 15_000) {
      progress(`  ${count}/${n} ${status}`);
      lastReport = Date.now();
    }
    await sleep(1000);
  }
}

/**
 * A few deployments through the whole lifecycle (in their own workspace) before
 * the measured one, so neither process is measured cold (first queries, JIT).
 */
async function warmUp(api: string): Promise<void> {
  const base = `${api}/v2/workspaces/${WARM_UP_WS}/deployments`;
  const names = Array.from({ length: WARM_UP_DEPLOYMENTS }, (_, i) => `warm-${i}`);
  await Promise.all(names.map((name) => http('POST', base, { name, config: CONFIG })));
  for (const name of names) await http('GET', `${base}/${name}?wait_for=READY,FAILED&timeout=120`);
  await Promise.all(names.map((name) => http('DELETE', `${base}/${name}`)));
  for (const name of names) await http('GET', `${base}/${name}?wait_for=DELETED&timeout=120`);
}

async function run(n: number): Promise<RunResult> {
  const runDir = mkdtempSync(join(tmpdir(), `modelplane-lifecycle-${n}-`));
  const stateDir = join(runDir, 'state');
  mkdirSync(stateDir);
  const prefix = `bench-lc-${randomBytes(4).toString('hex')}`;
  const db = await createTestDatabase('modelplane_bench_lc');
  cleanups.push(async () => {
    await dropTestDatabase(db);
    if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
    else progress(`kept ${runDir}`);
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(RECONCILE_QUEUE, { connection: redis, prefix });
  cleanups.push(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
  });
  // Whatever happens, no simulator of this run outlives the bench (registered before the worker starts them).
  let swept: { instances: number; left: number } | null = null;
  liveStateDirs.add(stateDir);
  cleanups.push(async () => {
    swept ??= await sweep(stateDir);
    liveStateDirs.delete(stateDir);
  });

  await applyMigrations({ databaseUrl: db, ...migrationPaths() });
  const common = { DATABASE_URL: db, REDIS_URL, QUEUE_PREFIX: prefix, MODELPLANE_RUNTIME: 'local' };
  const execArgv = PROFILE
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(runDir, 'profiles')}`,
        '--import',
        pathToFileURL(join(ROOT, 'dist', 'bench', 'lifecycle-profile.js')).href,
      ]
    : [];
  const api = await startApi(common, execArgv);
  liveChildren.add(api.child);
  cleanups.push(() => stopProcess(api.child).then(() => void liveChildren.delete(api.child)));
  const worker = await startWorker(
    {
      ...common,
      DATABASE_POOL_SIZE: String(WORKER_DB_POOL),
      LOCAL_RUNTIME_STATE_DIR: stateDir,
      LOCAL_RUNTIME_GPUS: '0',
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      LOG_LEVEL: 'log',
      WORKER_HEALTH_PORT: '0', // may run beside a development stack, whose worker holds 8082
      // The teardown counts DELETED deployments in a list: keep them readable rather than removed at once.
      DELETED_DEPLOYMENT_RETENTION_SECONDS: '3600',
    },
    join(runDir, 'worker.log'),
    execArgv,
  );
  liveChildren.add(worker.child);
  let workerStopped = false;
  const stopWorker = async () => {
    if (workerStopped) return;
    workerStopped = true;
    await stopProcess(worker.child);
    liveChildren.delete(worker.child);
  };
  cleanups.push(stopWorker);
  const rss = new RssSampler(worker.pid);
  cleanups.push(async () => rss.stop());
  const jobs = new JobCollector(queue);
  jobs.start();
  cleanups.push(() => jobs.stop());

  const base = `${api.url}/v2/workspaces/${WS}`;
  for (const workspace of [WARM_UP_WS, WS]) {
    const ws = await http('POST', `${api.url}/v2/workspaces`, { name: workspace });
    if (ws.status !== 201) throw new Error(`workspace: HTTP ${ws.status} ${JSON.stringify(ws.body)}`);
    const cfg = await http('POST', `${api.url}/v2/workspaces/${workspace}/deployment-configs`, {
      name: CONFIG,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: { SIM_START_DELAY_MS: '0' } },
    });
    if (cfg.status !== 201) throw new Error(`config: HTTP ${cfg.status} ${JSON.stringify(cfg.body)}`);
  }
  await warmUp(api.url);
  const names = Array.from({ length: n }, (_, i) => `d-${String(i).padStart(4, '0')}`);
  const configOf = (name: string) => (MODELS === 'distinct' ? `sim-${name}` : CONFIG);
  if (MODELS === 'distinct') {
    await bounded(names, POST_CONCURRENCY, async (name) => {
      const cfg = await http('POST', `${base}/deployment-configs`, {
        name: configOf(name),
        engine: 'nim',
        model_spec: { model_namespace: 'bench', model_name: `model-${name}` },
        executor_config: { gpu: 1, additional_envs: { SIM_START_DELAY_MS: '0' } },
      });
      if (cfg.status !== 201) throw new Error(`config: HTTP ${cfg.status} ${JSON.stringify(cfg.body)}`);
    });
  }

  // Let the worker's start-up resync pass and settle before measuring; on a shared machine, wait for others' load to pass.
  await sleep(1000);
  await waitForQuiet();
  rss.reset();
  const workerIdleKiB = rss.last;
  const dbName = new URL(db).pathname.slice(1);
  const snapshot = (): CpuSnapshot => ({
    worker: cpuSeconds(worker.pid) ?? 0,
    api: cpuSeconds(api.pid) ?? 0,
    postgres: cpuOfMatching(dbName),
    redis: cpuOfMatching('redis-server'),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineCpu(),
  });
  const procs0 = processCpu();
  const cpu0 = snapshot();
  const load0 = loadavg()[0];

  // ---- create
  const posts: Post[] = [];
  progress(`N=${n}: POSTing ${n} deployments (${POST_CONCURRENCY} in flight)`);
  await bounded(names, POST_CONCURRENCY, async (name) => {
    const t0 = Date.now();
    const res = await http('POST', `${base}/deployments`, { name, config: configOf(name) });
    posts.push({ name, t0, t1: Date.now(), status: res.status });
  });
  const postErrors = posts.filter((p) => p.status !== 201).length;
  if (postErrors > 0) progress(`  ${postErrors} POSTs failed`);
  const allReady = await waitForCount(api.url, 'READY', n - postErrors, READY_TIMEOUT_MS);
  const cpu1 = snapshot();
  const load1 = loadavg()[0];
  // The simulators all started after cpu0 and all still run: their whole CPU time is this phase's.
  const sims = markedPids(stateDir);
  const simCpuS = sims.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  const procs1 = processCpu();
  const ours = new Set([process.pid, worker.pid, api.pid, ...sims]);
  for (const [pid, p] of procs1) if (p.name.includes(dbName) || p.name.startsWith('redis-server')) ours.add(pid);
  const others = othersBetween(procs0, procs1, ours);
  const workerPeakKiB = rss.peak;
  await jobs.collect();

  // ---- what happened, per deployment
  const listed: {
    name: string;
    status: string;
    status_history: { timestamp: string; status: string }[];
  }[] = [];
  for (let page = 1; ; page++) {
    const res = await http('GET', `${base}/deployments?page_size=1000&page=${page}`);
    listed.push(...(res.body as { data: typeof listed }).data);
    if (page >= (res.body as { pagination: { total_pages: number } }).pagination.total_pages) break;
  }
  const times = new Map<string, DeploymentTimes>();
  for (const p of posts) times.set(p.name, { name: p.name, t0: p.t0 });
  let backToPending = 0;
  for (const d of listed) {
    const t = times.get(d.name);
    if (!t) continue;
    for (const h of d.status_history) {
      const at = Date.parse(h.timestamp);
      if (h.status === 'CREATED') t.created ??= at;
      if (h.status === 'PENDING') t.pending ??= at;
      if (h.status === 'READY') t.ready ??= at;
    }
    const statuses = d.status_history.map((h) => h.status);
    if (statuses.includes('READY') && statuses.lastIndexOf('PENDING') > statuses.indexOf('READY')) backToPending++;
  }
  // The runtime's records (spawn time, when its probe first passed) and the simulator's own "ready" line (the log's mtime).
  for (const file of readdirSync(join(stateDir, 'instances'))) {
    if (!file.endsWith('.json')) continue;
    const record = JSON.parse(readFileSync(join(stateDir, 'instances', file), 'utf8')) as {
      instanceId: string;
      labels: { deployment: string };
      startedAt: string | null;
      readySince: string | null;
      restarts: number;
    };
    const t = times.get(record.labels.deployment);
    if (!t || record.restarts > 0) continue;
    if (record.startedAt) t.spawned = Date.parse(record.startedAt);
    // readySince moves when readiness is lost and found again; only the first (before READY) dates the probe.
    if (record.readySince && (t.ready === undefined || Date.parse(record.readySince) <= t.ready))
      t.noticed = Date.parse(record.readySince);
    const logPath = join(stateDir, 'logs', `${record.instanceId}.log`);
    try {
      const text = readFileSync(logPath, 'utf8').trimEnd();
      if (text.endsWith('nim-sim: ready')) t.simReady = statSync(logPath).mtimeMs;
    } catch {
      // no log: the start time stays unknown
    }
  }
  const postWindow = new Map(posts.map((p) => [p.name, p]));
  const e2pApi: number[] = [];
  const e2pRecheck: number[] = [];
  const e2pAll: number[] = [];
  let createJobs = 0;
  for (const job of jobs.jobs.values()) {
    if (job.processedOn === null || job.workspace !== WS) continue; // not the warm-up's
    const t = times.get(job.name);
    if (t && (t.firstPickup === undefined || job.processedOn < t.firstPickup)) t.firstPickup = job.processedOn;
    createJobs++;
    const wait = job.processedOn - (job.timestamp + job.delay);
    e2pAll.push(wait);
    const p = postWindow.get(job.name);
    if (job.delay === 0 && p && job.timestamp >= p.t0 - 1 && job.timestamp <= p.t1 + 1) e2pApi.push(wait);
    else if (job.delay > 0) e2pRecheck.push(wait);
  }
  const apiJobs = e2pApi.length;

  const cp: number[] = [];
  const sim: number[] = [];
  const postToReady: number[] = [];
  const phases: Record<string, number[]> = {
    'POST → first pickup': [],
    'pickup → spawn': [],
    'simulator start': [],
    'sim ready → probe passed': [],
    'probe passed → READY': [],
  };
  for (const t of times.values()) {
    if (t.ready === undefined) continue;
    postToReady.push(t.ready - t.t0);
    if (t.spawned !== undefined && t.simReady !== undefined) {
      const own = t.simReady - t.spawned;
      sim.push(own);
      cp.push(t.ready - t.t0 - own);
      phases['simulator start'].push(own);
      if (t.noticed !== undefined) phases['sim ready → probe passed'].push(t.noticed - t.simReady);
    }
    if (t.firstPickup !== undefined) {
      phases['POST → first pickup'].push(t.firstPickup - t.t0);
      if (t.spawned !== undefined) phases['pickup → spawn'].push(t.spawned - t.firstPickup);
    }
    if (t.noticed !== undefined) phases['probe passed → READY'].push(t.ready - t.noticed);
  }
  // For a closer look (BENCH_KEEP=1 keeps them): every job and every deployment's timestamps.
  writeFileSync(join(runDir, 'jobs.json'), JSON.stringify([...jobs.jobs.values()], null, 1));
  writeFileSync(join(runDir, 'deployments.json'), JSON.stringify([...times.values()], null, 1));
  const readyTimes = [...times.values()].flatMap((t) => (t.ready === undefined ? [] : [t.ready]));
  const failed = await countStatus(api.url, 'FAILED');
  if (!allReady) {
    keepRunDir = true;
    progress(`N=${n}: not all READY (${readyTimes.length}/${n}, ${failed} FAILED); keeping ${runDir}`);
  }

  // ---- steady state: N READY instances and nothing to do; what does keeping them cost the worker?
  const idle0 = { worker: cpuSeconds(worker.pid) ?? 0, at: Date.now() };
  await sleep(STEADY_MS);
  const idle1 = { worker: cpuSeconds(worker.pid) ?? 0, at: Date.now() };
  const workerIdleCpu = (idle1.worker - idle0.worker) / ((idle1.at - idle0.at) / 1000);
  const workerSteadyKiB = rss.sample();
  const readinessLost = readFileSync(join(runDir, 'worker.log'), 'utf8').split('no longer ready').length - 1;

  // ---- teardown: delete all, wait for DELETED, look for simulators left behind
  progress(`N=${n}: ${readyTimes.length} READY; deleting`);
  const d0 = Date.now();
  await bounded(names, POST_CONCURRENCY, async (name) => {
    const res = await http('DELETE', `${base}/deployments/${name}`);
    if (res.status !== 202 && res.status !== 204) progress(`  DELETE ${name}: HTTP ${res.status}`);
  });
  const deletedAll = await waitForCount(api.url, 'DELETED', n - postErrors, READY_TIMEOUT_MS);
  const deleteMs = Date.now() - d0;
  const leftAfterDelete = markedPids(stateDir).length;
  rss.stop();
  await jobs.stop();
  await stopWorker();
  swept = await sweep(stateDir);

  return {
    n,
    ready: readyTimes.length,
    failed,
    totalMs: readyTimes.length ? Math.max(...readyTimes) - Math.min(...posts.map((p) => p.t0)) : NaN,
    cp,
    sim,
    postToReady,
    phases,
    e2pApi,
    e2pRecheck,
    e2pAll,
    jobs: createJobs,
    apiJobs,
    jobsPerDeployment: createJobs / n,
    post: posts.map((p) => p.t1 - p.t0),
    postErrors,
    workerIdleKiB,
    workerPeakKiB,
    workerCpuS: cpu1.worker - cpu0.worker,
    apiCpuS: cpu1.api - cpu0.api,
    simCpuS,
    postgresCpuS: cpu1.postgres - cpu0.postgres,
    redisCpuS: cpu1.redis - cpu0.redis,
    benchCpuS: cpu1.bench - cpu0.bench,
    machineBusyS: (cpu1.machine.busy - cpu0.machine.busy) / CLK_TCK,
    machineBusy: (cpu1.machine.busy - cpu0.machine.busy) / (cpu1.machine.total - cpu0.machine.total),
    createWallS: (cpu1.machine.total - cpu0.machine.total) / CLK_TCK / cpus().length,
    load: [load0, load1],
    others,
    workerIdleCpu,
    workerSteadyKiB,
    readinessLost,
    backToPending,
    deleteMs,
    deletedAll,
    leftAfterDelete,
    leftAfterSweep: swept.left,
    sweptInstances: swept.instances,
    runDir,
  };
}

// ------------------------------------------------------------------------------------------------ main

function report(results: RunResult[], baseline: number[]): void {
  console.log(
    `\nLifecycle: N deployments of the NIM simulator (SIM_START_DELAY_MS=0), API + worker as separate processes.`,
  );
  console.log(
    `Worker: WORKER_CONCURRENCY=${WORKER_CONCURRENCY}, POLL_INTERVAL_MS=${POLL_INTERVAL_MS}, DATABASE_POOL_SIZE=${WORKER_DB_POOL}, ` +
      `other settings default (RESYNC_INTERVAL_MS 30000, runtime probe every 1000 ms). POSTs ${POST_CONCURRENCY} in flight. ` +
      `Models: ${MODELS === 'shared' ? 'one config, every deployment serves the same model entity' : 'one config and model entity per deployment'}.\n`,
  );
  printTable(
    [
      'N',
      'all READY s',
      'cp p50/p99/max ms',
      'sim start med ms',
      'e2p API p50/p99 ms',
      'e2p all p50/p99/max ms',
      'worker peak RSS MiB',
      'POST p50/p99 ms',
      'READY/FAILED',
    ],
    results.map((r) => [
      String(r.n),
      s1(r.totalMs),
      `${ms(p50(r.cp))}/${ms(p99(r.cp))}/${ms(max(r.cp))}`,
      ms(p50(r.sim)),
      `${ms(p50(r.e2pApi))}/${ms(p99(r.e2pApi))}`,
      `${ms(p50(r.e2pAll))}/${ms(p99(r.e2pAll))}/${ms(max(r.e2pAll))}`,
      mib(r.workerPeakKiB),
      `${ms(p50(r.post))}/${ms(p99(r.post))}`,
      `${r.ready}/${r.failed}`,
    ]),
  );

  console.log('\nGrowth with N (per deployment; ×: change from the previous N, against its ×N):\n');
  printTable(
    [
      'N',
      'all READY ms/N',
      'worker CPU s',
      'worker CPU ms/N',
      'API CPU ms/N',
      'RSS over idle MiB',
      'RSS KiB/N',
      'control plane CPU ms/N',
      'jobs/N',
      'worker CPU % at rest',
      'worker RSS at rest MiB',
      'cp p99 ms',
      '× time / × N',
    ],
    results.map((r, i) => {
      const prev = results[i - 1];
      const growth = prev ? `${(r.totalMs / prev.totalMs).toFixed(1)} / ${(r.n / prev.n).toFixed(1)}` : '–';
      return [
        String(r.n),
        ms(r.totalMs / r.n),
        r.workerCpuS.toFixed(1),
        ms((r.workerCpuS * 1000) / r.n),
        ms((r.apiCpuS * 1000) / r.n),
        mib(r.workerPeakKiB - r.workerIdleKiB),
        ms((r.workerPeakKiB - r.workerIdleKiB) / r.n),
        ms(((r.workerCpuS + r.apiCpuS + r.postgresCpuS + r.redisCpuS) * 1000) / r.n),
        r.jobsPerDeployment.toFixed(1),
        (r.workerIdleCpu * 100).toFixed(0),
        mib(r.workerSteadyKiB),
        ms(p99(r.cp)),
        growth,
      ];
    }),
  );

  console.log('\nCPU seconds over the create phase (first POST → all READY), by process:\n');
  printTable(
    [
      'N',
      'wall s',
      'machine busy',
      'worker',
      'API',
      'simulators',
      'postgres',
      'redis',
      'bench',
      'rest (other load)',
      'load 1m before/after',
    ],
    results.map((r) => {
      const ours = r.workerCpuS + r.apiCpuS + r.simCpuS + r.postgresCpuS + r.redisCpuS + r.benchCpuS;
      return [
        String(r.n),
        r.createWallS.toFixed(1),
        `${r.machineBusyS.toFixed(1)} (${(r.machineBusy * 100).toFixed(0)}%)`,
        r.workerCpuS.toFixed(1),
        r.apiCpuS.toFixed(1),
        r.simCpuS.toFixed(1),
        r.postgresCpuS.toFixed(1),
        r.redisCpuS.toFixed(1),
        r.benchCpuS.toFixed(1),
        (r.machineBusyS - ours).toFixed(1),
        `${r.load[0].toFixed(1)}/${r.load[1].toFixed(1)}`,
      ];
    }),
  );

  for (const r of results) {
    if (r.others.length === 0) continue;
    console.log(
      `  N=${r.n}, biggest other users: ${r.others.map((o) => `${o.name} ${o.cpu.toFixed(1)} s`).join('; ')}` +
        ' (the rest is processes that exited meanwhile and the kernel).',
    );
  }

  console.log('\nWhere the time goes, POST → READY per deployment (p50/p99 ms):\n');
  const phaseNames = Object.keys(results[0]?.phases ?? {});
  printTable(
    ['N', ...phaseNames, 'POST → READY', 'e2p re-checks p50/p99'],
    results.map((r) => [
      String(r.n),
      ...phaseNames.map((k) => `${ms(p50(r.phases[k]))}/${ms(p99(r.phases[k]))}`),
      `${ms(p50(r.postToReady))}/${ms(p99(r.postToReady))}`,
      `${ms(p50(r.e2pRecheck))}/${ms(p99(r.e2pRecheck))}`,
    ]),
  );

  for (const r of results) {
    console.log(
      `  N=${r.n}: ${r.jobs} reconcile jobs read back (${r.apiJobs} enqueued by the POSTs, ` +
        `${r.e2pRecheck.length} delayed re-checks, ${r.jobs - r.apiJobs - r.e2pRecheck.length} other).`,
    );
  }
  for (const r of results) {
    if (r.readinessLost === 0 && r.backToPending === 0) continue;
    console.log(
      `  N=${r.n}: the runtime lost readiness of an instance ${r.readinessLost} times (probe timeouts); ` +
        `${r.backToPending} deployments went from READY back to PENDING.`,
    );
  }

  console.log('\nTeardown (DELETE all, wait for DELETED):\n');
  printTable(
    ['N', 'delete → all DELETED s', 'all DELETED', 'sim processes left', 'after final sweep'],
    results.map((r) => [
      String(r.n),
      s1(r.deleteMs),
      r.deletedAll ? 'yes' : 'NO',
      String(r.leftAfterDelete),
      `${r.leftAfterSweep} (sweep deleted ${r.sweptInstances} instances)`,
    ]),
  );

  console.log(
    [
      '',
      `Simulator start, standalone (spawn → "nim-sim: ready", ${baseline.length} starts one at a time): ` +
        `median ${ms(p50(baseline))} ms, p90 ${ms(quantile(baseline, 0.9))} ms.`,
      '',
      'How it is measured:',
      '- per N: fresh database, queue prefix and state directory; API and worker started, then 5 deployments taken',
      '  through the whole lifecycle in another workspace (so nothing is measured cold), then (BENCH_QUIET_WAIT_S)',
      '  a wait for the machine to go idle; then the N POSTs. Everything runs on this machine, simulators included.',
      '- all READY: last READY timestamp (status_history) minus the first POST.',
      "- cp (control-plane time) per deployment: READY timestamp − POST start − that instance's own simulator start.",
      "  The simulator start is measured per instance, not assumed: the runtime's record gives the spawn time",
      '  (startedAt) and the simulator\'s log file, whose last line is "nim-sim: ready", was last written when it became',
      '  ready (its mtime; the runtime writes its own lines before the spawn). Under load this includes the CPU',
      "  contention of many simulators starting at once, which is the simulator's cost, not the control plane's,",
      "  and the worker's fork of the process (spawn() blocks the worker for 3-100 ms, growing with its RSS).",
      '- e2p: reconcile jobs read from BullMQ every second during the run: processedOn − (timestamp + delay).',
      "  API = the job the POST enqueued (delay 0, added inside that POST); re-checks = the worker's delayed",
      '  re-enqueues (POLL_INTERVAL_MS); all = every job, including resyncs and conflict re-runs.',
      '- worker RSS: /proc/<pid>/status VmRSS every 250 ms during the create phase; peak, and growth over the idle',
      '  worker before the first POST. CPU: /proc/<pid>/stat utime+stime over the create phase; machine busy % is',
      '  all cores (including the simulators, Postgres, Redis, and anything else running on the machine).',
      "- phases: POST → first pickup (first job's processedOn), pickup → spawn (record startedAt), simulator start,",
      "  sim ready → probe passed (record readySince: the runtime's readiness probe, run by its 1 s tick or by the",
      "  reconciler's re-check), probe passed → READY (discovery of /v1/models, provider, status write).",
      '- worker CPU % at rest: over BENCH_STEADY_S with all N READY and no jobs (readiness probes, resync).',
      '- control plane CPU: worker + API + Postgres backends of the run + Redis, per deployment.',
      '- p99 of 10 samples is their maximum.',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  if (SIZES.length === 0) throw new Error('BENCH_SIZES holds no positive whole numbers');
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  progress(`simulator baseline: ${BASELINE_STARTS} standalone starts`);
  const baseline = await simulatorBaseline(BASELINE_STARTS);
  const results: RunResult[] = [];
  const failures: string[] = [];
  for (const n of SIZES) {
    const started = Date.now();
    try {
      results.push(await run(n));
      progress(`N=${n}: done in ${s1(Date.now() - started)} s`);
    } catch (error) {
      // Keep what there is to look at (worker log, instance logs), and go on with the next N.
      keepRunDir = true;
      failures.push(`N=${n} failed after ${s1(Date.now() - started)} s: ${(error as Error).stack ?? String(error)}`);
      progress(failures.at(-1) as string);
    } finally {
      await runCleanups();
      keepRunDir = KEEP;
    }
  }
  if (results.length > 0) report(results, baseline);
  for (const failure of failures) console.log(`\n${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch(async (error: unknown) => {
  console.error(error);
  await runCleanups();
  process.exit(1);
});
