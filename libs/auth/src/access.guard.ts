import {
  Injectable,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import { ACCESS_METADATA } from './access.decorator.js';
import { AccessService } from './access.service.js';
import { PERMISSIONS } from './permissions.js';
import {
  requestAccess,
  runWithAccess,
  setRequestAccess,
  type AccessDeclaration,
  type RequestAccess,
} from './request-access.js';

/** Handlers whose name is not the verb an auditor reads: a PUT that creates or replaces is an update. */
const VERBS: Readonly<Record<string, string>> = { upsert: 'update' };

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The audit event's action: `DeploymentConfigController.newVersion` → `deployment-config.new-version`,
 * `ProviderController.upsert` → `provider.update`, `SecretAdminController.rotate` → `secret.rotate` (a
 * resource's platform routes live in a controller of their own, but act on the same resource).
 */
export function actionName(controller: string, handler: string): string {
  return `${kebab(controller.replace(/(Admin)?Controller$/, ''))}.${VERBS[handler] ?? kebab(handler)}`;
}

/**
 * The one guard: reads the route's declaration (see Access), authenticates the caller and checks the
 * declared permission in the route's workspace. What it found stays with the request (requestAccess)
 * for the handler, the list filters and the audit hook.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    const workspace = request.params?.workspace ?? null;
    const state: RequestAccess = {
      declaration: declaration ?? 'platform.admin',
      action: actionName(context.getClass().name, context.getHandler().name),
      workspace,
      principal: null,
    };
    // Named from the path before anything can fail, so a refused or failed request's event names it too.
    notePath(state, request);
    setRequestAccess(request.raw, state);
    // Start-up refuses an undeclared route (assertEveryRouteDeclared); were one to slip through, it is
    // served to PlatformAdmins only.
    if (state.declaration === 'public') return true;
    const principal = await this.access.authenticate(request.headers.authorization, request.ip);
    const permission = state.declaration;
    Object.assign(state, { principal, allowed: () => this.access.allowedWorkspaces(principal, permission) });
    this.access.authorize(principal, permission, PERMISSIONS[permission].workspaced ? workspace : null);
    return true;
  }
}

/** Runs the handler with the request's access as currentAccess(), and notes what it touched for the audit. */
@Injectable()
export class AccessInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const state = requestAccess(request.raw);
    if (!state) return next.handle();
    return new Observable((subscriber) =>
      runWithAccess(state, () =>
        next
          .handle()
          .pipe(tap((result) => noteResource(state, result)))
          .subscribe(subscriber),
      ),
    );
  }
}

type Noted = Pick<RequestAccess, 'action' | 'workspace' | 'resource' | 'version'>;

/** What the path names: the resource (`:name`, a member's `:principal`, a key's `:id`, or the workspace itself) and `:version`. */
function notePath(state: Noted, request: FastifyRequest): void {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const ownWorkspace = request.routeOptions.url?.endsWith('/:workspace') ? params.workspace : undefined;
  const name = params.name ?? params.principal ?? params.id ?? ownWorkspace;
  if (name !== undefined) state.resource = name;
  if (params.version !== undefined && /^\d{1,9}$/.test(params.version)) state.version = Number(params.version);
}

/** What the handler's result adds: a created resource's name, the version it wrote (`entity_version`). */
function noteResource(state: Noted, result: unknown): void {
  const out = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  if (state.resource === undefined && typeof out.name === 'string') state.resource = out.name;
  if (typeof out.entity_version === 'number') state.version = out.entity_version;
  // A workspace's own events (its creation included) belong to it, so its audit route shows them.
  if (state.workspace === null && state.action.startsWith('workspace.') && state.resource !== undefined) {
    state.workspace = state.resource;
  }
}
