import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { PERMISSIONS } from './permissions.js';
import type { AccessDeclaration } from './request-access.js';

export const ACCESS_METADATA = 'modelplane:access';
/** The OpenAPI security scheme every non-public operation names. */
export const BEARER_SCHEME = 'bearer';

/**
 * Who may call a route, declared at the route: a permission from PERMISSIONS (checked by AccessGuard
 * against the caller's role in the route's `:workspace`), or `public`. Every route has one: the API
 * refuses to start when a route lacks it (see assertEveryRouteDeclared).
 */
export function Access(declaration: AccessDeclaration) {
  if (declaration === 'public') return SetMetadata(ACCESS_METADATA, declaration);
  const spec = PERMISSIONS[declaration];
  const who = spec.role === 'authenticated' ? 'any authenticated principal' : `the ${spec.role} role`;
  return applyDecorators(
    SetMetadata(ACCESS_METADATA, declaration),
    ApiBearerAuth(BEARER_SCHEME),
    ApiResponse({ status: 401, description: 'No credential, or one that is unknown, expired or revoked.' }),
    ApiResponse({
      status: 403,
      description: `Permission \`${declaration}\` (${who}${spec.workspaced ? ' in the workspace' : ''}; key scope \`${spec.scope}\`) is missing.`,
    }),
    ApiResponse({ status: 429, description: 'Too many failed authentications from this address.' }),
  );
}
