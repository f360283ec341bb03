/**
 * Prometheus metrics, kept as plain counters: one map update per request.
 * Requests are counted when they finish, by route and status; a client that
 * hangs up before a delayed answer counts as 499 (nginx's "client closed").
 */

export const CLIENT_CLOSED = 499;

export class MetricsRegistry {
  private readonly requests = new Map<string, Map<number, number>>();
  private inFlight = 0;
  private promptTokens = 0;
  private generatedTokens = 0;

  constructor(private readonly isReady: () => boolean) {}

  begin(): void {
    this.inFlight++;
  }

  end(route: string, status: number): void {
    this.inFlight--;
    let byStatus = this.requests.get(route);
    if (byStatus === undefined) this.requests.set(route, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  tokens(prompt: number, generated: number): void {
    this.promptTokens += prompt;
    this.generatedTokens += generated;
  }

  /** The text exposition format, version 0.0.4. */
  render(): string {
    const lines = [
      '# HELP nim_sim_requests_total Requests answered, by route and HTTP status.',
      '# TYPE nim_sim_requests_total counter',
    ];
    for (const [route, byStatus] of this.requests) {
      for (const [status, n] of byStatus)
        lines.push(`nim_sim_requests_total{route="${route}",status="${status}"} ${n}`);
    }
    lines.push(
      '# HELP nim_sim_prompt_tokens_total Prompt tokens of answered completion and embedding requests.',
      '# TYPE nim_sim_prompt_tokens_total counter',
      `nim_sim_prompt_tokens_total ${this.promptTokens}`,
      '# HELP nim_sim_generated_tokens_total Completion tokens generated.',
      '# TYPE nim_sim_generated_tokens_total counter',
      `nim_sim_generated_tokens_total ${this.generatedTokens}`,
      '# HELP nim_sim_requests_in_flight Requests being answered now.',
      '# TYPE nim_sim_requests_in_flight gauge',
      `nim_sim_requests_in_flight ${this.inFlight}`,
      '# HELP nim_sim_ready 1 once /v1/health/ready answers 200.',
      '# TYPE nim_sim_ready gauge',
      `nim_sim_ready ${this.isReady() ? 1 : 0}`,
    );
    return lines.join('\n') + '\n';
  }
}
