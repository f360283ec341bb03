import { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from '#domain';
import type { Dispatcher } from 'undici';
import type { Candidate } from './balancer.js';
import { GatewayError } from './gateway-error.js';
import { scrubServedName } from './model-rewrite.js';
import type { ModelRoute, ProviderRoute } from './routing-table.js';
import { scrubSecret } from './secret-scrub.js';

export function networkError(error: unknown, provider: ProviderRoute): GatewayError {
  const e = error as { code?: string; message?: string };
  const what = e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(error));
  return new GatewayError(502, 'gateway/network', `Backend networking error: ${provider.ref}: ${what}`);
}

/**
 * The reference's mapping: 401/403/404 become 502 (our credentials or route
 * are wrong, not the client's); others keep their status, and an OpenAI
 * `error` object the upstream sent is answered as it came. Always without
 * the key, and with the entity's name where the upstream named its own.
 */
export function upstreamError(
  status: number,
  text: string,
  candidate: Candidate,
  model: ModelRoute,
  headers: Dispatcher.ResponseData['headers'],
): GatewayError {
  const scrubbed = scrubServedName(scrubSecret(text, candidate.provider.secret), candidate.servedName, model.ref);
  const retryAfter = headers['retry-after'];
  const forwarded: Record<string, string> = typeof retryAfter === 'string' ? { 'retry-after': retryAfter } : {};
  if (status === 401 || status === 403 || status === 404) {
    return new GatewayError(
      502,
      'gateway/upstream_rejected',
      `Backend returned ${status}: ${scrubbed.slice(0, 2048)}`,
      forwarded,
    );
  }
  return new GatewayError(status, 'gateway/upstream_error', scrubbed, forwarded, openAiError(scrubbed));
}

/** The `error` of an OpenAI-shaped error body (`{"error": {"message": …}}`), or null. */
function openAiError(text: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith('{') || exceedsJsonDepth(text, DEFAULT_MAX_JSON_DEPTH)) return null;
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
      ? (error as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
