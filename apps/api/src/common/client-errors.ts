import { requestErrorCode } from '#domain';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The longest path parameter the router matches (names are at most 600 characters). */
export const MAX_PATH_SEGMENT = 600;

/**
 * Fastify's `clientErrorHandler`: answers what Node's HTTP parser refuses
 * before any route sees it (headers too large, malformed framing, a request
 * that took too long) in the API's `{"detail", "code"}` shape. The parser's
 * reason is a fixed phrase of llhttp's and names no request data.
 */
export function answerClientError(error: Error & { code?: string; reason?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node does: nothing can be written where the socket is closing or a response is already under way.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy(error);
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431
      ? `Request line and headers are larger than the limit of ${maxHeaderSize} bytes`
      : status === 408
        ? 'The request was not received in time'
        : `Malformed HTTP request${error.reason ? `: ${error.reason}` : ''}`;
  const body = JSON.stringify({ detail, code: requestErrorCode(status) });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Fastify's `frameworkErrors`: the router refuses a path that is not valid percent-encoded UTF-8 (400) or has a
 * segment longer than `maxParamLength` (414) before any route, hook or error handler runs. The path is not
 * echoed: it may be 10 KB of anything.
 */
export function answerFrameworkError(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const detail =
    status === 414
      ? `A path segment is longer than the limit of ${MAX_PATH_SEGMENT} characters`
      : 'The URL is not valid: its path must be percent-encoded UTF-8';
  void reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ detail, code: requestErrorCode(status) }));
}
