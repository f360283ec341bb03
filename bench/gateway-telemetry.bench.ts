/**
 * What the gateway's telemetry costs: the same gateway build with metrics, one log line per request and the
 * outcome sinks ON (METRICS_ENABLED=true, LOG_LEVEL=log: each request's line written to standard output, here
 * /dev/null) against OFF (METRICS_ENABLED=false, so no sinks; LOG_LEVEL=error, so no request lines), two
 * processes over one simulator, measured alternately (ON OFF, then OFF ON, …) so machine drift falls on both.
 * Per round and side: peak requests per second (closed loop at BENCH_PEAK_CONCURRENCY) and p50 at concurrency 1,
 * on the model route (usage read from every answer). Summary: the median ON/OFF peak-RPS ratio and the median
 * p50 added by telemetry, each with its min–max over the rounds, against the issue's targets (≥ 0.9×, < 0.1 ms).
 *
 *   npm run bench:gateway-telemetry
 *
 * Knobs: BENCH_TELEMETRY_ROUNDS (6), BENCH_TELEMETRY_SECONDS (3 per phase), BENCH_PEAK_CONCURRENCY (64),
 * BENCH_TOKENS (16), BENCH_TELEMETRY_ON_ENV and BENCH_TELEMETRY_OFF_ENV (a JSON object of settings over a side's).
 */
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH } from './bench-auth.js';
import {
  env,
  freePort,
  load,
  PEAK_CONCURRENCY,
  progress,
  quantile,
  seedDatabase,
  spawnGateway,
  startSimulator,
  stop,
  waitHttp,
  type Target,
} from './gateway-kit.js';

const ROUNDS = Number(env.BENCH_TELEMETRY_ROUNDS ?? 6);
const SECONDS = Number(env.BENCH_TELEMETRY_SECONDS ?? 3);
const CHAT = '/v1/chat/completions';

interface Side {
  peakRps: number;
  p50Ms: number;
  errors: number;
}

async function measureSide(target: Target): Promise<Side> {
  const peak = await load(target, CHAT, PEAK_CONCURRENCY, SECONDS);
  const single = await load(target, CHAT, 1, SECONDS);
  return { peakRps: peak.rps, p50Ms: quantile(single.latenciesMs, 0.5), errors: peak.errors + single.errors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(values: number[], f: (x: number) => string): string {
  return `median ${f(median(values))} (min ${f(Math.min(...values))} – max ${f(Math.max(...values))})`;
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const databaseUrl = await createTestDatabase('modelplane_gwtelbench');
  const loadBefore = loadavg();
  try {
    await applyMigrations({ databaseUrl, ...migrationPaths() });
    const port = await freePort();
    children.push(startSimulator(port, {}));
    const sim = `http://127.0.0.1:${port}`;
    await waitHttp(`${sim}/v1/health/ready`);
    await seedDatabase(databaseUrl, sim, sim);
    const start = async (name: string, extra: Record<string, string>): Promise<Target> => {
      const { child, gw } = await spawnGateway(databaseUrl, extra);
      children.push(child);
      const url = `${gw}/model/llama-fast/-`;
      return { name, fast: url, paced: url, headers: BENCH_AUTH, pid: child.pid ?? null };
    };
    // BENCH_TELEMETRY_ON_ENV / _OFF_ENV (JSON objects) override a side's settings, to take the parts apart.
    const side = (name: string, base: Record<string, string>) => ({
      ...base,
      ...(JSON.parse(env[`BENCH_TELEMETRY_${name}_ENV`] ?? '{}') as Record<string, string>),
    });
    const on = await start('on', side('ON', { METRICS_ENABLED: 'true', LOG_LEVEL: 'log', LOG_FORMAT: 'json' }));
    const off = await start('off', side('OFF', { METRICS_ENABLED: 'false', LOG_LEVEL: 'error', LOG_FORMAT: 'json' }));
    // Both warm (JIT, connection pools) before any round counts.
    for (const target of [on, off, on, off]) await load(target, CHAT, PEAK_CONCURRENCY, 1);

    const rounds: { on: Side; off: Side }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      progress(`telemetry on vs off: round ${i + 1}/${ROUNDS}`);
      const order = i % 2 === 0 ? [on, off] : [off, on];
      const sides: Record<string, Side> = {};
      for (const target of order) sides[target.name] = await measureSide(target);
      rounds.push({ on: sides.on, off: sides.off });
    }
    const loadAfter = loadavg();

    const ratio = rounds.map((r) => r.on.peakRps / r.off.peakRps);
    const added = rounds.map((r) => r.on.p50Ms - r.off.p50Ms);
    const f3 = (x: number) => x.toFixed(3);
    console.log(
      [
        `Gateway telemetry ON (metrics + log line + outcome sinks) vs OFF, model route, ${ROUNDS} alternating rounds ` +
          `of ${SECONDS} s per phase (peak at c=${PEAK_CONCURRENCY}, p50 at c=1):`,
        ...rounds.map(
          (r, i) =>
            `  round ${i + 1}: peak RPS on ${r.on.peakRps.toFixed(0)}, off ${r.off.peakRps.toFixed(0)}, ratio ${f3(ratio[i])}; ` +
            `p50 on ${f3(r.on.p50Ms)} ms, off ${f3(r.off.p50Ms)} ms, added ${f3(added[i])} ms` +
            (r.on.errors + r.off.errors ? `; ${r.on.errors + r.off.errors} errors` : ''),
        ),
        `  peak RPS on/off: ${summary(ratio, f3)} (target ≥ 0.9)`,
        `  p50 added by telemetry: ${summary(added, (x) => `${f3(x)} ms`)} (target < 0.1 ms)`,
        `  load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`,
      ].join('\n'),
    );
  } finally {
    for (const child of children) await stop(child);
    await dropTestDatabase(databaseUrl).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
