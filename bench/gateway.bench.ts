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
 * `Modelplane auth` is the auth on/off comparison and `Modelplane virtual model` a virtual model's routing against its
 * entity, each BENCH_AUTH_ROUNDS (6) alternating rounds of BENCH_AUTH_SECONDS (2) per side),
 * BENCH_PROFILE=1 (CPU profile of the Modelplane gateway into /tmp/modelplane-gateway-profile). nginx must be installed (`apt-get install nginx-light`);
 * without it its row says so.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH } from './bench-auth.js';
import { comparePair, pairReport, type Leg, type PairRound } from './gateway-pair-compare.js';
import {
  AUTH_ROUNDS,
  AUTH_SECONDS,
  env,
  FLOOR,
  freePort,
  load,
  measure,
  nginxConfig,
  ONLY,
  PEAK_CONCURRENCY,
  PORTKEY,
  PROFILE_DIR,
  progress,
  quantile,
  SECONDS,
  seedDatabase,
  sse,
  spawnGateway,
  SSE_STREAMS,
  startSimulator,
  stop,
  TOKEN_DELAY_MS,
  TOKENS,
  waitHttp,
  workerPidOf,
  type LoadResult,
  type Row,
  type Target,
} from './gateway-kit.js';

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
      const started = await spawnGateway(databaseUrl, extra, execArgv);
      children.push(started.child);
      return started;
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
    const legLoad = (leg: Leg, seconds: number) =>
      load({ name: 'pair', fast: leg.url, paced: leg.url, headers: leg.headers, pid: null }, chat, 1, seconds);
    const wanted = (name: string) => ONLY.length === 0 || ONLY.some((o) => name.startsWith(o));
    // The same gateway against one with AUTH_ENABLED=false, alternately, same upstream.
    let authRounds: PairRound[] | null = null;
    if (wanted('Modelplane auth')) {
      const { child: open, gw: openGw } = await startGateway({ AUTH_ENABLED: 'false' });
      authRounds = await comparePair(
        {
          with: { url: `${gw}/provider/fast/-`, headers: BENCH_AUTH },
          // The key is sent to both, so the two differ only by its check.
          without: { url: `${openGw}/provider/fast/-`, headers: BENCH_AUTH },
        },
        legLoad,
        { rounds: AUTH_ROUNDS, seconds: AUTH_SECONDS, label: 'auth on vs off' },
        progress,
      );
      await stop(open);
    }
    // A virtual model (a weighted policy with one target, as a canary starts) against its target entity, on the
    // model route of the same gateway: what deciding adds.
    let routingRounds: PairRound[] | null = null;
    if (wanted('Modelplane virtual model')) {
      routingRounds = await comparePair(
        {
          with: { url: `${gw}/model/llama-fast-canary/-`, headers: BENCH_AUTH },
          without: { url: `${gw}/model/llama-fast/-`, headers: BENCH_AUTH },
        },
        legLoad,
        { rounds: AUTH_ROUNDS, seconds: AUTH_SECONDS, label: 'virtual model vs entity' },
        progress,
      );
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
    if (authRounds) {
      const names = { title: 'Authentication on vs off (provider route)', with: 'on', without: 'off' };
      console.log(`\n${pairReport(authRounds, { ...names, added: 'authentication', target: '≤ 0.1 ms' })}`);
    }
    if (routingRounds) {
      const names = { title: 'Virtual model (weighted) vs its entity (model route)', with: 'vm', without: 'entity' };
      console.log(`\n${pairReport(routingRounds, { ...names, added: 'routing' })}`);
    }
  } finally {
    for (const child of children) await stop(child);
    await dropTestDatabase(databaseUrl).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
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
