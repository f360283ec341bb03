import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import type { Page } from '#db';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { AuditEventDto, AuditEventListQueryDto } from './audit-event.dto.js';
import { AuditEventService } from './audit-event.service.js';

const FILTERS =
  'Filter fields: principal, key_id, action, resource, outcome (success, denied, failed), status_code, method, ' +
  'at (a date-time: `filter[at][$gte]=2026-12-01T00:00:00Z`)';

@ApiTags('Audit')
@Controller()
export class AuditEventController {
  constructor(private readonly service: AuditEventService) {}

  @Get('v2/audit-events')
  @Access('platform.admin')
  @ApiDoc(
    'List the audit log of every workspace, newest first',
    [400, 422],
    `Every change (whatever its outcome) and every refused request (401, 403). ${FILTERS}, workspace.`,
  )
  @ApiPage(AuditEventDto)
  list(@Query() query: AuditEventListQueryDto): Promise<Page<AuditEventDto>> {
    return this.service.list(query);
  }

  @Get('v2/workspaces/:workspace/audit-events')
  @Access('audit.read')
  @ApiDoc(
    "List a workspace's audit log, newest first",
    [400, 422],
    `The workspace's events only: a \`workspace\` filter cannot widen the page. ${FILTERS}.`,
  )
  @ApiPage(AuditEventDto)
  listInWorkspace(
    @Param('workspace') workspace: string,
    @Query() query: AuditEventListQueryDto,
  ): Promise<Page<AuditEventDto>> {
    return this.service.list(query, workspace);
  }
}
