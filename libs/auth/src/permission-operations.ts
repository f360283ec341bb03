import { GATEWAY_ROUTES } from '#gateway';
import { PERMISSION_EXTENSION } from './access.decorator.js';
import type { DeclaredOperation } from './permission-table.js';

interface OpenApiLike {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

/** Every operation with its declaration: the API's (from its OpenAPI document) and the gateway's routes. */
export function declaredOperations(openapi: OpenApiLike): DeclaredOperation[] {
  const out: DeclaredOperation[] = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const declaration = op[PERMISSION_EXTENSION];
      if (typeof declaration !== 'string') throw new Error(`${method.toUpperCase()} ${path} declares no permission`);
      out.push({ method: method.toUpperCase(), path, declaration: declaration as DeclaredOperation['declaration'] });
    }
  }
  for (const route of GATEWAY_ROUTES) {
    const path = route.url.replace(':workspace', '{workspace}').replace(':name', '{name}').replace(/\*$/, '{path}');
    const method = route.methods.length > 1 ? 'ANY' : route.methods[0];
    out.push({ method, path, declaration: route.access });
  }
  return out;
}
