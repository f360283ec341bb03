import { Injectable } from '@nestjs/common';
import { AUDIT_FILTER, AUDIT_SORTABLE, AuditRepository, type AuditEvent, type Page } from '#db';
import { ALL_WORKSPACES, listPage, toListQuery } from '../common/list.js';
import { compact, iso } from '../common/present.js';
import type { AuditEventDto, AuditEventListQueryDto } from './audit-event.dto.js';

/** Reads the audit log (written by AuditService in #auth, one event per change or refusal). */
@Injectable()
export class AuditEventService {
  constructor(private readonly events: AuditRepository) {}

  /**
   * A page of events: of every workspace (and platform-wide ones) without `workspace`, else of that
   * workspace only. The workspace is not checked for existence: a deleted workspace's log stays readable.
   */
  async list(dto: AuditEventListQueryDto, workspace?: string): Promise<Page<AuditEventDto>> {
    const scoped = workspace !== undefined && workspace !== ALL_WORKSPACES;
    const query = toListQuery(
      dto,
      { filter: AUDIT_FILTER, sortable: AUDIT_SORTABLE, workspaceScoped: true },
      workspace ?? ALL_WORKSPACES,
    );
    // toListQuery lets a top-level `workspace` condition replace the path's; here the path bounds the
    // page whatever the filter names, so the condition can only narrow it (to nothing, if it differs).
    if (scoped) query.filter = query.filter ? { $and: [{ workspace }, query.filter] } : { workspace };
    const { rows, total } = await this.events.list(query);
    return listPage(rows.map(present), total, query);
  }
}

function present(e: AuditEvent): AuditEventDto {
  return compact({
    // pg hands a bigint over as a string; String() also covers a driver that parses it.
    id: String(e.id),
    at: iso(e.at),
    principal: e.principal ?? undefined,
    key_id: e.keyId ?? undefined,
    workspace: e.workspace ?? undefined,
    action: e.action,
    resource: e.resource ?? undefined,
    version: e.version ?? undefined,
    outcome: e.outcome,
    status_code: e.statusCode ?? undefined,
    method: e.method ?? undefined,
    path: e.path ?? undefined,
    request_id: e.requestId ?? undefined,
    client_address: e.clientAddress ?? undefined,
    message: e.message ?? undefined,
    details: (e.details as Record<string, unknown> | null) ?? undefined,
  });
}
