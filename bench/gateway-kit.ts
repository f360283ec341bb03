/**
 * The gateway benchmark's parts: its knobs, the upstream simulators, the database it seeds, the closed-loop
 * load and the SSE timing, and measuring one target. bench/gateway.bench.ts runs them and reports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Pool } from 'undici';
import { projectRoot } from '#db';
import { seedBenchAdmin } from './bench-auth.js';

export const env = process.env;
export const SECONDS = Number(env.BENCH_SECONDS ?? 4);
export const PEAK_CONCURRENCY = Number(env.BENCH_PEAK_CONCURRENCY ?? 64);
export const SSE_STREAMS = Number(env.BENCH_SSE_STREAMS ?? 30);
export const TOKEN_DELAY_MS = Number(env.BENCH_TOKEN_DELAY_MS ?? 20);
export const TOKENS = Number(env.BENCH_TOKENS ?? 16);
export const ROOT = projectRoot();
export const SIMULATOR = join(ROOT, 'dist', 'apps', 'nim-sim', 'src', 'main.js');
export const GATEWAY = join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js');
export const FLOOR = join(ROOT, 'dist', 'bench', 'gateway-floor.js');
export const PORTKEY = join(ROOT, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
export const MODEL = 'meta/llama-3.1-8b-instruct';
export const WS = 'bench';
export const PROFILE_DIR = join(tmpdir(), 'modelplane-gateway-profile');
export const ONLY = (env.BENCH_ONLY ?? '').split(',').filter(Boolean);
export const AUTH_ROUNDS = Number(env.BENCH_AUTH_ROUNDS ?? 6);
export const AUTH_SECONDS = Number(env.BENCH_AUTH_SECONDS ?? 2);

export function progress(line: string): void {
  process.stderr.write(`[gateway-bench] ${line}\n`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function rssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) the process has used so far, in milliseconds (clock ticks of 10 ms); 0 when unreadable. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Binds a process (all its threads) to one CPU with taskset, so that two processes compared in turn run on the
 * same core and the rest of the bench (simulator, load generator) on the other. False when it could not (no
 * taskset, a single CPU): the bench then runs unpinned and says so.
 */
export function pinToCpu(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * The Modelplane gateway as its own process (dist/apps/gateway/src/main.js) on a free port, over the bench's
 * database, the simulators on loopback allowed; `extra` sets or overrides its environment. Waits until ready.
 */
export async function spawnGateway(
  databaseUrl: string,
  extra: Record<string, string>,
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; gw: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...execArgv, GATEWAY], {
    env: {
      PATH: env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The simulators are providers registered by hand on loopback, which the egress policy refuses by default.
      PROVIDER_EGRESS_ALLOW: '127.0.0.1/32',
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitHttp(`http://127.0.0.1:${port}/health/ready`).catch(async (error: unknown) => {
    await stop(child);
    throw error;
  });
  return { child, gw: `http://127.0.0.1:${port}/v2/workspaces/${WS}/inference/gateway` };
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// ------------------------------------------------------------------------------------------- targets

export interface Target {
  name: string;
  /** Base URL the fast and the paced upstream are reached under, and extra headers. */
  fast: string;
  paced: string;
  headers: Record<string, string>;
  /** The process to measure RSS of (none for direct). */
  pid: number | null;
  /** Why it could not run, when it could not. */
  skipped?: string;
  /** It serves streams (false: SSE is skipped with this reason). */
  noStreams?: string;
}

export function startSimulator(port: number, extra: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [SIMULATOR], {
    env: { PATH: env.PATH ?? '', PORT: String(port), NIM_SERVED_MODEL_NAME: MODEL, ...extra },
    stdio: 'ignore',
  });
}

export function nginxConfig(dir: string, port: number, fast: number, paced: number): string {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const location = (name: string) => `location /${name}/ {
      proxy_pass http://${name}/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }`;
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  upstream fast { server 127.0.0.1:${fast}; keepalive 128; }
  upstream paced { server 127.0.0.1:${paced}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    ${location('fast')}
    ${location('paced')}
  }
}
`;
}

export async function seedDatabase(databaseUrl: string, fast: string, paced: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await seedBenchAdmin(client);
    await client.query(`INSERT INTO workspaces (id, name, updated_at) VALUES ('ws-bench', $1, now())`, [WS]);
    for (const [name, url] of [
      ['fast', fast],
      ['paced', paced],
    ]) {
      await client.query(
        `INSERT INTO models (id, workspace, name, model_providers, updated_at) VALUES ($1, $2, $3, $4, now())`,
        [`model-${name}`, WS, `llama-${name}`, [`${WS}/${name}`]],
      );
      await client.query(
        `INSERT INTO model_providers (id, workspace, name, host_url, served_models, status, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'READY', now())`,
        [
          `provider-${name}`,
          WS,
          name,
          url,
          JSON.stringify([{ model_entity_id: `${WS}/llama-${name}`, served_model_name: MODEL }]),
        ],
      );
    }
    // A canary policy: a virtual model splitting by weight, all of it to llama-fast (the bench's routing row).
    await client.query(
      `INSERT INTO virtual_models (id, workspace, name, request_middleware, updated_at) VALUES ($1, $2, $3, $4, now())`,
      [
        'virtualmodel-bench',
        WS,
        'llama-fast-canary',
        JSON.stringify([
          { name: 'modelplane', config_type: 'weighted', config: { targets: [{ model: 'llama-fast', weight: 1 }] } },
        ]),
      ],
    );
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------------ load

export interface LoadResult {
  latenciesMs: number[];
  rps: number;
  errors: number;
}

export const CHAT = JSON.stringify({
  model: MODEL,
  messages: [{ role: 'user', content: 'hello there' }],
  max_tokens: TOKENS,
});

/** A closed loop: `concurrency` clients, each sending its next request when the last one is answered. */
export async function load(
  target: Target,
  path: string,
  concurrency: number,
  seconds: number,
  body = CHAT,
): Promise<LoadResult> {
  const url = new URL(target.fast + path);
  const pool = new Pool(url.origin, { connections: concurrency, pipelining: 1 });
  const latenciesMs: number[] = [];
  let errors = 0;
  const headers = { 'content-type': 'application/json', ...target.headers };
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await pool.request({ path: url.pathname, method: 'POST', headers, body });
          await res.body.dump({ limit: 1 << 30 });
          if (res.statusCode !== 200) errors++;
          else latenciesMs.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { latenciesMs, rps: latenciesMs.length / elapsed, errors };
}

export interface SseResult {
  firstChunkMs: number[];
  gapsMs: number[];
  errors: number;
}

/** Streams at concurrency 1: time to the first body chunk, then the gaps between chunks. */
export async function sse(target: Target, path: string, streams: number): Promise<SseResult> {
  const url = new URL(target.paced + path);
  const pool = new Pool(url.origin, { connections: 1 });
  const body = JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: 'stream it' }],
    max_tokens: TOKENS,
    stream: true,
  });
  const firstChunkMs: number[] = [];
  const gapsMs: number[] = [];
  let errors = 0;
  for (let i = 0; i < streams; i++) {
    const t0 = performance.now();
    try {
      const res = await pool.request({
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body,
      });
      let last = -1;
      let text = '';
      for await (const chunk of res.body) {
        const now = performance.now();
        if (last < 0) firstChunkMs.push(now - t0);
        else gapsMs.push(now - last);
        last = now;
        text += String(chunk);
      }
      if (res.statusCode !== 200 || !text.includes('[DONE]')) errors++;
    } catch {
      errors++;
    }
  }
  await pool.close();
  return { firstChunkMs, gapsMs, errors };
}

// ------------------------------------------------------------------------------------------- main

export interface Row {
  target: Target;
  c1?: LoadResult;
  c32?: LoadResult;
  /** Direct, measured right before this target's phase: what "added" is counted from (the machine drifts). */
  base?: { c1: LoadResult; c32: LoadResult };
  peak?: LoadResult;
  stream?: SseResult;
  rssKiB: number;
}

export async function measure(target: Target, chatPath: string, direct?: Target): Promise<Row> {
  const row: Row = { target, rssKiB: 0 };
  if (ONLY.length > 0 && target.name !== 'direct' && !ONLY.some((o) => target.name.startsWith(o))) {
    target.skipped = 'not in BENCH_ONLY';
  }
  if (target.skipped) return row;
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (target.pid !== null) peakRss = Math.max(peakRss, rssKiB(target.pid));
  }, 200);
  try {
    progress(`${target.name}: warming up`);
    await load(target, chatPath, 8, 1);
    progress(`${target.name}: concurrency 1`);
    const baseC1 = direct ? await load(direct, chatPath, 1, SECONDS) : undefined;
    row.c1 = await load(target, chatPath, 1, SECONDS);
    progress(`${target.name}: concurrency 32`);
    const baseC32 = direct ? await load(direct, chatPath, 32, SECONDS) : undefined;
    row.c32 = await load(target, chatPath, 32, SECONDS);
    if (baseC1 && baseC32) row.base = { c1: baseC1, c32: baseC32 };
    progress(`${target.name}: peak (${PEAK_CONCURRENCY})`);
    row.peak = await load(target, chatPath, PEAK_CONCURRENCY, SECONDS);
    if (!target.noStreams) {
      progress(`${target.name}: SSE`);
      row.stream = await sse(target, chatPath, SSE_STREAMS);
    }
  } finally {
    clearInterval(sampler);
  }
  row.rssKiB = peakRss;
  return row;
}

export function workerPidOf(pidFile: string): number | null {
  try {
    const master = Number(readFileSync(pidFile, 'utf8').trim());
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).map(Number);
    return children[0] ?? master;
  } catch {
    return null;
  }
}
