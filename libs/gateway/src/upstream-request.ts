import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from './gateway-error.js';
import type { ProviderRoute } from './routing-table.js';

/** A path that needs a segment-by-segment look: an escape, a backslash, or a `.`/`..` segment. */
const SUSPECT_PATH = /%|\\|(^|\/)\.\.?(\/|$)/;

/**
 * What follows `/-/` in the request's raw URL, query string included,
 * exactly as the client sent it. Refused: a `.` or `..` segment, and an
 * encoded slash, backslash or dot segment, which could make an upstream
 * resolve a path other than the one the route names.
 */
export function forwardedPath(rawUrl: string): string {
  const at = rawUrl.indexOf('/-/');
  if (at < 0) throw new GatewayError(404, 'gateway/no_path', 'Gateway routes end in /-/{path}');
  const rest = rawUrl.slice(at + 3);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  // The common case, checked once: no escapes, no backslash, no dot segment.
  if (!SUSPECT_PATH.test(path)) return rest;
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new GatewayError(400, 'gateway/bad_path', `The forwarded path has a malformed escape in '${segment}'`);
    }
    if (decoded === '.' || decoded === '..') {
      throw new GatewayError(400, 'gateway/bad_path', "The forwarded path may not contain '.' or '..' segments");
    }
    if (decoded !== segment && /[/\\]/.test(decoded)) {
      throw new GatewayError(400, 'gateway/bad_path', 'The forwarded path may not contain encoded slashes');
    }
  }
  if (path.includes('\\')) throw new GatewayError(400, 'gateway/bad_path', 'The forwarded path may not contain \\');
  return rest;
}

/**
 * The upstream URL: host_url without its trailing `/`, then the path
 * without its leading `/`; a host ending in `/v1` and a path starting
 * `v1/` share one `v1` (the reference's rule).
 */
export function upstreamUrl(hostUrl: string, path: string): URL {
  const host = hostUrl.replace(/\/+$/, '');
  let rest = path.replace(/^\/+/, '');
  if (host.endsWith('/v1') && (rest === 'v1' || rest.startsWith('v1/') || rest.startsWith('v1?'))) rest = rest.slice(2);
  return new URL(rest.startsWith('?') || rest === '' ? `${host}${rest}` : `${host}/${rest.replace(/^\//, '')}`);
}

/**
 * Never forwarded. The client's credentials (its key, its cookies for this
 * origin, proxy credentials); hop-by-hop headers (RFC 9110 §7.6.1), which
 * describe the connection to the gateway, not the one upstream; what names
 * the client's network (Forwarded, X-Forwarded-*, X-Real-IP, Via), which a
 * hosted provider has no need of and which a client could forge for an
 * upstream that trusts it; `expect`, which undici refuses; and what the
 * gateway sets itself.
 */
const DROPPED = new Set([
  'host',
  'authorization',
  'x-api-key',
  'cookie',
  'proxy-authorization',
  'forwarded',
  'x-real-ip',
  'via',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
]);

/** Whether a client's header stays with the gateway (DROPPED, any X-Forwarded-*, or named by its Connection header). */
function dropped(name: string, connectionNamed: Set<string>): boolean {
  return DROPPED.has(name) || name.startsWith('x-forwarded-') || connectionNamed.has(name);
}

/** The headers a Connection header names: hop-by-hop too (RFC 9110 §7.6.1), in either direction. */
export function namedByConnection(value: string | string[] | undefined): Set<string> {
  if (typeof value !== 'string' || value === '') return new Set();
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()));
}

/**
 * The upstream's headers, in the reference's order: the client's (without
 * DROPPED), the provider's defaults where the client set none, its required
 * ones over everything, then its key through `auth_header_format`.
 */
export function upstreamHeaders(
  client: IncomingHttpHeaders,
  provider: ProviderRoute,
  requestId: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const connectionNamed = namedByConnection(client.connection);
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || dropped(name, connectionNamed)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const [name, value] of Object.entries(provider.defaultHeaders)) {
    const lower = name.toLowerCase();
    if (!(lower in headers)) headers[lower] = value;
  }
  for (const [name, value] of Object.entries(provider.requiredHeaders)) headers[name.toLowerCase()] = value;
  if (provider.authHeader) headers[provider.authHeader.name.toLowerCase()] = provider.authHeader.value;
  headers['x-request-id'] = requestId;
  return headers;
}

/** The body upstream: a shallow merge of the provider's defaults, the request, then its required fields. */
export function mergeBody(provider: ProviderRoute, body: Record<string, unknown>): Record<string, unknown> {
  return { ...provider.defaultBody, ...body, ...provider.requiredBody };
}

/** Whether a provider adds anything to bodies (then even its provider route parses JSON bodies). */
export function changesBodies(provider: ProviderRoute): boolean {
  return Object.keys(provider.defaultBody).length > 0 || Object.keys(provider.requiredBody).length > 0;
}
