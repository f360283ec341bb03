/**
 * `auth_header_format`: a tiny Jinja-style template that turns a provider's
 * secret into one HTTP header, e.g. `Authorization: Bearer {{ auth_secret }}`
 * or `x-api-key: {{ auth_secret }}`.
 */
export const DEFAULT_AUTH_HEADER_FORMAT = 'Authorization: Bearer {{ auth_secret }}';

const PLACEHOLDER = /\{\{\s*auth_secret\s*\}\}/g;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Returns why the template is unusable, or null when it is fine. */
export function authHeaderFormatProblem(format: string): string | null {
  const uses = format.match(PLACEHOLDER)?.length ?? 0;
  if (uses !== 1) return `must use {{ auth_secret }} exactly once (found ${uses})`;
  if (/\{\{|\}\}|\{%|%\}/.test(format.replace(PLACEHOLDER, ''))) {
    return 'may contain no template expression other than {{ auth_secret }}';
  }
  const rendered = splitHeader(format.replace(PLACEHOLDER, 'x'));
  if (!rendered) return 'must render to "Header-Name: value" (a name, then ": ", then a non-empty value)';
  if (!HEADER_NAME.test(rendered.name))
    return `renders the header name '${rendered.name}', which is not a valid HTTP header name`;
  if (/[\r\n]/.test(format)) return 'must not contain line breaks';
  return null;
}

/**
 * Why a secret cannot be sent as (part of) an HTTP header value, or null. Only
 * printable ASCII travels: a key pasted with a Unicode ellipsis or a line break
 * would make every upstream request fail in the HTTP client. The message never
 * quotes the value.
 */
export function secretHeaderValueProblem(secret: string): string | null {
  if (/^[\x20-\x7e]*$/.test(secret)) return null;
  return /[\r\n]/.test(secret)
    ? 'holds a line break, which cannot travel in an HTTP header'
    : 'holds a character that cannot travel in an HTTP header (only printable ASCII can; e.g. a Unicode ellipsis copied from documentation)';
}

/** Renders the header for a secret value; null when it cannot be one. The caller has validated the template. */
export function renderAuthHeader(format: string, secret: string): { name: string; value: string } | null {
  if (secretHeaderValueProblem(secret) !== null) return null;
  return splitHeader(format.replace(PLACEHOLDER, () => secret));
}

function splitHeader(line: string): { name: string; value: string } | null {
  const at = line.indexOf(': ');
  if (at <= 0) return null;
  const name = line.slice(0, at).trim();
  const value = line.slice(at + 2);
  return name && value.trim() ? { name, value } : null;
}
