import { PayloadTooLargeException } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PERMISSION_EXTENSION, PERMISSIONS, type Permission } from '#auth';
import { MAX_PAGE_SIZE, parseFilterParam } from '#db';
import {
  AlreadyExistsError,
  ApiKeyStateError,
  ConcurrentModificationError,
  DeploymentBeingDeletedError,
  DeploymentConfigInUseError,
  DeploymentConfigRefNotFoundError,
  DeploymentsDisabledError,
  ForbiddenError,
  IllegalTransitionError,
  LastAdminError,
  LastPlatformAdminError,
  MemberExistsError,
  RoleBindingExistsError,
  NotFoundError,
  SecretInUseError,
  TooManyAuthFailuresError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  VirtualModelNameTakenError,
  VirtualModelStaleError,
  WorkspaceHasDeploymentsError,
  type ConflictError,
  type ResourceKind,
} from '#domain';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parseStatuses } from '../deployments/deployment.controller.js';
import { parseGroupBy } from '../usage/usage.service.js';
import { HttpExceptionFilter } from './exception.filter.js';
import { parseJsonBody } from './json-body.js';
import { RequestValidationError } from './http-errors.js';
import { ListQueryDto } from './list.js';
import { ERROR_TEXT } from './openapi.decorators.js';
import { flatten } from './validation.js';
import { ParseVersionPipe } from './version.pipe.js';

/**
 * Error examples for the generated document. Each error status an operation
 * declares gets bodies that the real exception filter makes from the error
 * that operation would throw, so an example always has its status's shape
 * and the resource of its path (a 404 on a deployment config names a
 * deployment config, not a deployment).
 */
export function addErrorExamples(document: OpenAPIObject, maxBodyBytes: number): OpenAPIObject {
  const filter = new HttpExceptionFilter(maxBodyBytes);
  const names = exampleNames(document);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const op = describe(document, method, path, operation, names);
      // Every route that needs a credential can be refused for want of one, or of the permission.
      if (op.permission) for (const status of [401, 403, 429]) operation.responses[status] ??= { description: '' };
      // Every JSON body can be malformed or of the wrong media type, whether or not the route says so.
      if (op.bodySchema) for (const status of [400, 415]) operation.responses[status] ??= { description: '' };
      for (const [code, response] of Object.entries(operation.responses)) {
        const status = Number(code);
        if (!isErrorResponse(response)) continue;
        const examples = errorsFor(status, op).map(([summary, error]) => {
          const [actual, body] = filter.toResponse(error);
          if (actual !== status) throw new Error(`${method} ${path}: a ${status} example answered ${actual}`);
          return [summary, { summary, value: body }] as const;
        });
        if (examples.length === 0) throw new Error(`${method} ${path}: no example for status ${status}`);
        // A 422 is a list of field issues, or a sentence when the request is refused as a whole.
        const shapes = new Set(
          examples.map(([, e]) => (Array.isArray(e.value.detail) ? 'ValidationErrorDto' : 'ErrorDto')),
        );
        const refs = [...shapes].map((name) => ({ $ref: `#/components/schemas/${name}` }));
        Object.assign(response as ResponseObject, {
          description: (response as ResponseObject).description || ERROR_TEXT[status],
          content: {
            'application/json': {
              schema: refs.length === 1 ? refs[0] : { oneOf: refs },
              examples: Object.fromEntries(examples),
            },
          },
        });
      }
    }
  }
  return document;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = Extract<Operation['responses'][string], { description: string }>;
type SchemaObject = { properties?: Record<string, unknown> };

/** Declared through ApiDoc (an error DTO), or added above with no content yet. */
function isErrorResponse(response: Operation['responses'][string]): boolean {
  const content = (response as ResponseObject).content;
  if (!content) return (response as ResponseObject).description === '';
  // Whatever media type the route produces (an event stream, say), its errors are JSON.
  return Object.values(content).some(({ schema }) =>
    /\/(ErrorDto|ValidationErrorDto)$/.test((schema as { $ref?: string } | undefined)?.$ref ?? ''),
  );
}

interface Op {
  method: string;
  /** The names the request examples create, so error examples tell the same story. */
  names: Names;
  kind: ResourceKind | undefined;
  /** The path ends in the resource's own name (`…/deployments/{name}`), not its collection. */
  named: boolean;
  /** The last literal segment after the name, e.g. `status`. */
  action: string | undefined;
  /** A collection under another resource (`…/models/{model}/adapters`): that resource's kind. */
  parent: ResourceKind | undefined;
  version: boolean;
  bodySchema: SchemaObject | undefined;
  /** The permission the operation declares (undefined: public). */
  permission: Permission | undefined;
  /** Under `/v2/workspaces/{workspace}/`: a missing workspace is a 404 even on a path of no resource kind. */
  inWorkspace: boolean;
  /** The last path segment (`usage`). */
  last: string;
}

/** Collections that also live under one resource of another kind: `…/models/{model}/adapters`. */
const NESTED: Record<string, ResourceKind> = { adapters: 'adapter' };

const KINDS: Record<string, ResourceKind> = {
  workspaces: 'workspace',
  secrets: 'secret',
  models: 'model',
  adapters: 'adapter',
  providers: 'provider',
  'deployment-configs': 'deployment_config',
  deployments: 'deployment',
  'api-keys': 'api_key',
  members: 'member',
  'role-bindings': 'role_binding',
  'virtual-models': 'virtual_model',
};

/** An API key's id, for the examples of operations on one key (keys are found by id, not by name). */
const API_KEY_ID = 'apikey-0f3c9a1b2c3d4e5f6a7b';
/** A role binding's id (derived from what it binds). */
const ROLE_BINDING_ID = 'rb-3f9a0c12ab4e5d6f7a8b9c0d';
const MEMBER = 'alice@example.com';

type Names = Record<ResourceKind, string>;

/** The `name` example of each resource's create body. */
function exampleNames(document: OpenAPIObject): Names {
  const names = Object.fromEntries(Object.values(KINDS).map((kind) => [kind, kind.replace('_', '-')])) as Names;
  for (const [path, item] of Object.entries(document.paths)) {
    const op = item.post && describe(document, 'post', path, item.post, names);
    const example = (op?.bodySchema?.properties?.name as { example?: unknown } | undefined)?.example;
    if (op?.kind && !op.named && !op.action && typeof example === 'string') names[op.kind] = example;
  }
  return names;
}

function describe(document: OpenAPIObject, method: string, path: string, operation: Operation, names: Names): Op {
  const segments = path.split('/').filter(Boolean);
  // /v2/workspaces/{workspace}/<collection>/{name}/<action>; anything after the collection's name is an action.
  const top = segments.length > 3 && segments[1] === 'workspaces' ? 3 : segments.findIndex((s) => s in KINDS);
  const inner = top < 0 ? -1 : segments.findIndex((s, i) => i === top + 2 && s in NESTED);
  const at = inner > 0 ? inner : top;
  const kind = at < 0 ? undefined : inner > 0 ? NESTED[segments[at]] : KINDS[segments[at]];
  const parent = inner > 0 ? KINDS[segments[top]] : undefined;
  const rest = at < 0 ? [] : segments.slice(at + 1);
  const ref = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)
    ?.content?.['application/json']?.schema?.$ref;
  const declared = (operation as unknown as Record<string, unknown>)[PERMISSION_EXTENSION];
  return {
    method,
    names,
    kind,
    named: rest.length > 0 && rest[0].startsWith('{'),
    action: rest.filter((s) => !s.startsWith('{')).pop(),
    parent,
    version:
      path.includes('{version}') ||
      (operation.parameters ?? []).some((p) => 'name' in p && p.name === 'version' && p.in === 'query'),
    bodySchema: ref ? (document.components?.schemas?.[ref.split('/').pop() ?? ''] as SchemaObject) : undefined,
    permission: declared === 'public' ? undefined : (declared as Permission),
    inWorkspace: segments[1] === 'workspaces' && segments[2] === '{workspace}',
    last: segments[segments.length - 1] ?? '',
  };
}

type Example = [summary: string, error: unknown];

function errorsFor(status: number, op: Op): Example[] {
  switch (status) {
    case 400:
      return badRequests(op);
    case 404:
      return op.kind || op.inWorkspace ? [['not_found', notFound(op)]] : [];
    case 409:
      if (op.kind === 'virtual_model' && op.method === 'post') {
        return [
          ['conflict', conflict(op.kind, op)],
          ['name_taken', new VirtualModelNameTakenError(op.names.workspace, op.names.model)],
        ];
      }
      return op.kind ? [['conflict', conflict(op.kind, op)]] : [];
    case 412:
      return op.kind === 'virtual_model'
        ? [['stale_version', new VirtualModelStaleError(op.names.virtual_model, '"1"', 2)]]
        : [];
    case 401:
      return [
        [
          'credential_missing',
          new UnauthenticatedError('missing', 'Authentication required: send Authorization: Bearer <API key or token>'),
        ],
        [
          'credential_revoked',
          new UnauthenticatedError('revoked', 'API key apikey-5f0c2b7d9e4a1c3b8d6f has been revoked'),
        ],
      ];
    case 403:
      return op.permission ? [['permission_denied', forbidden(op)]] : [];
    case 429:
      return [['too_many_failures', new TooManyAuthFailuresError(42)]];
    case 413:
      return [['too_large', new PayloadTooLargeException()]];
    case 415:
      return [['unsupported_media_type', new UnsupportedMediaTypeError()]];
    case 422:
      return invalid(op);
    default:
      return [];
  }
}

function forbidden(op: Op): ForbiddenError {
  const permission = op.permission as Permission;
  const spec = PERMISSIONS[permission];
  if (spec.role === 'authenticated') {
    // Any authenticated principal may: only a key's scopes (or its workspace) can refuse it.
    return new ForbiddenError(
      `API key ${API_KEY_ID} has scopes [read]; '${permission}' needs the '${spec.scope}' scope`,
      'auth/scope_missing',
    );
  }
  return spec.workspaced
    ? new ForbiddenError(
        `Principal 'service-account:ci' lacks permission '${permission}' in workspace '${op.names.workspace}' (it needs the ${spec.role} role; it has Viewer)`,
      )
    : new ForbiddenError(`Principal 'service-account:ci' lacks permission '${permission}' (it needs PlatformAdmin)`);
}

function badRequests(op: Op): Example[] {
  const examples: Example[] = [];
  if (op.version) examples.push(['invalid_version', thrownBy(() => new ParseVersionPipe().transform('latest'))]);
  if (op.method === 'get' && !op.named) examples.push(['invalid_filter', thrownBy(() => parseFilterParam('{"name":'))]);
  if (op.kind === 'deployment' && op.method === 'post' && op.action === undefined) {
    examples.push([
      'config_not_found',
      new DeploymentConfigRefNotFoundError(op.names.workspace, op.names.deployment_config),
    ]);
  }
  if (op.bodySchema) {
    // The API's own body parser, on a truncated body and on one nested too deep.
    examples.push(['invalid_json', thrownBy(() => parseJsonBody('application/json', '{"name": ', 64))]);
    examples.push(['too_deep', thrownBy(() => parseJsonBody('application/json', '['.repeat(65) + ']'.repeat(65), 64))]);
  }
  return examples;
}

function notFound(op: Op): NotFoundError {
  // Under another resource, that one is looked for first.
  if (op.parent) return new NotFoundError(op.parent, op.names[op.parent], ` in workspace '${op.names.workspace}'`);
  if (!op.kind || op.kind === 'workspace' || !op.named) return new NotFoundError('workspace', op.names.workspace);
  if (op.kind === 'api_key') return new NotFoundError('api_key', API_KEY_ID);
  if (op.kind === 'role_binding') return new NotFoundError('role_binding', ROLE_BINDING_ID);
  if (op.kind === 'member') return new NotFoundError('member', MEMBER, ` in workspace '${op.names.workspace}'`);
  const where = ` in workspace '${op.names.workspace}'`;
  return new NotFoundError(
    op.kind,
    op.names[op.kind],
    op.version && op.method !== 'post' ? ` version 3${where}` : where,
  );
}

/** What a delete is refused for while something still uses the resource. */
const IN_USE: Partial<Record<ResourceKind, (names: Names) => ConflictError>> = {
  workspace: (names) => new WorkspaceHasDeploymentsError(names.workspace, `${names.deployment} v1 (READY)`),
  secret: (names) => new SecretInUseError(names.secret, [names.provider]),
  deployment_config: (names) =>
    new DeploymentConfigInUseError(names.deployment_config, undefined, `${names.deployment} v1 (READY, config v1)`),
};

function conflict(kind: ResourceKind, op: Op): ConflictError | AlreadyExistsError {
  if (kind === 'member') {
    return op.method === 'post'
      ? new MemberExistsError(op.names.workspace, MEMBER)
      : new LastAdminError(op.names.workspace);
  }
  if (kind === 'role_binding') {
    return op.method === 'post'
      ? new RoleBindingExistsError(MEMBER, 'Editor', op.names.workspace)
      : new LastPlatformAdminError();
  }
  if (op.method === 'post' && !op.named) {
    return new AlreadyExistsError(kind, kind === 'workspace' ? null : op.names.workspace, op.names[kind]);
  }
  if (op.method === 'delete') return IN_USE[kind]?.(op.names) ?? new ConcurrentModificationError();
  if (kind === 'api_key' && op.action === 'rotate') return new ApiKeyStateError(API_KEY_ID, 'rotated');
  if (kind === 'deployment' && op.action === 'status') return new IllegalTransitionError('DELETING', 'READY');
  if (kind === 'deployment' && op.method === 'post') {
    return new DeploymentBeingDeletedError(op.names.deployment, 'DELETING');
  }
  return new ConcurrentModificationError();
}

function invalid(op: Op): Example[] {
  const examples: Example[] = [];
  const first = Object.keys(op.bodySchema?.properties ?? {})[0];
  if (op.last === 'usage') {
    examples.push(['invalid_group_by', thrownBy(() => parseGroupBy('model,team'))]);
  } else if (first) {
    // A typo of the body's first field: unknown fields are refused, named in `loc`.
    const typo = first.length > 1 ? first[1] + first[0] + first.slice(2) : `${first}_`;
    const unknown = Object.assign(new ValidationError(), { property: typo, constraints: { whitelistValidation: '' } });
    examples.push(['validation_failed', new RequestValidationError(flatten([unknown], ['body']))]);
  } else if (op.method === 'get' && !op.named) {
    const query = plainToInstance(ListQueryDto, { page_size: String(MAX_PAGE_SIZE + 1) });
    examples.push(['validation_failed', new RequestValidationError(flatten(validateSync(query), ['query']))]);
  } else if (op.kind === 'deployment' && op.method === 'get') {
    const param = op.action === 'events' ? 'until' : 'wait_for';
    examples.push(['invalid_query', thrownBy(() => parseStatuses('LIVE', param))]);
  }
  // Deployment writes (and config writes beyond the first version) need a runtime.
  const gated =
    (op.kind === 'deployment' && op.method !== 'get') ||
    (op.kind === 'deployment_config' && op.named && op.method !== 'get');
  if (gated) examples.push(['runtime_none', new DeploymentsDisabledError()]);
  return examples;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
