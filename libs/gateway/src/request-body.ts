import type { IncomingMessage } from 'node:http';
import { exceedsJsonDepth } from '#domain';
import { GatewayError } from './gateway-error.js';

export interface BodyLimits {
  /** Largest request body accepted (413 beyond). */
  maxBodyBytes: number;
  /** Deepest JSON nesting accepted (400 beyond), checked before anything parses or serialises the body. */
  maxJsonDepth: number;
}

/** The whole body, refused with 413 as soon as it (or its declared length) passes the limit. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    413,
    'gateway/body_too_large',
    `The request body is larger than ${limit} bytes (GATEWAY_MAX_BODY_BYTES)`,
  );
}

/** The body as a JSON object (a missing one as `{}` when `emptyIsObject`), or a 400 naming what is wrong. */
export async function readJsonObject(
  req: IncomingMessage,
  limits: BodyLimits,
  emptyIsObject: boolean,
): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limits.maxBodyBytes);
  if (raw.length === 0 && emptyIsObject) return {};
  const text = raw.toString('utf8');
  refuseTooDeep(text, limits.maxJsonDepth);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GatewayError(400, 'gateway/bad_json', `Invalid request body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(400, 'gateway/bad_json', 'Invalid request body: expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A 400 when `text` nests deeper than `maxDepth`: JSON.stringify would overflow the stack on it. */
export function refuseTooDeep(text: string, maxDepth: number): void {
  if (exceedsJsonDepth(text, maxDepth)) {
    throw new GatewayError(
      400,
      'gateway/json_too_deep',
      `Invalid request body: JSON nested deeper than ${maxDepth} levels (GATEWAY_MAX_JSON_DEPTH)`,
    );
  }
}

/** `text` as a JSON object, or null when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
