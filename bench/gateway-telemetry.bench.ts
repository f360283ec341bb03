/**
 * What the gateway's telemetry costs: the same gateway build with metrics, one log line per request and the
 * outcome sinks ON (METRICS_ENABLED=true, LOG_LEVEL=log: each request's line written to standard output, here
 * /dev/null) against OFF (METRICS_ENABLED=false: no metrics sink; LOG_LEVEL=error: no request lines); usage
 * accounting is on in both. Two processes over one simulator, both bound to CPU 1 and the simulator and the load
 * to CPU 0 (BENCH_PIN=0: unbound), so that the gateway is what limits the rate and nothing else lands on its core.
 * Per round:
 *   - alternately (ON OFF, then OFF ON, …): peak requests per second (closed loop at BENCH_PEAK_CONCURRENCY) and
 *     p50 at concurrency 1, on the model route, with the gateway's CPU time per request;
 *   - at once, sharing the core (half the concurrency each): the machine's drift hits both alike, so this ratio
 *     is the tightest figure (the alternate one moved by ±10% between rounds of identical gateways here).
 * Summary: medians with min–max over the rounds, against the issue's targets (peak RPS ≥ 0.9×, p50 < +0.1 ms).
 *
 *   npm run bench:gateway-telemetry
 *
 * Knobs: BENCH_TELEMETRY_ROUNDS (6), BENCH_TELEMETRY_SECONDS (3 per phase), BENCH_PEAK_CONCURRENCY (64),
 * BENCH_TOKENS (16), BENCH_PIN (1), BENCH_TELEMETRY_ON_ENV and BENCH_TELEMETRY_OFF_ENV (a JSON object of settings
 * over a side's, to take the parts apart).
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { migrationPaths } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH } from './bench-auth.js';
import {
  cpuMs,
  env,
  pinToCpu,
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
const PIN = (env.BENCH_PIN ?? '1') !== '0' && availableParallelism() >= 2;

interface Side {
  peakRps: number;
  /** The gateway process's CPU time per answered request in the peak phase, µs: less noisy than the rate. */
  cpuUsPerRequest: number;
  /** The gateway's CPU time over the peak phase's wall time: near 1 when the gateway is what limits the rate. */
  busy: number;
  p50Ms: number;
  errors: number;
}

async function measureSide(target: Target): Promise<Side> {
  const cpuBefore = target.pid === null ? 0 : cpuMs(target.pid);
  const peak = await load(target, CHAT, PEAK_CONCURRENCY, SECONDS);
  const cpu = target.pid === null ? 0 : cpuMs(target.pid) - cpuBefore;
  const single = await load(target, CHAT, 1, SECONDS);
  return {
    peakRps: peak.rps,
    cpuUsPerRequest: (cpu * 1000) / Math.max(1, peak.latenciesMs.length),
    busy: cpu / (SECONDS * 1000),
    p50Ms: quantile(single.latenciesMs, 0.5),
    errors: peak.errors + single.errors,
  };
}

/** Work per request while both gateways share CPU 1 at once: which one the machine's noise hits, it hits both. */
interface Shared {
  onRps: number;
  offRps: number;
  onCpuUs: number;
  offCpuUs: number;
}

async function measureShared(on: Target, off: Target): Promise<Shared> {
  const before = [on, off].map((t) => (t.pid === null ? 0 : cpuMs(t.pid)));
  const [a, b] = await Promise.all([on, off].map((t) => load(t, CHAT, PEAK_CONCURRENCY / 2, SECONDS)));
  const used = [on, off].map((t, i) => (t.pid === null ? 0 : cpuMs(t.pid) - before[i]));
  return {
    onRps: a.rps,
    offRps: b.rps,
    onCpuUs: (used[0] * 1000) / Math.max(1, a.latenciesMs.length),
    offCpuUs: (used[1] * 1000) / Math.max(1, b.latenciesMs.length),
  };
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
    const simulator = startSimulator(port, {});
    children.push(simulator);
    const sim = `http://127.0.0.1:${port}`;
    await waitHttp(`${sim}/v1/health/ready`);
    await seedDatabase(databaseUrl, sim, sim);
    // Both gateways on CPU 1, the simulator and this process (the load) on CPU 0: the gateway measured has a core
    // of its own, and the other side's work no longer lands on it at random.
    let pinned = PIN && simulator.pid !== undefined && pinToCpu(simulator.pid, 0) && pinToCpu(process.pid, 0);
    const start = async (name: string, extra: Record<string, string>): Promise<Target> => {
      const { child, gw } = await spawnGateway(databaseUrl, extra);
      children.push(child);
      if (PIN && child.pid !== undefined) pinned &&= pinToCpu(child.pid, 1);
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

    const rounds: { on: Side; off: Side; shared: Shared }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      progress(`telemetry on vs off: round ${i + 1}/${ROUNDS}`);
      const order = i % 2 === 0 ? [on, off] : [off, on];
      const sides: Record<string, Side> = {};
      for (const target of order) sides[target.name] = await measureSide(target);
      rounds.push({ on: sides.on, off: sides.off, shared: await measureShared(on, off) });
    }
    const loadAfter = loadavg();

    const ratio = rounds.map((r) => r.on.peakRps / r.off.peakRps);
    const added = rounds.map((r) => r.on.p50Ms - r.off.p50Ms);
    const cpuAdded = rounds.map((r) => r.on.cpuUsPerRequest - r.off.cpuUsPerRequest);
    const cpuRatio = rounds.map((r) => r.off.cpuUsPerRequest / r.on.cpuUsPerRequest);
    const sharedRatio = rounds.map((r) => r.shared.onRps / r.shared.offRps);
    const sharedCpuRatio = rounds.map((r) => r.shared.offCpuUs / r.shared.onCpuUs);
    const sharedCpuAdded = rounds.map((r) => r.shared.onCpuUs - r.shared.offCpuUs);
    const f3 = (x: number) => x.toFixed(3);
    console.log(
      [
        `Gateway telemetry ON (metrics + log line + outcome sinks) vs OFF, model route, ${ROUNDS} alternating rounds ` +
          `of ${SECONDS} s per phase (peak at c=${PEAK_CONCURRENCY}, p50 at c=1):`,
        ...rounds.map(
          (r, i) =>
            `  round ${i + 1}: peak RPS on ${r.on.peakRps.toFixed(0)}, off ${r.off.peakRps.toFixed(0)}, ratio ${f3(ratio[i])}; ` +
            `gateway CPU per request on ${r.on.cpuUsPerRequest.toFixed(1)} µs, off ${r.off.cpuUsPerRequest.toFixed(1)} µs ` +
            `(busy ${(r.on.busy * 100).toFixed(0)}%, ${(r.off.busy * 100).toFixed(0)}%); ` +
            `p50 on ${f3(r.on.p50Ms)} ms, off ${f3(r.off.p50Ms)} ms, added ${f3(added[i])} ms` +
            (r.on.errors + r.off.errors ? `; ${r.on.errors + r.off.errors} errors` : '') +
            `; sharing a core: RPS on ${r.shared.onRps.toFixed(0)}, off ${r.shared.offRps.toFixed(0)}, ` +
            `CPU per request on ${r.shared.onCpuUs.toFixed(1)} µs, off ${r.shared.offCpuUs.toFixed(1)} µs`,
        ),
        `  peak RPS on/off: ${summary(ratio, f3)} (target ≥ 0.9)`,
        `  gateway CPU per request added by telemetry: ${summary(cpuAdded, (x) => `${x.toFixed(1)} µs`)}; ` +
          `off/on (the peak rate ratio a CPU-bound gateway would show): ${summary(cpuRatio, f3)}`,
        `  sharing one core at once (c=${PEAK_CONCURRENCY / 2} each): RPS on/off ${summary(sharedRatio, f3)}; ` +
          `CPU per request off/on ${summary(sharedCpuRatio, f3)}, added ${summary(sharedCpuAdded, (x) => `${x.toFixed(1)} µs`)}`,
        `  p50 added by telemetry: ${summary(added, (x) => `${f3(x)} ms`)} (target < 0.1 ms)`,
        `  ${pinned ? 'gateways pinned to CPU 1, simulator and load to CPU 0' : 'not pinned (BENCH_PIN=0, no taskset or one CPU)'}; ` +
          `load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`,
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
