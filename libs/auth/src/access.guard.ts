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
import { ACCESS_METADATA, actionName } from './access.decorator.js';
import { AccessService } from './access.service.js';
import { PERMISSIONS } from './permissions.js';
import {
  openRequestAccess,
  requestAccess,
  runWithAccess,
  type AccessDeclaration,
  type RequestAccess,
} from './request-access.js';

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
    const declaration = this.reflector.get<AccessDeclaration | undefined>(ACCESS_METADATA, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const state = openRequestAccess(
      request,
      declaration ?? 'platform.admin',
      actionName(context.getClass().name, context.getHandler().name),
    );
    const workspace = state.workspace;
    // Start-up refuses an undeclared route (requireRouteDeclarations); were one to slip through, it is
    // served to PlatformAdmins only.
    if (state.declaration === 'public') return true;
    const principal = await this.access.authenticateRequest(request);
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
