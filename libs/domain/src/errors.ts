/**
 * Domain errors with stable, machine-readable codes. They carry no HTTP
 * knowledge: the API maps `kind` to a status in one filter, and workers reuse
 * the same classes.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid' | 'bad_request' | 'dependency_failed' | 'too_large';

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

export type ResourceKind = 'workspace' | 'secret' | 'model' | 'provider' | 'deployment_config' | 'deployment';

const LABELS: Record<ResourceKind, string> = {
  workspace: 'Workspace',
  secret: 'Secret',
  model: 'Model',
  provider: 'Model provider',
  deployment_config: 'Deployment config',
  deployment: 'Deployment',
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

/** A request that is well-formed but refers to something unusable (400 in the reference). */
export class BadRequestError extends DomainError {
  constructor(code: string, message: string) {
    super('bad_request', code, message);
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
