import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccessService } from './access.service.js';
import { AuditService } from './audit.service.js';
import { openRequestAccess, requestAccess } from './request-access.js';

/**
 * The gateway routes' guard (libs/gateway's GatewayGuard): the same authentication and authorization as
 * the API's AccessGuard, from memory, and the refusal recorded in the audit log. A successful inference
 * call is not a change and is not recorded there.
 */
@Injectable()
export class GatewayAccess {
  constructor(
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** The caller (its principal id and key id) once allowed; null when access control is off (anonymous). */
  async check(
    request: FastifyRequest,
    declaration: 'inference',
    workspace: string,
    action: string,
  ): Promise<{ id: string; keyId: string | null } | null> {
    const state = openRequestAccess(request, declaration, action);
    const principal = await this.access.authenticateRequest(request);
    state.principal = principal;
    this.access.authorize(principal, declaration, workspace);
    return principal && principal.via !== 'anonymous' ? { id: principal.id, keyId: principal.keyId } : null;
  }

  refused(request: FastifyRequest, status: number, message: string): void {
    const access = requestAccess(request.raw);
    if (access) access.error = message;
    void this.audit.record(request, status);
  }
}
