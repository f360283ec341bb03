import type { INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import { ACCESS_METADATA } from './access.decorator.js';
import type { AccessDeclaration } from './request-access.js';

export interface DeclaredRoute {
  /** `WorkspaceController.create` */
  handler: string;
  declaration: AccessDeclaration | undefined;
}

/** Every route handler of every controller in the application, with what it declares (see Access). */
export function routeDeclarations(app: INestApplicationContext): DeclaredRoute[] {
  const out: DeclaredRoute[] = [];
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!type?.prototype) continue;
    const onClass = Reflect.getMetadata(ACCESS_METADATA, type) as AccessDeclaration | undefined;
    for (const key of Object.getOwnPropertyNames(type.prototype)) {
      const method = (type.prototype as Record<string, unknown>)[key];
      if (typeof method !== 'function' || key === 'constructor') continue;
      if (Reflect.getMetadata(PATH_METADATA, method) === undefined) continue;
      if (Reflect.getMetadata(METHOD_METADATA, method) === undefined) continue;
      const declaration = (Reflect.getMetadata(ACCESS_METADATA, method) as AccessDeclaration | undefined) ?? onClass;
      out.push({ handler: `${type.name}.${key}`, declaration });
    }
  }
  return out;
}

/** Stops the application from starting when a route does not say who may call it. */
export function assertEveryRouteDeclared(app: INestApplicationContext): void {
  const missing = routeDeclarations(app).filter((r) => r.declaration === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Routes without an @Access declaration (who may call them): ${missing.map((r) => r.handler).join(', ')}`,
    );
  }
}
