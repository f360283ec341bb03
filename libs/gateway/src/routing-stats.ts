/**
 * Counts of routing decisions and of what came of them, per virtual model,
 * target and reason, in memory, for the metrics endpoint (issue 14) and for
 * tests. Label sets are bounded: virtual models and targets come from the
 * registry, reasons from the policy's own middleware (rule numbers,
 * categories), never from a request.
 */
export interface OutcomeCounts {
  requests: number;
  /** By status class (2xx, 4xx, 5xx) or failure (timeout, connection, stream_break, no_provider). */
  results: Record<string, number>;
  latencyMsSum: number;
  inputTokens: number;
  outputTokens: number;
}

export type Role = 'primary' | 'fallback' | 'escalation' | 'shadow';

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

export class RoutingStats {
  private readonly decisions = new Map<string, number>();
  private readonly outcomes = new Map<string, OutcomeCounts>();

  decided(virtualModel: string, target: string, reason: string): void {
    const key = `${virtualModel}\t${target}\t${reason}`;
    this.decisions.set(key, (this.decisions.get(key) ?? 0) + 1);
  }

  /** What a call to `target` in `role` came to: an HTTP status or a failure's name, its latency and tokens. */
  observed(
    virtualModel: string,
    target: string,
    role: Role,
    result: number | string,
    latencyMs: number,
    usage?: Usage,
  ): void {
    const key = `${virtualModel}\t${target}\t${role}`;
    let counts = this.outcomes.get(key);
    if (!counts)
      this.outcomes.set(key, (counts = { requests: 0, results: {}, latencyMsSum: 0, inputTokens: 0, outputTokens: 0 }));
    const label = typeof result === 'number' ? `${Math.floor(result / 100)}xx` : result;
    counts.requests++;
    counts.results[label] = (counts.results[label] ?? 0) + 1;
    counts.latencyMsSum += latencyMs;
    counts.inputTokens += nonNegative(usage?.prompt_tokens);
    counts.outputTokens += nonNegative(usage?.completion_tokens);
  }

  snapshot(): {
    decisions: { virtual_model: string; target: string; reason: string; count: number }[];
    outcomes: ({ virtual_model: string; target: string; role: string } & OutcomeCounts)[];
  } {
    return {
      decisions: [...this.decisions].map(([key, count]) => {
        const [virtual_model, target, reason] = key.split('\t');
        return { virtual_model, target, reason, count };
      }),
      outcomes: [...this.outcomes].map(([key, counts]) => {
        const [virtual_model, target, role] = key.split('\t');
        return { virtual_model, target, role, ...counts, results: { ...counts.results } };
      }),
    };
  }
}

function nonNegative(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}
