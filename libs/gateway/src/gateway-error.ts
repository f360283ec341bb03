/**
 * An error the gateway answers with: an HTTP status, a stable code clients
 * can branch on, and a `detail` naming what was wrong. Never carries a
 * secret (messages name providers and secrets, never their values).
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers to answer with (Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  body(requestId: string): string {
    return JSON.stringify({ detail: this.message, code: this.code, request_id: requestId });
  }
}
