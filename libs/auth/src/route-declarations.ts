import type { INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
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
    for (const key of Object.getOwnPropertyNames(type.prototype)) {
      const method = (type.prototype as Record<string, unknown>)[key];
      if (typeof method !== 'function' || key === 'constructor') continue;
      if (Reflect.getMetadata(PATH_METADATA, method) === undefined) continue;
      if (Reflect.getMetadata(METHOD_METADATA, method) === undefined) continue;
      const declaration = Reflect.getMetadata(ACCESS_METADATA, method) as AccessDeclaration | undefined;
      out.push({ handler: `${type.name}.${key}`, declaration });
    }
  }
  return out;
}

/**
 * Stops the application from starting when a route does not say who may call it: every route Fastify
 * registers (the API's controllers, whose @Access is also their route config, and the gateway's routes)
 * must carry an `access` declaration, except those under `undeclaredPrefixes` (the docs, which Swagger
 * registers and which are public). Checked when the application becomes ready, before it listens.
 */
export function requireRouteDeclarations(fastify: FastifyInstance, undeclaredPrefixes: readonly string[] = []): void {
  const missing: string[] = [];
  fastify.addHook('onRoute', (route) => {
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (access !== undefined || undeclaredPrefixes.some((p) => route.url.startsWith(p))) return;
    const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
    if (methods === 'HEAD') return; // Fastify's automatic HEAD twin of a declared GET
    missing.push(`${methods} ${route.url}`);
  });
  fastify.addHook('onReady', async () => {
    if (missing.length > 0) {
      throw new Error(`Routes without an @Access declaration (who may call them): ${missing.join('; ')}`);
    }
  });
}
