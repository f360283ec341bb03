import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import { ApiDoc } from '../common/openapi.decorators.js';
import { UsagePageDto, UsageQueryDto } from './usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('Usage')
@Controller()
export class UsageController {
  constructor(private readonly service: UsageService) {}

  @Get('v2/workspaces/:workspace/usage')
  @Access('usage.read')
  @ApiDoc(
    "A workspace's inference usage and cost",
    [404, 422],
    'Requests, errors and tokens through the inference gateway, and their cost where the model entity has ' +
      'prices, summed per `group_by` over minutes whose start is in [start, end). The gateways write what ' +
      'they counted about once a second (GATEWAY_USAGE_FLUSH_INTERVAL_MS). `totals` sums the whole range. ' +
      'With `-` as the workspace: every workspace the caller may read usage of (group by `workspace`).',
  )
  @ApiOkResponse({ type: UsagePageDto })
  query(@Param('workspace') workspace: string, @Query() query: UsageQueryDto): Promise<UsagePageDto> {
    return this.service.query(workspace, query);
  }
}
