/**
 * Access control's refusals (libs/auth: authentication, authorisation, members, role bindings, API keys), beside
 * the other domain errors in errors.ts; index.ts exports both as the one list of codes.
 */
import { DomainError, ConflictError } from './errors.js';

/**
 * Codes of access refusals (API and gateway): libs/auth's AccessService throws them, the API's filter
 * and the gateway's routes answer them.
 */
export const ACCESS_CODES = [
  // 401 (UnauthenticatedError)
  'auth/credential_missing',
  'auth/credential_malformed',
  'auth/credential_invalid',
  'auth/credential_expired',
  'auth/credential_revoked',
  // 403 (ForbiddenError)
  'auth/permission_denied',
  'auth/scope_missing',
  'auth/key_workspace',
  'auth/not_key_owner',
  // 429 (TooManyAuthFailuresError)
  'auth/too_many_failures',
] as const;
export type AccessCode = (typeof ACCESS_CODES)[number];

/** Why a request carries no usable credential: each is answered 401 with `WWW-Authenticate: Bearer`. */
export const AUTH_ERROR_CODES = {
  missing: 'auth/credential_missing',
  malformed: 'auth/credential_malformed',
  invalid: 'auth/credential_invalid',
  expired: 'auth/credential_expired',
  revoked: 'auth/credential_revoked',
} as const satisfies Record<string, AccessCode>;
export type AuthFailure = keyof typeof AUTH_ERROR_CODES;

/** 401: no credential, or one that proves nothing (unknown, expired, revoked, a bad signature). */
export class UnauthenticatedError extends DomainError {
  constructor(
    public readonly failure: AuthFailure,
    message: string,
  ) {
    super('unauthenticated', AUTH_ERROR_CODES[failure], message);
  }

  /** The challenge every 401 carries (RFC 6750); `error="invalid_token"` when a credential was sent. */
  get challenge(): string {
    return this.failure === 'missing'
      ? 'Bearer realm="modelplane"'
      : `Bearer realm="modelplane", error="invalid_token"`;
  }
}

/**
 * 403: a known principal without the permission. The message names the permission and the workspace
 * (which the caller named), never whether the resource exists.
 */
export class ForbiddenError extends DomainError {
  constructor(message: string, code: AccessCode = 'auth/permission_denied') {
    super('forbidden', code, message);
  }
}

/** Refusals of the last Admin's removal and of a key's scope widening (409/403 by kind). */
export class LastAdminError extends ConflictError {
  constructor(workspace: string) {
    super(
      'member/last_admin' satisfies IamCode,
      `Workspace '${workspace}' must keep at least one Admin; grant Admin to another principal first`,
    );
  }
}

/**
 * Codes of refused membership and role-binding writes (409), beside member/last_admin above:
 *   member/already_exists            POST …/members for a principal that already holds a role there
 *   role_binding/already_exists      POST /v2/iam/role-bindings for a binding that exists
 *   role_binding/last_platform_admin DELETE of the last PlatformAdmin binding
 */
export const IAM_CODES = [
  'member/last_admin',
  'member/already_exists',
  'role_binding/already_exists',
  'role_binding/last_platform_admin',
] as const;
export type IamCode = (typeof IAM_CODES)[number];

export class MemberExistsError extends ConflictError {
  constructor(workspace: string, principal: string) {
    super(
      'member/already_exists' satisfies IamCode,
      `Principal '${principal}' is already a member of workspace '${workspace}'; change its roles with PUT`,
    );
  }
}

export class RoleBindingExistsError extends ConflictError {
  constructor(principal: string, role: string, workspace: string | null) {
    super(
      'role_binding/already_exists' satisfies IamCode,
      `Principal '${principal}' already holds ${role}${workspace === null ? ' platform-wide' : ` in workspace '${workspace}'`}`,
    );
  }
}

/** Without a PlatformAdmin no one could grant roles outside the workspaces they administer. */
export class LastPlatformAdminError extends ConflictError {
  constructor() {
    super(
      'role_binding/last_platform_admin' satisfies IamCode,
      'The platform must keep at least one PlatformAdmin; grant PlatformAdmin to another principal first',
    );
  }
}

/** 429: too many failed authentications from one address; `retryAfterSeconds` goes into Retry-After. */
export class TooManyAuthFailuresError extends DomainError {
  constructor(public readonly retryAfterSeconds: number) {
    super(
      'rate_limited',
      'auth/too_many_failures',
      `Too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
    );
  }
}

// ─── API keys (apps/api/src/iam) ─────────────────────────────────────────────

/** Why an API key cannot be rotated (409): the IAM API's ApiKeyService throws them. */
export const API_KEY_CODES = {
  /** Rotating a revoked key (revoking twice is not an error: DELETE is idempotent). */
  revoked: 'api_key/revoked',
  /** Rotating a key that a rotation already replaced (rotate its replacement instead). */
  rotated: 'api_key/already_rotated',
  /** Rotating a key past its expiry: its replacement would be born expired. */
  expired: 'api_key/expired',
} as const;
export type ApiKeyState = keyof typeof API_KEY_CODES;

const API_KEY_REFUSALS: Record<ApiKeyState, string> = {
  revoked: 'it has been revoked',
  rotated: 'it has already been rotated; rotate its replacement instead',
  expired: 'it has expired; issue a new key instead',
};

export class ApiKeyStateError extends ConflictError {
  constructor(id: string, state: ApiKeyState) {
    super(API_KEY_CODES[state], `API key '${id}' cannot be rotated: ${API_KEY_REFUSALS[state]}`);
  }
}
