/** The little HTTP plumbing the routes share, kept allocation-light for the hot path. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api.error.js';

/** Larger bodies are answered with 413; a prompt this big is a test of something else. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const JSON_TYPE = 'application/json';

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Reads the body as UTF-8. Past MAX_BODY_BYTES the rest is drained unread
 * and `done` gets a 413. A client that goes away mid-body never calls `done`;
 * the response's `close` accounts for it.
 */
export function readBody(req: IncomingMessage, done: (error: ApiError | null, body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.once('end', () => {
    if (size > MAX_BODY_BYTES) {
      done(new ApiError(413, 'RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes`), '');
    } else {
      done(null, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    }
  });
}
