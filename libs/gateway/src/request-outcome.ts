import type { ModelPricing } from '#domain';

/**
 * Why a gateway request failed, in a bounded vocabulary (a metric label, a usage row's error count):
 * the upstream answered an error status, timed out, could not be reached, cut its stream; no READY
 * provider; the request itself was refused (bad body, unknown model, access).
 */
export type FailureCause =
  | 'upstream_status'
  | 'timeout'
  | 'connection'
  | 'stream_cut'
  | 'no_provider'
  | 'not_found'
  | 'bad_request'
  | 'refused'
  | 'internal';

/**
 * What one request through the gateway came to, written once when its answer is finished (or the client
 * went away). Every field that becomes a metric label or a usage key comes from the registry (workspace,
 * model entity or virtual model, provider) or from a fixed vocabulary, never from a request's own text.
 */
export interface RequestOutcome {
  requestId: string;
  workspace: string;
  /** `key:…` / `user:…` (never a credential); null when access is off. */
  principal: string | null;
  /** The API key's id when the caller used one (usage per key). */
  keyId: string | null;
  /** Which gateway route: `model`, `openai`, `provider`, `decision`, `models`. */
  route: string;
  /**
   * The model entity or virtual model asked for (`workspace/name`), when the registry knows it; else null. On
   * the provider route, whose body is not read, the entity of a provider that serves exactly one.
   */
  model: string | null;
  /** Whether `model` names a virtual model. */
  virtualModel: boolean;
  /** The provider (`workspace/name`) that answered last, when one was called. */
  provider: string | null;
  /** `chat`, `text_completion`, `embeddings`, … (OpenTelemetry's gen_ai.operation.name), from the path. */
  operation: string;
  /** The status the client got (0: it went away before an answer). */
  status: number;
  cause: FailureCause | null;
  startedAt: number;
  durationMs: number;
  /** From the first byte sent to the client; null for an answer that was not streamed. */
  timeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  /** The answering model entity's prices, when it has them (cost = tokens × price). */
  pricing: ModelPricing | null;
}

/** Takes each finished request: the metrics, the usage accounting. Must not throw and must not wait. */
export interface OutcomeSink {
  record(outcome: RequestOutcome): void;
}

/** A request's cost in its pricing's currency, or null when the model has no prices. */
export function costOf(outcome: Pick<RequestOutcome, 'inputTokens' | 'outputTokens' | 'pricing'>): number | null {
  const { pricing } = outcome;
  if (!pricing) return null;
  return (
    (outcome.inputTokens * pricing.input_per_million_tokens +
      outcome.outputTokens * pricing.output_per_million_tokens) /
    1_000_000
  );
}
