import { Injectable } from '@nestjs/common';
import type { AuditEvent, AuditOutcome } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma.service.js';
import { filterFields } from '../query/filter.js';
import type { TableDef } from '../query/tables.js';
import { findPage, type ListQuery } from './list.js';

/** A request's event (the system's own, with `details`, are written where they happen: see deployment.removal.ts). */
export type AuditEventInput = Omit<AuditEvent, 'id' | 'at' | 'details'>;
export type { AuditOutcome };

export const AUDIT_EVENTS: TableDef<AuditEvent> = {
  table: 'audit_events',
  columns: {
    id: 'id',
    at: 'at',
    principal: 'principal',
    keyId: 'key_id',
    workspace: 'workspace',
    action: 'action',
    resource: 'resource',
    version: 'version',
    outcome: 'outcome',
    statusCode: 'status_code',
    method: 'method',
    path: 'path',
    requestId: 'request_id',
    clientAddress: 'client_address',
    message: 'message',
    details: 'details',
  },
};

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const satisfies readonly AuditOutcome[];

/** The audit log's filter fields (wire name → column); `workspace` comes with the list's workspace scope. */
export const AUDIT_FILTER = filterFields({
  principal: 'string',
  key_id: { column: 'key_id', type: 'string' },
  action: 'string',
  resource: 'string',
  outcome: { column: 'outcome', type: 'enum', values: AUDIT_OUTCOMES },
  status_code: { column: 'status_code', type: 'int' },
  method: 'string',
  at: 'datetime',
});

export const AUDIT_SORTABLE = { at: 'at', id: 'id' };

/** The append-only audit log (a trigger refuses updates and deletes). */
@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async append(e: AuditEventInput): Promise<void> {
    await this.prisma.pool.query(
      `INSERT INTO audit_events (principal, key_id, workspace, action, resource, version, outcome, status_code,
                                 method, path, request_id, client_address, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        e.principal,
        e.keyId,
        e.workspace,
        e.action,
        e.resource,
        e.version,
        e.outcome,
        e.statusCode,
        e.method,
        e.path,
        e.requestId,
        e.clientAddress,
        e.message,
      ],
    );
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, AUDIT_EVENTS, query);
  }
}
