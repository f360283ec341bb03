import { Injectable, Logger } from '@nestjs/common';
import { AuditRepository, type AuditOutcome } from '#db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestAccess } from './request-access.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes the audit event of a request once it is answered (a Fastify onResponse hook, for the API's
 * routes and the gateway's): every request that changes something (whatever its outcome) and every
 * refused one (401, 403). Inference calls are not changes; only their refusals are recorded. Nothing of
 * a body is recorded: the resource's name and version come from the route and the handler's result.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');
  constructor(private readonly repository: AuditRepository) {}

  onResponse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return this.record(request, reply.statusCode);
  }

  /** Writes the request's event if it calls for one (the gateway calls this itself: its replies are hijacked). */
  async record(request: FastifyRequest, status: number): Promise<void> {
    const access = requestAccess(request.raw);
    if (!access || access.declaration === 'public' || access.audited) return;
    access.audited = true;
    const denied = status === 401 || status === 403;
    const change = !READS.has(request.method) && access.declaration !== 'inference';
    if (!denied && !change) return;
    const outcome: AuditOutcome = denied ? 'denied' : status < 400 ? 'success' : 'failed';
    const principal = access.principal;
    try {
      await this.repository.append({
        principal: principal?.id ?? null,
        keyId: principal?.keyId ?? null,
        workspace: access.workspace === '-' ? null : access.workspace,
        action: access.action,
        resource: access.resource ?? null,
        version: access.version ?? null,
        outcome,
        statusCode: status,
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0],
        requestId: String(request.id),
        clientAddress: request.ip,
        message: outcome === 'success' ? null : (access.error ?? null),
      });
    } catch (error) {
      // The change is made and answered; losing its record is logged loudly rather than failing silently.
      this.logger.error(`Could not write the audit event of ${access.action} (${status}): ${(error as Error).message}`);
    }
  }
}
