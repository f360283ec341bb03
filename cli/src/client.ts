import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api.js';
import { ApiError } from './exit-codes.js';
import type { Settings } from './settings.js';

export type Schemas = components['schemas'];
export type Api = ReturnType<typeof createClient<paths>>;

/** The typed client for the settings' server: every path and body is checked against openapi/openapi.json. */
export function apiClient(settings: Settings): Api {
  const headers: Record<string, string> = { 'user-agent': `modelplane-cli/${settings.version}` };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  return createClient<paths>({
    baseUrl: settings.url.replace(/\/+$/, ''),
    headers,
    fetch: (request) => fetch(request).catch((cause: unknown) => Promise.reject(unreachable(settings.url, cause))),
  });
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer, or an ApiError that says what the server said. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw refusal(response.status, error);
}

/** Like `ok`, but a 404 is `null` (the object does not exist). */
export async function found<T>(call: Promise<Answer<T>>): Promise<T | null> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (response.status === 404) return null;
  throw refusal(response.status, error);
}

/** An ApiError from an error answer: the API's `{detail, code}`, with validation issues spelled out. */
export function refusal(status: number, body: unknown): ApiError {
  const { detail, code } = (body && typeof body === 'object' ? body : {}) as { detail?: unknown; code?: string };
  let message: string;
  if (typeof detail === 'string') message = detail;
  else if (Array.isArray(detail)) {
    message = detail
      .map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).join('.')}: ${issue.msg ?? 'invalid'}`)
      .join('; ');
  } else message = typeof body === 'string' && body ? body.slice(0, 300) : 'no detail';
  return new ApiError(status, `${status} ${STATUS_TEXT[status] ?? 'Error'}: ${message}`, code);
}

function unreachable(url: string, cause: unknown): ApiError {
  const reason =
    cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new ApiError(0, `cannot reach ${url}: ${reason}`);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
