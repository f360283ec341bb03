import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { CreateSecretDto, RotateSecretsResultDto, SecretDto, UpdateSecretDto } from './secret.dto.js';
import { SecretService } from './secret.service.js';
import { Access } from '#auth';

@ApiTags('Secrets')
@Controller('v2/workspaces/:workspace/secrets')
export class SecretController {
  constructor(private readonly service: SecretService) {}

  @Post()
  @Access('secrets.write')
  @ApiDoc(
    'Create a secret',
    [404, 409, 413, 422],
    'The value is encrypted at rest (AES-256-GCM) and is never returned by any endpoint.',
  )
  @ApiCreatedResponse({ type: SecretDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateSecretDto): Promise<SecretDto> {
    return this.service.create(workspace, dto);
  }

  @Get()
  @Access('secrets.read')
  @ApiDoc('List secrets (metadata only)', [400, 404, 422])
  @ApiPage(SecretDto)
  list(@Param('workspace') workspace: string, @Query() query: ListQueryDto): Promise<Page<SecretDto>> {
    return this.service.list(workspace, query);
  }

  @Get(':name')
  @Access('secrets.read')
  @ApiDoc('Get a secret (metadata only)', [404])
  @ApiOkResponse({ type: SecretDto })
  get(@Param('workspace') workspace: string, @Param('name') name: string): Promise<SecretDto> {
    return this.service.get(workspace, name);
  }

  @Patch(':name')
  @Access('secrets.write')
  @ApiDoc('Update a secret: its value, its description, or both', [404, 413, 422])
  @ApiOkResponse({ type: SecretDto })
  update(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateSecretDto,
  ): Promise<SecretDto> {
    return this.service.update(workspace, name, dto);
  }

  @Delete(':name')
  @Access('secrets.write')
  @HttpCode(204)
  @ApiDoc('Delete a secret', [404, 409], 'Refused with 409 while a model provider uses it as its API key.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string, @Param('name') name: string): Promise<void> {
    return this.service.delete(workspace, name);
  }
}

@ApiTags('Secrets')
@Controller('v2/admin/secrets')
export class SecretAdminController {
  constructor(private readonly service: SecretService) {}

  @Post('rotate')
  @Access('platform.admin')
  @HttpCode(200)
  @ApiDoc(
    'Re-encrypt every secret under the active key',
    [],
    'Put the new key first in MODELPLANE_SECRET_KEYS (keeping the old ones), restart, call this, then remove the old keys.',
  )
  @ApiOkResponse({ type: RotateSecretsResultDto })
  rotate(): Promise<RotateSecretsResultDto> {
    return this.service.rotate();
  }
}
