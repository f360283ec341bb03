import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import { Balancer, retryAfterMs, type Candidate } from './balancer.js';
import { ClientGone } from './client-gone.js';
import { NO_SPAN_END, type Exchange } from './exchange.js';
import { GatewayError } from './gateway-error.js';
import type { RoutingEvents } from './gateway-metrics.js';
import type { ModelRoute, ProviderRoute } from './routing-table.js';
import { networkError, upstreamError } from './upstream-errors.js';
import type { UpstreamPools } from './upstream-pools.js';
import { mergeBody, upstreamHeaders, upstreamUrl } from './upstream-request.js';

export interface CallOptions {
  /** Providers tried per request (connection failures, 5xx before any byte). */
  maxAttempts: number;
  /** The longest Retry-After waited before trying the same provider again. */
  retryAfterMaxMs: number;
}

export interface ModelCallLogger {
  warn(message: string): void;
}

/** A request to a model entity: what to send, and on whose behalf. */
export interface ModelCall {
  method: string;
  /** The path after `/-/`, sent to the provider. */
  path: string;
  /** The client's headers (what upstreamHeaders passes on), or none for the gateway's own calls. */
  headers: IncomingHttpHeaders;
  /** The JSON body (its `model` becomes the provider's served name); null for a method without one. */
  body: Record<string, unknown> | null;
  requestId: string;
  gone: ClientGone;
  /** No response headers within this long fails the attempt as a timeout (a fallback may take over). */
  firstByteTimeoutMs?: number | null;
  /** The client's request this call is part of (none for the gateway's own calls). */
  exchange?: Exchange;
}

/** An answer below 500 (or the last 5xx): its body is unread; call `done` once it is. */
export interface OpenCall {
  upstream: Dispatcher.ResponseData;
  candidate: Candidate;
  model: ModelRoute;
  done: () => void;
}

/**
 * Sends a request to a model entity across its READY providers: the least
 * busy first; a connection failure or a 5xx before any byte tries the next
 * (cooling the failed one down), a Retry-After is honoured when it is the
 * only provider. Throws the last GatewayError when no attempt answered.
 * Used by the model and OpenAI routes, and by virtual models for their
 * targets and for the classifiers and embedders they call.
 */
export class ModelCaller {
  constructor(
    private readonly pools: UpstreamPools,
    readonly balancer: Balancer,
    private readonly options: CallOptions,
    private readonly logger: ModelCallLogger,
    private readonly events: RoutingEvents,
  ) {}

  async open(model: ModelRoute, call: ModelCall): Promise<OpenCall | null> {
    const { method, path, requestId, gone } = call;
    const candidates = this.balancer.candidates(model);
    let lastError: GatewayError | null = null;
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      const candidate = candidates[attempt % candidates.length];
      const { provider, servedName } = candidate;
      if (provider.keyError) {
        lastError = new GatewayError(424, 'gateway/secret_unavailable', provider.keyError);
        if (candidates.length === 1) break;
        continue;
      }
      const body = call.body === null ? null : JSON.stringify({ ...mergeBody(provider, call.body), model: servedName });
      const headers = upstreamHeaders(call.headers, provider, requestId);
      // The answer is parsed and rewritten here: ask for it uncompressed (a hosted API gzips when asked).
      headers['accept-encoding'] = 'identity';
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      if (attempt > 0) this.events.retried(model.ref, provider.ref);
      const end = call.exchange ? call.exchange.attempt(provider, headers) : NO_SPAN_END;
      const done = this.balancer.begin(provider.ref);
      const limit = firstByteLimit(gone, call.firstByteTimeoutMs);
      let upstream: Dispatcher.ResponseData;
      try {
        upstream = await this.send(provider, method, path, headers, body, limit.signal);
      } catch (error) {
        done();
        end(undefined, limit.timedOut ? 'timeout' : gone.aborted ? 'client_gone' : 'connection');
        if (gone.aborted) return null;
        this.balancer.coolDown(provider.ref, 2000);
        lastError = limit.timedOut
          ? new GatewayError(
              504,
              'gateway/network',
              `Backend timed out: ${provider.ref} sent no response headers within ${call.firstByteTimeoutMs} ms`,
            )
          : networkError(error, provider);
        this.logger.warn(
          `${requestId}: ${provider.ref} failed (${lastError.message}); attempt ${attempt + 1}/${this.options.maxAttempts}`,
        );
        // A slow provider is slow again at once: only another one is worth the wait.
        if (limit.timedOut && candidates.length === 1) break;
        continue;
      } finally {
        limit.clear();
      }
      if (upstream.statusCode >= 500 && attempt + 1 < this.options.maxAttempts) {
        // Nothing has reached the client yet: another provider may answer.
        const wait = retryAfterMs(upstream.headers['retry-after']);
        const text = await upstream.body.text().catch(() => '');
        done();
        end(upstream.statusCode, 'upstream_status');
        this.balancer.coolDown(provider.ref, wait ?? 1000);
        lastError = upstreamError(upstream.statusCode, text, candidate, model, upstream.headers);
        const alone = candidates.length === 1;
        if (alone && wait !== null && wait > this.options.retryAfterMaxMs) break;
        if (alone && wait !== null) await gone.wait(wait);
        if (gone.aborted) return null;
        continue;
      }
      if (end === NO_SPAN_END) return { upstream, candidate, model, done };
      const status = upstream.statusCode;
      const ended = () => {
        done();
        end(status, status >= 500 ? 'upstream_status' : undefined);
      };
      return { upstream, candidate, model, done: ended };
    }
    throw lastError ?? new GatewayError(502, 'gateway/no_attempt', `No provider of ${model.ref} could be tried`);
  }

  /** Straight to one provider (the provider route): the caller owns headers and body. */
  send(
    provider: ProviderRoute,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | IncomingMessage | null,
    signal: ClientGone,
  ): Promise<Dispatcher.ResponseData> {
    const url = upstreamUrl(provider.hostUrl, path);
    return this.pools.get(url.origin, provider.egressChecked).request({
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal,
    });
  }
}

/**
 * An attempt's signal: the client's, or, with a first-byte limit, one that
 * also aborts when no response headers came in time. Our own timer: undici's
 * headersTimeout runs on a clock of about a second, too coarse for a
 * fallback that should move on after 100 ms.
 */
function firstByteLimit(gone: ClientGone, ms: number | null | undefined) {
  if (!ms) return { signal: gone, timedOut: false, clear: () => undefined };
  const signal = new ClientGone();
  const state = { signal, timedOut: false, clear: () => clearTimeout(timer) };
  // Stays attached: a client that goes while the body streams still aborts it.
  gone.once('abort', () => signal.abort());
  const timer = setTimeout(() => {
    state.timedOut = true;
    signal.abort();
  }, ms);
  return state;
}
