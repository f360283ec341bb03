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

/** `DeploymentConfigController.createVersion` → `deployment-config.createVersion`. */
export function actionName(controller: string, handler: string): string {
  const resource = controller
    .replace(/Controller$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return `${resource}.${handler}`;
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
          .pipe(tap((result) => noteResource(state, request, result)))
          .subscribe(subscriber),
      ),
    );
  }
}

function noteResource(state: { resource?: string; version?: number }, request: FastifyRequest, result: unknown): void {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const out = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const name = params.name ?? params.principal ?? params.id ?? (typeof out.name === 'string' ? out.name : undefined);
  if (name !== undefined) state.resource = name;
  if (typeof out.entity_version === 'number') state.version = out.entity_version;
}
