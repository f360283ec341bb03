import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessService } from './access.service.js';
import { openRequestAccess, type AccessDeclaration } from './request-access.js';

/**
 * A Fastify onRequest hook for the API: authenticates the caller of every declared, non-public route
 * before its body is read, so an unauthenticated caller gets its 401 (or 429) and nothing else: no
 * parse error, no size limit, no validation message. The guard (AccessGuard) then checks the permission
 * with the principal found here. The gateway's routes read no body before their own check.
 */
export function authenticateEarly(
  access: AccessService,
  refuse: (error: unknown, reply: FastifyReply) => void,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const config = request.routeOptions.config as { access?: AccessDeclaration; action?: string } | undefined;
    const declaration = config?.access;
    if (declaration === undefined || declaration === 'public' || declaration === 'inference') return;
    const state = openRequestAccess(request, declaration, config?.action ?? 'unknown');
    try {
      state.principal = await access.authenticateRequest(request);
    } catch (error) {
      refuse(error, reply);
      return reply;
    }
  };
}
