import type { IncomingMessage } from 'node:http';
import { GatewayError } from './gateway-error.js';

/**
 * The content types a page on any site may POST to the gateway without the
 * browser asking first (a CORS "simple request": a plain HTML form does it),
 * and with no content type at all (fetch with a Blob or no body).
 */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Refuses what a browser sends cross-site without a preflight, so a page
 * the user opens cannot make their browser post to a gateway it can reach
 * (on localhost, on the company network) and through it to an upstream's
 * mutating routes (CSRF).
 *
 * The rule: a POST whose Content-Type is absent or one of the three above
 * is refused with 415 unless it carries `Authorization` or `x-api-key`.
 * A browser adds those cross-site only after a preflight, and the gateway
 * grants none (it answers no CORS and passes none of an upstream's on).
 * Other methods with a body (PUT, PATCH, DELETE) always need a preflight;
 * GET and HEAD carry no body. Multipart stays usable (OpenAI's audio and
 * files endpoints take it): the SDKs always send `Authorization`.
 */
export function refuseSimpleRequest(req: IncomingMessage): void {
  if (req.method !== 'POST') return;
  if (req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined) return;
  const given = req.headers['content-type'];
  const type = given === undefined ? '' : given.split(';')[0].trim().toLowerCase();
  if (type !== '' && !SIMPLE_CONTENT_TYPES.has(type)) return;
  throw new GatewayError(
    415,
    'gateway/simple_request',
    `A POST with ${type === '' ? 'no Content-Type' : `Content-Type ${type}`} and neither an Authorization nor an ` +
      'x-api-key header is refused: any web page could send it through a browser (cross-site request forgery). ' +
      'Send Content-Type: application/json, or an Authorization header.',
  );
}
