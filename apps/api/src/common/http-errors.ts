import {
  DomainError,
  InvalidFieldError,
  TooManyAuthFailuresError,
  UnauthenticatedError,
  type DomainErrorKind,
} from '#domain';

/** FastAPI's validation error item, which NeMo clients already parse. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
}

export interface ErrorBody {
  detail: string | ValidationIssue[];
  /** Stable machine-readable code, e.g. `deployment/not_found`. */
  code?: string;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 422,
  bad_request: 400,
  dependency_failed: 424,
  too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  precondition_failed: 412,
};

export function statusOf(error: DomainError): number {
  return STATUS_BY_KIND[error.kind];
}

/** Headers an error's status calls for: the Bearer challenge of a 401, the Retry-After of a 429. */
export function headersOf(error: unknown): Record<string, string> {
  if (error instanceof UnauthenticatedError) return { 'www-authenticate': error.challenge };
  if (error instanceof TooManyAuthFailuresError) return { 'retry-after': String(error.retryAfterSeconds) };
  return {};
}

export function bodyOf(error: DomainError): ErrorBody {
  if (error instanceof InvalidFieldError) {
    return { detail: [{ type: 'value_error', loc: error.loc, msg: error.message }], code: error.code };
  }
  return { detail: error.message, code: error.code };
}

/** A 422 carrying several issues at once (from the body validator). */
export class RequestValidationError extends DomainError {
  constructor(public readonly issues: ValidationIssue[]) {
    super('invalid', 'validation/failed', issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
  }
}
