import { redactUrl } from '#domain';

/** Errors that mean "nothing answered at that address", as Node's net and dns modules name them. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** PostgreSQL's own refusals at connection time (SQLSTATE), and what each means for the operator. */
const POSTGRES_REFUSALS: Record<string, string> = {
  '28P01': 'it refused the password',
  '28000': 'it refused the user',
  '3D000': 'the database does not exist',
  '57P03': 'it is starting up or shutting down',
  '53300': 'it has no free connections',
};

/** The services a process connects to at start, with the variable that names each. */
export interface StartupServices {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  /** With `postgres` the queue is in DATABASE_URL's database and REDIS_URL is never connected to. */
  QUEUE_BACKEND?: string;
}

interface ErrorFields {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  errors?: unknown;
  message?: unknown;
}

/**
 * Which configured service an unreachable address belongs to: by the error's address and port when it
 * has them, else by the `host:port` (or, for a name that does not resolve, the host) in its message.
 */
function serviceAt(fields: ErrorFields, message: string, services: StartupServices) {
  const candidates = [
    { name: 'PostgreSQL', variable: 'DATABASE_URL', url: services.DATABASE_URL, defaultPort: 5432 },
    {
      name: 'Redis',
      variable: 'REDIS_URL',
      url: services.QUEUE_BACKEND === 'postgres' ? undefined : services.REDIS_URL,
      defaultPort: 6379,
    },
  ];
  for (const candidate of candidates) {
    if (!candidate.url) continue;
    let url: URL;
    try {
      url = new URL(candidate.url);
    } catch {
      continue; // an unparsable URL fails validation before anything connects
    }
    const port = url.port ? Number(url.port) : candidate.defaultPort;
    if (typeof fields.port === 'number') {
      if (fields.port === port) return candidate;
    } else if (message.includes(`${url.hostname}:${port}`) || message.includes(`ENOTFOUND ${url.hostname}`)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * One line for an error that ended a process's start: which service (PostgreSQL or Redis) could not be
 * reached, at which address (password hidden), and what to do; or the error's own message for anything
 * else (configuration errors name variables, never values of secrets). Never a stack trace.
 */
export function describeStartupFailure(error: unknown, services: StartupServices): string {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ErrorFields;
  // Node reports a host with several addresses as an AggregateError whose parts carry the details.
  const first = Array.isArray(fields.errors) ? ((fields.errors[0] ?? {}) as ErrorFields) : fields;
  const code = typeof fields.code === 'string' ? fields.code : typeof first.code === 'string' ? first.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code && UNREACHABLE.has(code)) {
    const service = serviceAt(first, message, services);
    if (service?.url) {
      return (
        `Cannot reach ${service.name} at ${redactUrl(service.url)} (${code}). ` +
        `Start ${service.name} there, or set ${service.variable} to one that runs.`
      );
    }
    return `Cannot connect (${code}): ${message}`;
  }
  if (code && code in POSTGRES_REFUSALS && services.DATABASE_URL) {
    return (
      `PostgreSQL at ${redactUrl(services.DATABASE_URL)} answered, but ${POSTGRES_REFUSALS[code]} ` +
      `(${code}: ${message}). Check DATABASE_URL.`
    );
  }
  return message;
}
