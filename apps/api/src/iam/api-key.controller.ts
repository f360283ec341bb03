import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto, RotateApiKeyDto, WhoAmIDto } from './api-key.dto.js';
import { ApiKeyService } from './api-key.service.js';

const OWNERSHIP = "A principal sees and manages its own keys; a PlatformAdmin anyone's. Others' keys are answered 404.";

@ApiTags('IAM')
@Controller('v2/iam')
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Post('api-keys')
  @Access('api-keys.manage')
  @ApiDoc(
    'Issue an API key',
    [404, 422],
    'The answer carries the key, in `key`, this once; only its hash is stored. A key for another principal ' +
      "needs PlatformAdmin (403 `auth/not_key_owner`); scopes beyond the caller's credential are refused " +
      '(403 `auth/scope_missing`).',
  )
  @ApiBody({
    type: CreateApiKeyDto,
    examples: {
      service_account: {
        summary: 'A CI pipeline that reads and calls models',
        value: { name: 'ci-pipeline', principal: 'service-account:ci', scopes: ['read', 'inference'] },
      },
    },
  })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  create(@Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    return this.service.create(dto);
  }

  @Get('api-keys')
  @Access('api-keys.manage')
  @ApiDoc('List API keys', [400, 422], OWNERSHIP)
  @ApiPage(ApiKeyDto)
  list(@Query() query: ListQueryDto): Promise<Page<ApiKeyDto>> {
    return this.service.list(query);
  }

  @Get('api-keys/:id')
  @Access('api-keys.manage')
  @ApiDoc('Get an API key', [404], OWNERSHIP)
  @ApiOkResponse({ type: ApiKeyDto })
  get(@Param('id') id: string): Promise<ApiKeyDto> {
    return this.service.get(id);
  }

  @Post('api-keys/:id/rotate')
  @Access('api-keys.manage')
  @HttpCode(201)
  @ApiDoc(
    'Rotate an API key',
    [404, 409, 422],
    'Issues a new key with the same name, principal, workspace, scopes and expiry (its `key` shown this once). ' +
      'The old key keeps working for `grace_period_seconds` (default API_KEY_ROTATION_GRACE_SECONDS, never past ' +
      'its own expiry) and records `replaced_by`. A revoked, already rotated or expired key: 409.',
  )
  @ApiBody({ type: RotateApiKeyDto, required: false })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  rotate(@Param('id') id: string, @Body() dto: RotateApiKeyDto): Promise<IssuedApiKeyDto> {
    return this.service.rotate(id, dto);
  }

  @Delete('api-keys/:id')
  @Access('api-keys.manage')
  @HttpCode(204)
  @ApiDoc(
    'Revoke an API key',
    [404],
    'Refused by every replica at once (401 `auth/credential_revoked`). Idempotent: revoking a revoked key ' +
      "answers 204 again and keeps the first revocation's time and revoker.",
  )
  @ApiNoContentResponse({ description: 'Revoked.' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.service.revoke(id);
  }

  @Get('whoami')
  @Access('workspace.list')
  @ApiDoc('Who the credential proves', [], "The principal, how it authenticated, its key's limits and its roles.")
  @ApiOkResponse({ type: WhoAmIDto })
  whoami(): WhoAmIDto {
    return this.service.whoami();
  }
}
