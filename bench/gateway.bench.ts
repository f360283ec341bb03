/**
 * Gateway benchmark: the same simulator upstream reached directly and through
 * nginx (Debian's package: 1 worker, upstream keep-alive, proxy_buffering
 * off), a bare Fastify + undici pass-through (the Node floor), Modelplane's
 * provider route and model route, and Portkey's open-source gateway
 * (@portkey-ai/gateway), all in one run on this machine.
 *
 * Per target: latency at concurrency 1 and 32 (p50/p99, and what it adds
 * over direct), peak requests per second (closed loop at BENCH_PEAK_CONCURRENCY),
 * SSE time to first chunk and the gaps between chunks against a simulator
 * that paces its tokens, and the target's peak RSS. Ratios against the
 * issue's targets are printed at the end.
 *
 *   npm run bench:gateway
 *
 * Knobs: BENCH_SECONDS (4 per phase), BENCH_PEAK_CONCURRENCY (64), BENCH_SSE_STREAMS (30),
 * BENCH_TOKEN_DELAY_MS (20), BENCH_TOKENS (16), BENCH_ONLY (comma-separated target name prefixes;
 * `Modelplane auth` is the auth on/off comparison: BENCH_AUTH_ROUNDS (6) of BENCH_AUTH_SECONDS (2) per side),
 * BENCH_PROFILE=1 (CPU profile of the Modelplane gateway into /tmp/modelplane-gateway-profile). nginx must be installed (`apt-get install nginx-light`);
 * without it its row says so.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Pool } from 'undici';
import { migrationPaths, projectRoot } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH, seedBenchAdmin } from './bench-auth.js';
import { authReport, compareAuth, type AuthLeg, type AuthRound } from './gateway-auth-compare.js';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 4);
const PEAK_CONCURRENCY = Number(env.BENCH_PEAK_CONCURRENCY ?? 64);
const SSE_STREAMS = Number(env.BENCH_SSE_STREAMS ?? 30);
const TOKEN_DELAY_MS = Number(env.BENCH_TOKEN_DELAY_MS ?? 20);
const TOKENS = Number(env.BENCH_TOKENS ?? 16);
const ROOT = projectRoot();
const SIMULATOR = join(ROOT, 'dist', 'apps', 'nim-sim', 'src', 'main.js');
const GATEWAY = join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js');
const FLOOR = join(ROOT, 'dist', 'bench', 'gateway-floor.js');
const PORTKEY = join(ROOT, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
const MODEL = 'meta/llama-3.1-8b-instruct';
const WS = 'bench';
const PROFILE_DIR = join(tmpdir(), 'modelplane-gateway-profile');
const ONLY = (env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const AUTH_ROUNDS = Number(env.BENCH_AUTH_ROUNDS ?? 6);
const AUTH_SECONDS = Number(env.BENCH_AUTH_SECONDS ?? 2);

function progress(line: string): void {
  process.stderr.write(`[gateway-bench] ${line}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
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

function rssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// ------------------------------------------------------------------------------------------- targets

interface Target {
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

function startSimulator(port: number, extra: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [SIMULATOR], {
    env: { PATH: env.PATH ?? '', PORT: String(port), NIM_SERVED_MODEL_NAME: MODEL, ...extra },
    stdio: 'ignore',
  });
}

function nginxConfig(dir: string, port: number, fast: number, paced: number): string {
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

async function seedDatabase(databaseUrl: string, fast: string, paced: string): Promise<void> {
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
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------------ load

interface LoadResult {
  latenciesMs: number[];
  rps: number;
  errors: number;
}

const CHAT = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hello there' }], max_tokens: TOKENS });

/** A closed loop: `concurrency` clients, each sending its next request when the last one is answered. */
async function load(
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

interface SseResult {
  firstChunkMs: number[];
  gapsMs: number[];
  errors: number;
}

/** Streams at concurrency 1: time to the first body chunk, then the gaps between chunks. */
async function sse(target: Target, path: string, streams: number): Promise<SseResult> {
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

interface Row {
  target: Target;
  c1?: LoadResult;
  c32?: LoadResult;
  /** Direct, measured right before this target's phase: what "added" is counted from (the machine drifts). */
  base?: { c1: LoadResult; c32: LoadResult };
  peak?: LoadResult;
  stream?: SseResult;
  rssKiB: number;
}

async function measure(target: Target, chatPath: string, direct?: Target): Promise<Row> {
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modelplane-gateway-bench-'));
  const children: ChildProcess[] = [];
  const databaseUrl = await createTestDatabase('modelplane_gwbench');
  try {
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    const [fastPort, pacedPort] = [await freePort(), await freePort()];
    children.push(startSimulator(fastPort, {}));
    children.push(startSimulator(pacedPort, { SIM_TOKEN_DELAY_MS: String(TOKEN_DELAY_MS) }));
    const fast = `http://127.0.0.1:${fastPort}`;
    const paced = `http://127.0.0.1:${pacedPort}`;
    await waitHttp(`${fast}/v1/health/ready`);
    await waitHttp(`${paced}/v1/health/ready`);
    await seedDatabase(databaseUrl, fast, paced);

    const rows: Row[] = [];
    const chat = '/v1/chat/completions';

    // direct
    const directTarget: Target = { name: 'direct', fast, paced, headers: {}, pid: null };
    rows.push(await measure(directTarget, chat));

    // nginx
    const nginxPort = await freePort();
    writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, nginxPort, fastPort, pacedPort));
    const nginx = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    const nginxMissing = await new Promise<string | null>((resolve) => {
      nginx.once('error', (e) => resolve(`not installed (${e.message}; apt-get install nginx-light)`));
      waitHttp(`http://127.0.0.1:${nginxPort}/fast/v1/health/live`, 10_000).then(
        () => resolve(null),
        (e: Error) => resolve(e.message),
      );
    });
    children.push(nginx);
    const nginxWorker = nginxMissing ? null : workerPidOf(join(dir, 'nginx.pid'));
    rows.push(
      await measure(
        {
          name: 'nginx (1 worker)',
          fast: `http://127.0.0.1:${nginxPort}/fast`,
          paced: `http://127.0.0.1:${nginxPort}/paced`,
          headers: {},
          pid: nginxWorker,
          skipped: nginxMissing ?? undefined,
        },
        chat,
        directTarget,
      ),
    );
    await stop(nginx);

    // Node floor
    const floorPort = await freePort();
    const floor = fork(FLOOR, [String(floorPort), fast, paced], { stdio: 'ignore' });
    children.push(floor);
    await waitHttp(`http://127.0.0.1:${floorPort}/fast/v1/health/live`);
    rows.push(
      await measure(
        {
          name: 'Fastify + undici (Node floor)',
          fast: `http://127.0.0.1:${floorPort}/fast`,
          paced: `http://127.0.0.1:${floorPort}/paced`,
          headers: {},
          pid: floor.pid ?? null,
        },
        chat,
        directTarget,
      ),
    );
    await stop(floor);

    // Modelplane
    const profile = env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const startGateway = async (extra: Record<string, string>, execArgv: string[] = []) => {
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
      children.push(child);
      await waitHttp(`http://127.0.0.1:${port}/health/ready`);
      return { child, gw: `http://127.0.0.1:${port}/v2/workspaces/${WS}/inference/gateway` };
    };
    // Authentication on, as deployed: every call carries the PlatformAdmin's key.
    const { child: gateway, gw } = await startGateway({}, profile);
    rows.push(
      await measure(
        {
          name: 'Modelplane provider route',
          fast: `${gw}/provider/fast/-`,
          paced: `${gw}/provider/paced/-`,
          headers: BENCH_AUTH,
          pid: gateway.pid ?? null,
        },
        chat,
        directTarget,
      ),
    );
    rows.push(
      await measure(
        {
          name: 'Modelplane model route',
          fast: `${gw}/model/llama-fast/-`,
          paced: `${gw}/model/llama-paced/-`,
          headers: BENCH_AUTH,
          pid: gateway.pid ?? null,
        },
        chat,
        directTarget,
      ),
    );
    // The same gateway against one with AUTH_ENABLED=false, alternately, same upstream.
    let authRounds: AuthRound[] | null = null;
    if (ONLY.length === 0 || ONLY.some((o) => 'Modelplane auth'.startsWith(o))) {
      const { child: open, gw: openGw } = await startGateway({ AUTH_ENABLED: 'false' });
      const legLoad = (leg: AuthLeg, seconds: number) =>
        load({ name: 'auth', fast: leg.url, paced: leg.url, headers: leg.headers, pid: null }, chat, 1, seconds);
      authRounds = await compareAuth(
        { url: `${gw}/provider/fast/-`, headers: BENCH_AUTH },
        // The key is sent to both, so the two differ only by its check.
        { url: `${openGw}/provider/fast/-`, headers: BENCH_AUTH },
        legLoad,
        { rounds: AUTH_ROUNDS, seconds: AUTH_SECONDS },
        progress,
      );
      await stop(open);
    }
    await stop(gateway);

    // Portkey
    const portkeyPort = await freePort();
    const portkey = spawn(process.execPath, [PORTKEY, `--port=${portkeyPort}`, '--headless'], {
      env: { PATH: env.PATH ?? '', HOME: env.HOME ?? '' },
      stdio: 'ignore',
    });
    children.push(portkey);
    await waitHttp(`http://127.0.0.1:${portkeyPort}/`, 30_000).catch(() => undefined);
    const portkeyHeaders = (origin: string) => ({
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${origin}/v1`,
      authorization: 'Bearer unused',
    });
    // Portkey picks the upstream by header: two targets sharing its process, one per upstream.
    const portkeyTarget: Target = {
      name: 'Portkey gateway 1.15.2',
      fast: `http://127.0.0.1:${portkeyPort}`,
      paced: `http://127.0.0.1:${portkeyPort}`,
      headers: portkeyHeaders(fast),
      pid: portkey.pid ?? null,
    };
    const portkeyRow = await measure({ ...portkeyTarget, noStreams: 'measured below' }, chat, directTarget);
    progress('Portkey: SSE');
    portkeyRow.stream = await sse({ ...portkeyTarget, headers: portkeyHeaders(paced) }, chat, SSE_STREAMS);
    rows.push(portkeyRow);
    await stop(portkey);

    report(rows);
    if (authRounds) console.log(`\n${authReport(authRounds)}`);
  } finally {
    for (const child of children) await stop(child);
    await dropTestDatabase(databaseUrl).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function workerPidOf(pidFile: string): number | null {
  try {
    const master = Number(readFileSync(pidFile, 'utf8').trim());
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).map(Number);
    return children[0] ?? master;
  } catch {
    return null;
  }
}

// ----------------------------------------------------------------------------------------- report

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

function report(rows: Row[]): void {
  const direct = rows[0];
  const p = (r: LoadResult | undefined, q: number) => (r ? quantile(r.latenciesMs, q) : NaN);
  const added = (r: Row, phase: 'c1' | 'c32', q: number) => p(r[phase], q) - p(r.base?.[phase] ?? direct[phase], q);
  const lines = rows.map((r) => {
    if (r.target.skipped) return [r.target.name, `skipped: ${r.target.skipped}`];
    const s = r.stream;
    const directGap = direct.stream ? quantile(direct.stream.gapsMs, 0.5) : NaN;
    return [
      r.target.name,
      `${f1(p(r.c1, 0.5))}/${f1(p(r.c1, 0.99))}`,
      r === direct ? '–' : `${f1(added(r, 'c1', 0.5))}/${f1(added(r, 'c1', 0.99))}`,
      `${f1(p(r.c32, 0.5))}/${f1(p(r.c32, 0.99))}`,
      r === direct ? '–' : `${f1(added(r, 'c32', 0.5))}/${f1(added(r, 'c32', 0.99))}`,
      f0(r.peak?.rps ?? NaN),
      s ? `${f1(quantile(s.firstChunkMs, 0.5))}/${f1(quantile(s.firstChunkMs, 0.99))}` : (r.target.noStreams ?? '–'),
      s ? `${f1(quantile(s.gapsMs, 0.5))}/${f1(quantile(s.gapsMs, 0.99))}` : '–',
      s && r !== direct ? `${((quantile(s.gapsMs, 0.5) / directGap - 1) * 100).toFixed(1)}%` : '–',
      `${[r.c1, r.c32, r.peak].reduce((n, x) => n + (x?.errors ?? 0), 0)}${s ? `+${s.errors}` : ''}`,
      r.rssKiB ? f0(r.rssKiB / 1024) : '–',
    ];
  });
  console.log(
    `\nGateway benchmark: chat completions (max_tokens ${TOKENS}) to one NIM simulator; ${SECONDS} s per phase; ` +
      `SSE: ${SSE_STREAMS} streams one at a time from a simulator pacing ${TOKEN_DELAY_MS} ms per token.\n`,
  );
  console.log(
    table(
      [
        'target',
        'c=1 p50/p99 ms',
        'added c=1',
        'c=32 p50/p99 ms',
        'added c=32',
        `peak rps (c=${PEAK_CONCURRENCY})`,
        'SSE first chunk p50/p99',
        'SSE gap p50/p99',
        'gap vs direct',
        'errors (+SSE)',
        'peak RSS MiB',
      ],
      lines,
    ),
  );
  const by = (name: string) => rows.find((r) => r.target.name.startsWith(name));
  const nginx = by('nginx');
  const floor = by('Fastify');
  const provider = by('Modelplane provider');
  const model = by('Modelplane model');
  const portkey = by('Portkey');
  const ratio = (a: number, b: number) =>
    Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : '–';
  console.log('\nAgainst the targets:');
  if (nginx && !nginx.target.skipped && provider && model) {
    for (const phase of ['c1', 'c32'] as const) {
      console.log(
        `  added p99 at ${phase === 'c1' ? 'c=1 ' : 'c=32'}: provider route ${f1(added(provider, phase, 0.99))} ms = ` +
          `${ratio(added(provider, phase, 0.99), added(nginx, phase, 0.99))}× nginx's (target ≤ 3×); model route ` +
          `${f1(added(model, phase, 0.99))} ms = ${ratio(added(model, phase, 0.99), added(nginx, phase, 0.99))}× (target ≤ 4×)`,
      );
    }
  }
  if (floor && provider && model && portkey) {
    for (const [name, r] of [
      ['provider', provider],
      ['model', model],
    ] as const) {
      console.log(
        `  peak rps, ${name} route: ${ratio(r.peak?.rps ?? NaN, floor.peak?.rps ?? NaN)}× the Node floor (target ≥ 0.6×), ` +
          `${ratio(r.peak?.rps ?? NaN, portkey.peak?.rps ?? NaN)}× Portkey (target ≥ 3×)`,
      );
    }
  }
  console.log(
    '\nHow it is measured: the load generator is this process (undici, closed loop, one connection per client), on the\n' +
      'same 2 cores as the targets and the simulators; latency is request sent → body read. "added" is the target\'s\n' +
      "percentile minus direct's, direct measured right before each target's phase. SSE gaps are between body chunks as they arrive (one event per chunk at this pacing).\n" +
      'Memory: VmRSS of the proxy process (for nginx its worker), sampled every 200 ms. Errors: non-200 answers or\n' +
      'streams without [DONE].',
  );
}

await main();
