import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { AccessDeclaration } from './request-access.js';

export const ACCESS_METADATA = 'modelplane:access';
/** The OpenAPI security scheme every non-public operation names. */
export const BEARER_SCHEME = 'bearer';
/** Each OpenAPI operation names its permission here (the README's permission table is built from it). */
export const PERMISSION_EXTENSION = 'x-modelplane-permission';

/**
 * Who may call a route, declared at the route: a permission from PERMISSIONS (checked by AccessGuard
 * against the caller's role in the route's `:workspace`), or `public`. Every route has one: the API
 * refuses to start when a route lacks it (see requireRouteDeclarations). The OpenAPI document names it
 * per operation (PERMISSION_EXTENSION), with the 401/403/429 answers (apps/api openapi.errors.ts).
 */
export function Access(declaration: AccessDeclaration): MethodDecorator {
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    const action = actionName((target as { constructor: { name: string } }).constructor.name, String(key));
    const declared = [
      SetMetadata(ACCESS_METADATA, declaration),
      // Also on the Fastify route, so the caller is authenticated before its body is read (authenticateEarly).
      RouteConfig({ access: declaration, action }),
      ApiExtension(PERMISSION_EXTENSION, declaration),
      ...(declaration === 'public' ? [] : [ApiBearerAuth(BEARER_SCHEME)]),
    ];
    applyDecorators(...declared)(target, key, descriptor);
  };
}

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
