import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { dialectOf, type Dialect } from '#domain';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';

/** What a route declares: the permission it needs, or `public` (health, discovery, docs). */
export type AccessDeclaration = Permission | 'public';

/**
 * What the guard learned about one request, kept beside it for the handler (through `currentAccess`),
 * the list filters and the audit hook.
 */
export interface RequestAccess {
  declaration: AccessDeclaration;
  /** `deployment.create`, `member.remove`, … (the audit event's action). */
  action: string;
  /** The route's workspace (null for platform routes; `-` for lists across workspaces). */
  workspace: string | null;
  principal: Principal | null;
  /** The workspaces whose rows a list may show the caller (`all` for a PlatformAdmin); unset: no limit. */
  allowed?: () => string[] | 'all';
  /** What the handler touched, for the audit event (set from its result). */
  resource?: string;
  version?: number;
  /** The vocabulary of the path family the request came by (NeMo's on `/apis/…`; see libs/domain dialect). */
  dialect?: Dialect;
  /** The error code or message the request was answered with, for the audit event. */
  error?: string;
  /**
   * Its audit event is written (or was not called for). The gateway's routes record their refusal
   * themselves (their replies are hijacked); on the API's port Fastify's onResponse hook then runs too.
   */
  audited?: boolean;
}

const byRequest = new WeakMap<IncomingMessage, RequestAccess>();
const storage = new AsyncLocalStorage<RequestAccess>();

export function requestAccess(req: IncomingMessage): RequestAccess | undefined {
  return byRequest.get(req);
}

/** Runs `fn` (a request's handler) with `access` as what currentAccess() returns. */
export function runWithAccess<T>(access: RequestAccess, fn: () => T): T {
  return storage.run(access, fn);
}

/** The access of the request being handled; undefined outside a request (the worker, start-up). */
export function currentAccess(): RequestAccess | undefined {
  return storage.getStore();
}

/** The vocabulary of the request being handled (Modelplane's outside a request). */
export function currentDialect(): Dialect {
  return storage.getStore()?.dialect ?? 'modelplane';
}

/** The principal id to record as `created_by`/`updated_by`: the caller's, or `system` outside a request. */
export function actorId(): string {
  return storage.getStore()?.principal?.id ?? 'system';
}

/**
 * The request's access state, made on first use (by the API's onRequest hook or by the guard): the
 * declaration, the audit action, the route's workspace and what the path names, noted before anything
 * can fail so a refused or failed request's audit event names it too.
 */
export function openRequestAccess(
  request: FastifyRequest,
  declaration: AccessDeclaration,
  action: string,
): RequestAccess {
  const known = byRequest.get(request.raw);
  if (known) return known;
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const state: RequestAccess = {
    declaration,
    action,
    workspace: params.workspace ?? null,
    principal: null,
    dialect: dialectOf(request.raw),
  };
  notePath(state, request);
  byRequest.set(request.raw, state);
  return state;
}

/** What the path names: the resource (`:name`, a member's `:principal`, a key's `:id`, or the workspace itself) and `:version`. */
function notePath(state: RequestAccess, request: FastifyRequest): void {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const ownWorkspace = request.routeOptions.url?.endsWith('/:workspace') ? params.workspace : undefined;
  const name = params.name ?? params.principal ?? params.id ?? ownWorkspace;
  if (name !== undefined) state.resource = name;
  if (params.version !== undefined && /^\d{1,9}$/.test(params.version)) state.version = Number(params.version);
}

/**
 * NeMo's AuthContext of the caller (`{principal_id, principal_email?, principal_groups?}`), which a
 * deployment records for its creator; `{principal_id: 'system'}` outside a request.
 */
export function actorAuthContext(): { principal_id: string; principal_email?: string; principal_groups?: string[] } {
  const principal = storage.getStore()?.principal;
  if (!principal) return { principal_id: 'system' };
  return {
    principal_id: principal.id,
    ...(principal.email ? { principal_email: principal.email } : {}),
    ...(principal.groups.length > 0 ? { principal_groups: [...principal.groups] } : {}),
  };
}
