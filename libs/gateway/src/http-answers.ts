import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { GatewayCode } from '#domain';
import { scrubbingStream, SecretScrubber } from './secret-scrub.js';
import { namedByConnection } from './upstream-request.js';

/** Writing answers straight to Node's response: the gateway's own and the upstream's. */

/** The client's x-request-id when it is reasonable, else a new one (the same rule as the API's). */
export { requestIdOf } from '#telemetry';

export function sendJson(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

/**
 * Status and body as the upstream sent them, streamed; the headers as
 * answerHeaders leaves them; the provider's key masked when it has one.
 */
export function passThrough(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  requestId: string,
  done: () => void,
  secret: string | null,
): void {
  res.writeHead(upstream.statusCode, answerHeaders(upstream, requestId));
  upstream.body.on('error', () => res.destroy());
  upstream.body.on('close', done);
  const scrubber = SecretScrubber.for(secret);
  (scrubber ? upstream.body.pipe(scrubbingStream(scrubber)) : upstream.body).pipe(res);
}

/** An upstream's answer with its status and headers, and `text` as the body. */
export function sendText(
  res: ServerResponse,
  upstream: Dispatcher.ResponseData,
  text: string,
  requestId: string,
): void {
  const headers = answerHeaders(upstream, requestId);
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(upstream.statusCode, headers);
  res.end(text);
}

/** Resolves when the response can take more, or is gone. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Never passed back. `date` (Node sets its own) and hop-by-hop headers.
 * And what an upstream would set for the gateway's origin, not its own: a
 * browser would keep its cookies (Set-Cookie) for every route and workspace
 * of this origin, though the gateway never forwards a cookie back; its
 * Alt-Svc, HSTS or Clear-Site-Data would act on this origin; and its CORS
 * answers (Access-Control-*) would let other sites' pages call the gateway
 * with headers and bodies a browser only sends after a preflight that
 * the gateway itself never grants.
 */
const NOT_ANSWERED = new Set([
  'date',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'set-cookie',
  'set-cookie2',
  'alt-svc',
  'strict-transport-security',
  'clear-site-data',
]);

/** The upstream's headers for the client, without NOT_ANSWERED ones, with the request id. */
function answerHeaders(upstream: Dispatcher.ResponseData, requestId: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const named = namedByConnection(upstream.headers.connection);
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || NOT_ANSWERED.has(name) || named.has(name) || name.startsWith('access-control-'))
      continue;
    headers[name] = value;
  }
  headers['x-request-id'] = requestId;
  return headers;
}

export function streamErrorEvent(message: string, requestId: string): string {
  const code: GatewayCode = 'gateway/stream_interrupted';
  return `event: error\ndata: ${JSON.stringify({ error: { message, type: 'upstream_error', code, request_id: requestId } })}\n\n`;
}
