/**
 * What one thing adds to a gateway call, measured against the same call without it: two legs (two gateway
 * processes, or two routes of one) on the same upstream, measured alternately (A B, then B A, …) over several
 * rounds at concurrency 1, so machine drift falls on both alike. Reported per round as the p50 difference and
 * ratio, summarised as median and min–max over the rounds. Used for authentication on vs off, and a virtual
 * model's routing vs the model entity it routes to.
 */

export interface Leg {
  /** Base URL of the route (…/provider/fast/-) and the headers to send. */
  url: string;
  headers: Record<string, string>;
}

export interface PairRound {
  /** p50 with the thing measured, and without it. */
  withP50: number;
  withoutP50: number;
  errors: number;
}

export type LoadFn = (leg: Leg, seconds: number) => Promise<{ latenciesMs: number[]; errors: number }>;

export async function comparePair(
  legs: { with: Leg; without: Leg },
  load: LoadFn,
  { rounds, seconds, label }: { rounds: number; seconds: number; label: string },
  progress: (line: string) => void,
): Promise<PairRound[]> {
  // Both warm (JIT, connection pools) before any round counts.
  for (let i = 0; i < 2; i++) for (const leg of [legs.with, legs.without]) await load(leg, seconds);
  const results: PairRound[] = [];
  for (let i = 0; i < rounds; i++) {
    progress(`${label}: round ${i + 1}/${rounds}`);
    const first = i % 2 === 0 ? legs.with : legs.without;
    const second = first === legs.with ? legs.without : legs.with;
    const a = await load(first, seconds);
    const b = await load(second, seconds);
    const [withRun, withoutRun] = first === legs.with ? [a, b] : [b, a];
    results.push({
      withP50: median(withRun.latenciesMs),
      withoutP50: median(withoutRun.latenciesMs),
      errors: a.errors + b.errors,
    });
  }
  return results;
}

export function pairReport(
  rounds: PairRound[],
  names: { title: string; with: string; without: string; added: string; target?: string },
): string {
  const added = rounds.map((r) => r.withP50 - r.withoutP50);
  const ratio = rounds.map((r) => r.withP50 / r.withoutP50);
  const range = (v: number[], f: (x: number) => string) =>
    `median ${f(median(v))} (min ${f(Math.min(...v))} – max ${f(Math.max(...v))})`;
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  return [
    `${names.title} (c=1, ${rounds.length} alternating rounds):`,
    ...rounds.map(
      (r, i) =>
        `  round ${i + 1}: p50 ${names.with} ${r.withP50.toFixed(3)} ms, ${names.without} ${r.withoutP50.toFixed(3)} ms, ` +
        `added ${(r.withP50 - r.withoutP50).toFixed(3)} ms, ratio ${(r.withP50 / r.withoutP50).toFixed(3)}` +
        (r.errors ? `, ${r.errors} errors` : ''),
    ),
    `  p50 added by ${names.added}: ${range(added, ms)}${names.target ? ` (target ${names.target})` : ''}`,
    `  ratio ${names.with} / ${names.without} at p50: ${range(ratio, (x) => x.toFixed(3))}`,
  ].join('\n');
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
