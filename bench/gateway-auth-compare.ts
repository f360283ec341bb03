/**
 * What authentication adds to a gateway call: two gateway processes on the same database and upstream,
 * one with AUTH_ENABLED=false, measured alternately (A B, then B A, …) over several rounds at
 * concurrency 1, so machine drift falls on both alike. Reported per round as the p50 difference and
 * ratio, summarised as median and min–max over the rounds.
 */

export interface AuthLeg {
  /** Base URL of the route (…/provider/fast/-) and the headers to send. */
  url: string;
  headers: Record<string, string>;
}

export interface AuthRound {
  onP50: number;
  offP50: number;
  errors: number;
}

export type LoadFn = (leg: AuthLeg, seconds: number) => Promise<{ latenciesMs: number[]; errors: number }>;

export async function compareAuth(
  on: AuthLeg,
  off: AuthLeg,
  load: LoadFn,
  { rounds, seconds }: { rounds: number; seconds: number },
  progress: (line: string) => void,
): Promise<AuthRound[]> {
  // Both warm (JIT, connection pools) before any round counts: the auth-off process has just started.
  for (let i = 0; i < 2; i++) for (const leg of [on, off]) await load(leg, seconds);
  const results: AuthRound[] = [];
  for (let i = 0; i < rounds; i++) {
    progress(`auth on vs off: round ${i + 1}/${rounds}`);
    const first = i % 2 === 0 ? on : off;
    const second = first === on ? off : on;
    const a = await load(first, seconds);
    const b = await load(second, seconds);
    const [onRun, offRun] = first === on ? [a, b] : [b, a];
    results.push({ onP50: median(onRun.latenciesMs), offP50: median(offRun.latenciesMs), errors: a.errors + b.errors });
  }
  return results;
}

export function authReport(rounds: AuthRound[]): string {
  const added = rounds.map((r) => r.onP50 - r.offP50);
  const ratio = rounds.map((r) => r.onP50 / r.offP50);
  const range = (v: number[], f: (x: number) => string) =>
    `median ${f(median(v))} (min ${f(Math.min(...v))} – max ${f(Math.max(...v))})`;
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  return [
    `Authentication on vs off (provider route, c=1, ${rounds.length} alternating rounds):`,
    ...rounds.map(
      (r, i) =>
        `  round ${i + 1}: p50 on ${r.onP50.toFixed(3)} ms, off ${r.offP50.toFixed(3)} ms, ` +
        `added ${(r.onP50 - r.offP50).toFixed(3)} ms, ratio ${(r.onP50 / r.offP50).toFixed(3)}` +
        (r.errors ? `, ${r.errors} errors` : ''),
    ),
    `  p50 added by authentication: ${range(added, ms)} (target ≤ 0.1 ms)`,
    `  ratio auth on / off at p50: ${range(ratio, (x) => x.toFixed(3))}`,
  ].join('\n');
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
