import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ModelPricing } from '#domain';
import { SpanKind, Tracing, type Span } from '#telemetry';
import { GatewayError } from './gateway-error.js';
import type { FailureCause, RequestOutcome } from './request-outcome.js';
import type { ProviderRoute } from './routing-table.js';
import { tokenCount, type Usage } from './usage.js';

/** Which gateway route a request came by (RequestOutcome.route). */
export type GatewayRouteKind = 'model' | 'openai' | 'provider' | 'decision' | 'models';

/** OpenTelemetry's gen_ai.operation.name, from the forwarded path; a fixed vocabulary. */
export type GatewayOperation = 'chat' | 'text_completion' | 'embeddings' | 'rerank' | 'models' | 'decision' | 'other';

const OPERATIONS: Record<string, GatewayOperation> = {
  'chat/completions': 'chat',
  completions: 'text_completion',
  embeddings: 'embeddings',
  ranking: 'rerank',
  rerank: 'rerank',
  reranking: 'rerank',
  models: 'models',
};

/** `v1/chat/completions?x=1` → `chat`; anything unknown → `other` (never the path itself). */
export function operationOf(path: string): GatewayOperation {
  const q = path.indexOf('?');
  let p = q < 0 ? path : path.slice(0, q);
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  if (p.startsWith('v1/')) p = p.slice(3);
  if (p.startsWith('models/')) return 'models';
  return OPERATIONS[p] ?? 'other';
}

/** What a request ended with, as a bounded cause (RequestOutcome.cause), from the error it was answered with. */
export function causeOf(error: GatewayError): FailureCause {
  switch (error.code) {
    case 'gateway/upstream_error':
    case 'gateway/upstream_rejected':
    case 'gateway/bad_upstream_json':
      return 'upstream_status';
    case 'gateway/network':
      return error.status === 504 || /HEADERS_TIMEOUT|BODY_TIMEOUT|timed out/i.test(error.message)
        ? 'timeout'
        : 'connection';
    case 'gateway/stream_interrupted':
      return 'stream_cut';
    case 'gateway/no_provider':
    case 'gateway/no_ready_provider':
    case 'gateway/no_attempt':
    case 'gateway/secret_unavailable':
      return 'no_provider';
    case 'gateway/model_not_found':
    case 'gateway/provider_not_found':
    case 'gateway/provider_not_ready':
    case 'gateway/no_route':
      return 'not_found';
    case 'gateway/internal':
      return 'internal';
  }
  if (error.status === 401 || error.status === 403 || error.status === 429) return 'refused';
  return error.status >= 500 ? 'internal' : 'bad_request';
}

/** Where a finished exchange goes: the outcome sinks, the log line, the span (GatewayTelemetry). */
export interface ExchangeHub {
  readonly tracing: Tracing;
  finish(exchange: Exchange, outcome: RequestOutcome): void;
}

/** The end of an upstream attempt's span when there is none (tracing off). */
export const NO_SPAN_END = (): void => undefined;

/**
 * One request through the gateway, from its first hook to the end of its answer: what it came to
 * (who, which model and provider, tokens, timings, failure) is filled in along the way by the code that
 * learns it, and handed to the hub once, when the response closes (answer complete or client gone).
 */
export class Exchange {
  principal: string | null = null;
  keyId: string | null = null;
  /** The model entity or virtual model (`workspace/name`) from the routing table; null when it knows none. */
  model: string | null = null;
  virtualModel = false;
  /** The provider (`workspace/name`) that answered last. */
  provider: string | null = null;
  operation: GatewayOperation;
  cause: FailureCause | null = null;
  inputTokens = 0;
  outputTokens = 0;
  pricing: ModelPricing | null = null;
  /** The client's stream did not ask for usage: it was asked for upstream, and is taken out of what the client gets. */
  stripUsage = false;
  readonly startedAt = Date.now();
  private readonly t0 = performance.now();
  private firstTokenMs: number | null = null;
  private readonly span: Span | null;
  private finished = false;

  constructor(
    private readonly hub: ExchangeHub,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly route: GatewayRouteKind,
    /** The route's template (the log line's `route`). */
    readonly template: string,
    readonly workspace: string,
  ) {
    this.operation = route === 'models' ? 'models' : route === 'decision' ? 'decision' : 'other';
    this.span = hub.tracing.enabled
      ? hub.tracing.startSpan(
          'gateway',
          SpanKind.SERVER,
          { 'http.request.method': req.method ?? '', 'http.route': template },
          req.headers,
        )
      : null;
    res.once('close', () => this.finish());
  }

  /** The time from the start to the first content chunk written to the client (streams). */
  get timeToFirstTokenMs(): number | null {
    return this.firstTokenMs;
  }

  firstToken(): void {
    if (this.firstTokenMs === null) this.firstTokenMs = performance.now() - this.t0;
  }

  /** An upstream's `usage` (each answer read counts: an escalated request paid for every tier). */
  addUsage(usage: Usage | undefined): void {
    if (!usage) return;
    this.inputTokens += tokenCount(usage.prompt_tokens);
    this.outputTokens += tokenCount(usage.completion_tokens);
  }

  /** A GatewayError (or anything else) the request is answered with. */
  failed(error: unknown): void {
    this.cause = error instanceof GatewayError ? causeOf(error) : 'internal';
  }

  /**
   * One upstream call to `provider` begins: it becomes the provider that answered last, and, with tracing
   * on, a CLIENT span is started whose `traceparent` goes upstream in `headers`. Returns the span's end.
   */
  attempt(provider: ProviderRoute, headers: Record<string, string>): (status?: number, failure?: string) => void {
    this.provider = provider.ref;
    if (!this.span) return NO_SPAN_END;
    const tracing = this.hub.tracing;
    const span = tracing.startChild(this.span, 'upstream', SpanKind.CLIENT, {
      'gen_ai.provider.name': provider.ref,
      'server.address': provider.hostUrl,
    });
    tracing.inject(span, headers);
    let ended = false;
    return (status, failure) => {
      if (ended) return;
      ended = true;
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (failure) Tracing.fail(span, failure, { 'error.type': failure });
      span.end();
    };
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const { res } = this;
    const status = res.headersSent ? res.statusCode : 0;
    const durationMs = performance.now() - this.t0;
    const outcome: RequestOutcome = {
      requestId: this.requestId,
      workspace: this.workspace,
      principal: this.principal,
      keyId: this.keyId,
      route: this.route,
      model: this.model,
      virtualModel: this.virtualModel,
      provider: this.provider,
      operation: this.operation,
      status,
      cause: this.cause ?? (status >= 500 ? 'internal' : null),
      startedAt: this.startedAt,
      durationMs,
      timeToFirstTokenMs: this.firstTokenMs,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      pricing: this.pricing,
    };
    if (this.span) this.endSpan(outcome);
    this.hub.finish(this, outcome);
  }

  private endSpan(outcome: RequestOutcome): void {
    const span = this.span as Span;
    // OpenTelemetry's GenAI span name: `{operation} {model}`.
    span.updateName(`${outcome.operation} ${outcome.model ?? '(unknown)'}`);
    span.setAttributes({
      'gen_ai.operation.name': outcome.operation,
      'gen_ai.request.model': outcome.model ?? '(unknown)',
      'gen_ai.provider.name': outcome.provider ?? '(none)',
      'gen_ai.usage.input_tokens': outcome.inputTokens,
      'gen_ai.usage.output_tokens': outcome.outputTokens,
      'http.response.status_code': outcome.status,
      'modelplane.request_id': outcome.requestId,
    });
    if (outcome.cause) Tracing.fail(span, outcome.cause, { 'error.type': outcome.cause });
    span.end();
  }
}
