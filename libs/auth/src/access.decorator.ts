import { applyDecorators, SetMetadata } from '@nestjs/common';
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
 * refuses to start when a route lacks it (see assertEveryRouteDeclared). The OpenAPI document names it
 * per operation (PERMISSION_EXTENSION), with the 401/403/429 answers (apps/api openapi.errors.ts).
 */
export function Access(declaration: AccessDeclaration) {
  const declared = [SetMetadata(ACCESS_METADATA, declaration), ApiExtension(PERMISSION_EXTENSION, declaration)];
  if (declaration === 'public') return applyDecorators(...declared);
  return applyDecorators(...declared, ApiBearerAuth(BEARER_SCHEME));
}
