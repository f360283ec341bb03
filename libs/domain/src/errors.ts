/**
 * Domain errors with stable, machine-readable codes. They carry no HTTP
 * knowledge: the API maps `kind` to a status in one filter, and workers reuse
 * the same classes.
 */
export type DomainErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'bad_request'
  | 'dependency_failed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'precondition_failed';

export class DomainError extends Error {
  constructor(
    public readonly kind: DomainErrorKind,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type ResourceKind =
  | 'workspace'
  | 'secret'
  | 'model'
  | 'adapter'
  | 'provider'
  | 'deployment_config'
  | 'deployment'
  | 'api_key'
  | 'role_binding'
  | 'member'
  | 'virtual_model';

const LABELS: Record<ResourceKind, string> = {
  workspace: 'Workspace',
  secret: 'Secret',
  model: 'Model',
  adapter: 'Adapter',
  provider: 'Model provider',
  deployment_config: 'Deployment config',
  deployment: 'Deployment',
  api_key: 'API key',
  role_binding: 'Role binding',
  member: 'Member',
  virtual_model: 'Virtual model',
};

export function resourceLabel(kind: ResourceKind): string {
  return LABELS[kind];
}

export class NotFoundError extends DomainError {
  constructor(kind: ResourceKind, ref: string, extra = '') {
    super('not_found', `${kind}/not_found`, `${LABELS[kind]} '${ref}' was not found${extra}`);
  }
}

export class AlreadyExistsError extends DomainError {
  constructor(kind: ResourceKind, workspace: string | null, name: string) {
    super(
      'conflict',
      `${kind}/already_exists`,
      workspace === null
        ? `${LABELS[kind]} with name '${name}' already exists`
        : `${LABELS[kind]} with workspace '${workspace}' and name '${name}' already exists`,
    );
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class ConcurrentModificationError extends ConflictError {
  constructor() {
    super('concurrent_modification', 'Concurrent modification - please retry.');
  }
}

/** Deletes refused while something still uses the resource; `users` lists a few of them. */
export class WorkspaceHasDeploymentsError extends ConflictError {
  constructor(workspace: string, users: string) {
    super(
      'workspace/has_deployments',
      `Workspace '${workspace}' still holds deployments that are not DELETED: ${users}. Delete them first.`,
    );
  }
}

export class SecretInUseError extends ConflictError {
  constructor(name: string, providers: string[]) {
    super(
      'secret/in_use',
      `Secret '${name}' is used by model providers ${providers.map((p) => `'${p}'`).join(', ')}; ` +
        'point them at another secret or delete them first.',
    );
  }
}

export class DeploymentConfigInUseError extends ConflictError {
  constructor(name: string, version: number | undefined, users: string) {
    super(
      'deployment_config/in_use',
      `Deployment config '${name}'${version === undefined ? '' : ` version ${version}`} is used by deployments that are not DELETED: ${users}. Delete those deployments first.`,
    );
  }
}

/** A new version of a deployment that is DELETING or DELETED. */
export class DeploymentBeingDeletedError extends ConflictError {
  constructor(name: string, status: string) {
    super(
      'deployment/being_deleted',
      `Deployment '${name}' is ${status}; a new version cannot be created. Create a new deployment instead.`,
    );
  }
}

/** A request that is well-formed but refers to something unusable (400 in the reference). */
export class BadRequestError extends DomainError {
  constructor(code: string, message: string) {
    super('bad_request', code, message);
  }
}

/** A list's `filter` parameter that cannot be parsed, names an unknown field, or holds a value its field cannot take. */
export class InvalidFilterError extends BadRequestError {
  constructor(message: string) {
    super('list/invalid_filter', `Invalid filter: ${message}`);
  }
}

/** A deployment names a config (or config version) its workspace does not have. */
export class DeploymentConfigRefNotFoundError extends BadRequestError {
  constructor(workspace: string, name: string, version?: number) {
    const what = version === undefined ? `'${name}'` : `'${name}' version ${version}`;
    super('deployment/config_not_found', `Deployment config ${what} was not found in workspace '${workspace}'`);
  }
}

/** A field breaks a rule that the schema validator cannot express (422). */
export class InvalidFieldError extends DomainError {
  constructor(
    public readonly loc: (string | number)[],
    message: string,
    code = 'validation/invalid_field',
  ) {
    super('invalid', code, message);
  }
}

/** Deployment writes when the platform runs no backend runtime (reference §1, ⛔). */
export class DeploymentsDisabledError extends DomainError {
  constructor() {
    super(
      'invalid',
      'deployment/runtime_none',
      "Deployments are not enabled because the backend runtime is set to 'none'",
    );
  }
}

/** A deployment config sets an environment variable that would load code into its server (see env-names). */
export class EnvNotAllowedError extends InvalidFieldError {
  constructor(loc: (string | number)[], message: string) {
    super(loc, message, 'deployment_config/env_not_allowed');
  }
}

/**
 * The Kubernetes runtime will not apply over an object of the version's name that is not the version's
 * (another version's, in any workspace, or not Modelplane's): a forced apply would take it over. Kind
 * `invalid`, since retrying cannot help: the reconciler fails the version with this message. The owner
 * is not named here (it may be another tenant); the worker logs it.
 */
export class KubernetesObjectConflictError extends DomainError {
  constructor(kind: string, name: string, namespace: string, owner: 'instance' | 'foreign') {
    super(
      'invalid',
      'runtime/object_conflict',
      `Kubernetes ${kind} '${name}' in namespace '${namespace}' already exists and ${
        owner === 'instance' ? 'belongs to another deployment version' : 'was not created by Modelplane'
      }; Modelplane does not take over objects that are not this version's`,
    );
  }
}

/**
 * Codes of errors in the request itself (framing, headers, content type, route), raised by the HTTP server or
 * the framework before any resource is involved: the exception filter and the server's client-error handler
 * (apps/api/src/common) answer with these.
 */
export const REQUEST_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'request/malformed',
  404: 'route/not_found',
  405: 'request/method_not_allowed',
  408: 'request/timeout',
  413: 'request/too_large',
  414: 'request/uri_too_long',
  415: 'request/unsupported_media_type',
  431: 'request/headers_too_large',
};

/** The code of a request-level error with this HTTP status (`request/invalid` for one not listed). */
export function requestErrorCode(status: number): string {
  return REQUEST_ERROR_CODES[status] ?? 'request/invalid';
}

/** A body that is not JSON (the API reads nothing else: a browser cannot send JSON across origins without asking). */
export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super(
      'unsupported_media_type',
      REQUEST_ERROR_CODES[415],
      'Unsupported Content-Type: request bodies must be application/json (charset utf-8, if given)',
    );
  }
}

export class BodyTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('too_large', REQUEST_ERROR_CODES[413], `Request body is larger than the limit of ${limitBytes} bytes`);
  }
}

export class InvalidJsonError extends DomainError {
  constructor(reason: string) {
    super('bad_request', 'request/invalid_json', `Request body is not valid JSON: ${reason}`);
  }
}

/** Refused before parsing: recursive code (JSON.parse, validators, serialisers) would overflow its stack. */
export class JsonTooDeepError extends DomainError {
  constructor(maxDepth: number) {
    super(
      'bad_request',
      'request/too_deep',
      `Request body nests arrays and objects more than ${maxDepth} levels deep (the limit)`,
    );
  }
}

/** Where every egress refusal is filed: the API's 422, the gateway's 502 and discovery's ERROR carry it. */
export const EGRESS_REFUSED = 'provider/egress_refused';

/**
 * A provider's upstream that the egress policy refuses at connect time (the resolved address, after a DNS
 * change since the provider was written). The API refuses the same URL on write as an InvalidFieldError.
 */
export class EgressRefusedError extends DomainError {
  constructor(message: string) {
    super('invalid', EGRESS_REFUSED, message);
  }
}

// ─── Virtual models (apps/api/src/virtual-models) ────────────────────────────

/**
 * Codes of refused virtual model writes, beside virtual_model/not_found and virtual_model/already_exists:
 *   virtual_model/name_taken      (409) POST of a name a model entity of the workspace already has
 *   virtual_model/stale_version   (412) PATCH or DELETE whose If-Match names a db_version that is not the current one
 */
export const VIRTUAL_MODEL_CODES = ['virtual_model/name_taken', 'virtual_model/stale_version'] as const;
export type VirtualModelCode = (typeof VIRTUAL_MODEL_CODES)[number];

/**
 * A virtual model and a model entity of one name would make the name ambiguous to callers; the gateway resolves
 * the virtual model first, so an entity created later under a virtual model's name is reachable only by it.
 */
export class VirtualModelNameTakenError extends ConflictError {
  constructor(workspace: string, name: string) {
    super(
      'virtual_model/name_taken' satisfies VirtualModelCode,
      `Workspace '${workspace}' has a model entity named '${name}'; a virtual model needs a name of its own`,
    );
  }
}

/** 412: optimistic locking (NeMo's db_version) found that someone else wrote the resource since the caller read it. */
export class VirtualModelStaleError extends DomainError {
  constructor(name: string, ifMatch: string, current: number) {
    super(
      'precondition_failed',
      'virtual_model/stale_version' satisfies VirtualModelCode,
      `Virtual model '${name}' is at db_version ${current}, which If-Match ${ifMatch.slice(0, 40)} does not name; ` +
        'read it again and retry',
    );
  }
}
