import { redactUrl } from '#domain';

/**
 * Small helpers around PostgreSQL connection URLs for the migration tooling.
 *
 * URLs are handled with WHATWG `URL` (postgres:// and postgresql:// are
 * "non-special" schemes, so host, user info and query are kept as written).
 */

export interface ParsedPgUrl {
  /** Database named in the URL path (decoded). */
  database: string;
  /** The `schema` query parameter (Prisma's convention), if any. */
  schema: string | undefined;
  /** The URL without the `schema` parameter, for `pg`. */
  connectionString: string;
}

function parse(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must be a postgresql:// URL (got ${url.protocol}//…)`);
  }
  return url;
}

export function parsePgUrl(databaseUrl: string): ParsedPgUrl {
  const url = parse(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { database, schema: schema || undefined, connectionString: url.toString() };
}

/** The same URL pointing at another database (all other parameters kept). */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = parse(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  url.searchParams.delete('schema');
  return url.toString();
}

/** Removes any occurrence of the URL's password from a message (errors may echo it). */
export function redactMessage(message: string, databaseUrl: string): string {
  let password: string;
  try {
    password = new URL(databaseUrl).password;
  } catch {
    return message;
  }
  if (!password) return message;
  const variants = new Set([password]);
  try {
    variants.add(decodeURIComponent(password));
  } catch {
    // malformed percent-encoding: only the raw form can appear
  }
  let out = message;
  for (const p of variants) out = out.split(p).join('***');
  return out;
}

/** Double-quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
