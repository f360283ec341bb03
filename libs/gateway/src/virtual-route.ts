import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  ConversationCache,
  decide,
  type Decision,
  type FallbackCause,
  type Reason,
  type RoutingIo,
  type RoutingPolicy,
} from '#routing';
import { answerCheckFor } from './answer-check.js';
import { ClientGone } from './client-gone.js';
import type { Exchange } from './exchange.js';
import type { RoutingEvents } from './gateway-metrics.js';
import { GatewayError } from './gateway-error.js';
import { escalate } from './escalation.js';
import { InternalCalls } from './internal-call.js';
import { deliverAnswer } from './model-answer.js';
import type { ModelCaller, OpenCall } from './model-call.js';
import type { RoutingSource } from './routing-source.js';
import type { Pricing } from './routing-table.js';
import { askForUsage } from './usage.js';

export interface VirtualRouteOptions {
  maxJsonDepth: number;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const SHADOW_TIMEOUT_MS = 120_000;

/** What a recommendation answers: the decision, without calling the target. */
export interface Recommendation {
  virtual_model: string;
  model: string;
  provider: string | null;
  fallbacks: string[];
  reason: Reason;
  pricing: unknown;
  latency_ms: number;
}

/**
 * Requests to a virtual model: its request middleware decides the target
 * (libs/routing's decide, with this gateway's own calls to classifiers and
 * embedders), then the target is called, and on what the fallback entry
 * names (connection failure, timeout before the first byte, 5xx, 429, a
 * stream that breaks before its first token) the next one; a JSON answer
 * that fails the request's schema is retried on the escalation tiers; a
 * share of requests is copied to the shadow after the client's answer.
 * Every answer says which virtual model, target and reason (headers).
 */
export class VirtualRouter {
  private readonly conversations = new ConversationCache();
  private readonly calls: InternalCalls;

  constructor(
    private readonly caller: ModelCaller,
    private readonly source: RoutingSource,
    private readonly options: VirtualRouteOptions,
    private readonly events: RoutingEvents,
    private readonly logger: { warn(message: string): void },
  ) {
    this.calls = new InternalCalls(caller, source, options.maxJsonDepth);
  }

  async recommend(
    req: IncomingMessage,
    requestId: string,
    policy: RoutingPolicy,
    body: Record<string, unknown>,
  ): Promise<Recommendation> {
    const started = performance.now();
    const decision = await this.decide(req.headers, requestId, policy, body);
    const table = this.source.current;
    const model = table.models.get(decision.model);
    let provider: string | null;
    try {
      provider = model ? (this.caller.balancer.candidates(model)[0]?.provider.ref ?? null) : null;
    } catch {
      provider = null; // none READY: the decision stands, the provider is unknown
    }
    return {
      virtual_model: decision.virtualModel,
      model: decision.model,
      provider,
      fallbacks: decision.fallbacks,
      reason: decision.reason,
      pricing: table.prices.get(decision.model) ?? null,
      latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  async route(
    req: IncomingMessage,
    res: ServerResponse,
    ex: Exchange,
    path: string,
    policy: RoutingPolicy,
    body: Record<string, unknown>,
  ): Promise<void> {
    const { requestId } = ex;
    const decision = await this.decide(req.headers, requestId, policy, body);
    const vm = decision.virtualModel;
    res.setHeader('x-modelplane-virtual-model', vm);
    res.setHeader('x-modelplane-route-reason', reasonHeader(decision.reason));
    const method = req.method ?? 'POST';
    const gone = new ClientGone(res);
    const check = decision.escalation.length ? answerCheckFor(body) : null;
    const targets = [decision.model, ...decision.fallbacks];
    const sent = BODY_METHODS.has(method) ? askForUsage(body, ex) : null;
    let lastError: GatewayError | null = null;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      const role = i === 0 ? 'primary' : 'fallback';
      const canFall = (cause: FallbackCause) => i + 1 < targets.length && decision.fallbackOn.has(cause);
      if (i > 0) this.events.fellBack(vm, target);
      const model = this.source.current.models.get(target);
      if (!model) {
        lastError = new GatewayError(404, 'gateway/no_provider', `No providers found for model entity ${target}`);
        this.events.attempted(vm, target, role, 'no_provider');
        if (canFall('connection')) continue;
        throw lastError;
      }
      let opened: OpenCall | null;
      try {
        opened = await this.caller.open(model, {
          method,
          path,
          headers: req.headers,
          body: sent,
          requestId,
          gone,
          firstByteTimeoutMs: decision.firstByteTimeoutMs,
          exchange: ex,
        });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        const cause = causeOf(error);
        this.events.attempted(vm, target, role, cause);
        lastError = error;
        if (canFall(cause)) continue;
        throw error;
      }
      if (!opened) return; // the client went away
      const status = opened.upstream.statusCode;
      if ((status === 429 && canFall('status_429')) || (status >= 500 && canFall('status_5xx'))) {
        await opened.upstream.body.text().catch(() => '');
        opened.done();
        this.events.attempted(vm, target, role, status);
        lastError = new GatewayError(status, 'gateway/upstream_error', `${target} answered ${status}`);
        continue;
      }
      res.setHeader('x-modelplane-route-target', target);
      if (i > 0) res.setHeader('x-modelplane-route-fallbacks', String(i));
      const price = this.source.current.prices.get(target);
      if (price) res.setHeader('x-modelplane-route-pricing', pricingHeader(price));
      ex.pricing = price ?? null;
      if (check && status < 300) {
        const deps = {
          caller: this.caller,
          source: this.source,
          events: this.events,
          maxJsonDepth: this.options.maxJsonDepth,
        };
        await escalate(deps, res, opened, check, decision, { exchange: ex, headers: req.headers, body, gone });
        this.shadow(res, decision, body, requestId);
        return;
      }
      const outcome = await deliverAnswer(res, opened, requestId, {
        maxJsonDepth: this.options.maxJsonDepth,
        holdUntilToken: body.stream === true && canFall('stream_break'),
        exchange: ex,
      });
      if (outcome.result === 'broke') {
        res.removeHeader('x-modelplane-route-target');
        res.removeHeader('x-modelplane-route-pricing');
        this.events.attempted(vm, target, role, 'stream_break');
        lastError = new GatewayError(502, 'gateway/stream_interrupted', `${target} broke its stream before a token`);
        continue;
      }
      this.events.attempted(vm, target, role, status);
      this.shadow(res, decision, body, requestId);
      return;
    }
    throw lastError ?? new GatewayError(502, 'gateway/no_attempt', `No target of ${vm} could be tried`);
  }

  private async decide(
    headers: IncomingHttpHeaders,
    requestId: string,
    policy: RoutingPolicy,
    body: Record<string, unknown>,
  ): Promise<Decision> {
    const io: RoutingIo = {
      chat: async (model, messages, timeoutMs) => {
        const answer = await this.calls.json(
          model,
          'v1/chat/completions',
          { messages, max_tokens: 16, temperature: 0 },
          requestId,
          timeoutMs,
        );
        const content = (answer.choices as { message?: { content?: unknown } }[] | undefined)?.[0]?.message?.content;
        if (typeof content !== 'string') throw new Error(`${model} answered no text`);
        return content;
      },
      embed: async (model, text, timeoutMs) => {
        const answer = await this.calls.json(model, 'v1/embeddings', { input: text }, requestId, timeoutMs);
        const vector = (answer.data as { embedding?: unknown }[] | undefined)?.[0]?.embedding;
        if (!Array.isArray(vector) || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          throw new Error(`${model} answered no embedding`);
        }
        return vector as number[];
      },
      costOf: (model) => {
        const price = this.source.current.prices.get(model);
        return price ? price.input_per_million_tokens + price.output_per_million_tokens : undefined;
      },
      header: (name) => {
        const value = headers[name];
        return typeof value === 'string' ? value : undefined;
      },
    };
    const decision = await decide(policy, body, io, this.conversations);
    if (!decision) {
      throw new GatewayError(
        422,
        'gateway/virtual_model_no_target',
        `Virtual model ${policy.workspace}/${policy.name} chose no target and has no default_model_entity`,
      );
    }
    this.events.decided(decision.virtualModel, decision.model, reasonHeader(decision.reason));
    return decision;
  }

  /** After the client's answer, a share of requests goes to the shadow too; what it answers is only counted. */
  private shadow(res: ServerResponse, decision: Decision, body: Record<string, unknown>, requestId: string): void {
    const shadow = decision.shadow;
    if (!shadow || Math.random() >= shadow.share) return;
    const run = () => {
      void this.shadowCall(decision.virtualModel, shadow.model, body, requestId).catch((error: Error) =>
        this.logger.warn(`${requestId}: shadow ${shadow.model} failed: ${error.message}`),
      );
    };
    if (res.writableFinished) run();
    else res.once('close', run);
  }

  private async shadowCall(vm: string, ref: string, body: Record<string, unknown>, requestId: string): Promise<void> {
    try {
      await this.calls.json(
        ref,
        'v1/chat/completions',
        { ...body, stream: false },
        `${requestId}-shadow`,
        SHADOW_TIMEOUT_MS,
      );
      this.events.attempted(vm, ref, 'shadow', 200);
    } catch (error) {
      const message = (error as Error).message;
      const status = /answered (\d{3})/.exec(message)?.[1];
      this.events.attempted(
        vm,
        ref,
        'shadow',
        status ? Number(status) : /timed out/.test(message) ? 'timeout' : 'connection',
      );
    }
  }
}

/** Which fallback cause a failed call is. */
function causeOf(error: GatewayError): FallbackCause {
  // A first-byte limit answers 504; undici's own header timeout names itself.
  if (error.code === 'gateway/network') {
    return error.status === 504 || /HEADERS_TIMEOUT/.test(error.message) ? 'timeout' : 'connection';
  }
  if (error.code === 'gateway/no_ready_provider' || error.code === 'gateway/secret_unavailable') return 'connection';
  if (error.status === 429) return 'status_429';
  return 'status_5xx';
}

/** The reason as a short header value: `rules:0`, `intent_classifier:code`, `weighted:sticky`, `default`. */
export function reasonHeader(reason: Reason): string {
  if (reason.category) return `${reason.middleware}:${reason.category}`;
  if (reason.rule !== undefined) return `${reason.middleware}:${reason.rule}`;
  if (reason.detail.startsWith('failed open')) return `${reason.middleware}:failed_open`;
  if (reason.middleware === 'weighted') return reason.detail === 'sticky' ? 'weighted:sticky' : 'weighted';
  return reason.middleware;
}

/** A target's prices as a header: `input=0.6; output=1.2; currency=USD` (per million tokens). */
function pricingHeader(price: Pricing): string {
  return `input=${price.input_per_million_tokens}; output=${price.output_per_million_tokens}; currency=${price.currency}`;
}

/** The recommendation as a chat completion whose assistant message is the chosen model (the LLM Router's form). */
export function recommendationCompletion(decision: Recommendation, requestId: string): Record<string, unknown> {
  return {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: decision.virtual_model,
    choices: [{ index: 0, message: { role: 'assistant', content: decision.model }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    modelplane_decision: decision,
  };
}
