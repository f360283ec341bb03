import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessCode, GatewayCode } from '#domain';

/**
 * An error the gateway answers with: an HTTP status, a stable code clients
 * can branch on, and a message naming what was wrong. Never carries a
 * secret (messages name providers and secrets, never their values).
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: GatewayCode | AccessCode,
    message: string,
    /** Headers to answer with (Retry-After). */
    readonly headers: Record<string, string> = {},
    /** An upstream's own OpenAI `error` object (already scrubbed), answered as it came. */
    readonly upstream: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  /**
   * OpenAI's error shape, which the OpenAI SDKs read (`error.message`), with
   * NeMo's `detail` and our `code` and `request_id` beside it.
   */
  body(requestId: string): string {
    const error = this.upstream ?? { message: this.message, type: openAiErrorType(this.status), code: this.code };
    return JSON.stringify({ error, detail: this.message, code: this.code, request_id: requestId });
  }
}

/** OpenAI's `error.type` for a status: what the SDKs and their users branch on. */
function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 424 || status === 502 || status === 504) return 'upstream_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Answers `failure`; a body the route did not read is drained, so the connection stays usable. */
export function sendGatewayError(
  req: IncomingMessage,
  res: ServerResponse,
  failure: GatewayError,
  requestId: string,
): void {
  res.writeHead(failure.status, { 'content-type': 'application/json', 'x-request-id': requestId, ...failure.headers });
  res.end(failure.body(requestId));
  if (!req.readableEnded) req.resume();
}
