import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { CreateProviderDto, ProviderDto, ProviderStatusDto, UpsertProviderDto } from './provider.dto.js';
import { ProviderService } from './provider.service.js';
import { Access } from '#auth';

@ApiTags('Model providers')
@Controller('v2/workspaces/:workspace/providers')
export class ProviderController {
  constructor(private readonly service: ProviderService) {}

  @Post()
  @Access('providers.write')
  @ApiDoc(
    'Register a model provider',
    [404, 409, 413, 422],
    'api_key_secret_name must name a secret of the same workspace.',
  )
  @ApiCreatedResponse({ type: ProviderDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateProviderDto): Promise<ProviderDto> {
    return this.service.create(workspace, dto);
  }

  @Get()
  @Access('providers.read')
  @ApiDoc('List model providers', [400, 404, 422])
  @ApiPage(ProviderDto)
  list(@Param('workspace') workspace: string, @Query() query: ListQueryDto): Promise<Page<ProviderDto>> {
    return this.service.list(workspace, query);
  }

  @Get(':name')
  @Access('providers.read')
  @ApiDoc('Get a model provider', [404])
  @ApiOkResponse({ type: ProviderDto })
  get(@Param('workspace') workspace: string, @Param('name') name: string): Promise<ProviderDto> {
    return this.service.get(workspace, name);
  }

  @Put(':name')
  @Access('providers.write')
  @ApiDoc(
    'Create or replace a model provider',
    [404, 413, 422],
    'Full replacement: omitted fields return to their defaults.',
  )
  @ApiOkResponse({ type: ProviderDto })
  upsert(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpsertProviderDto,
  ): Promise<ProviderDto> {
    return this.service.upsert(workspace, name, dto);
  }

  @Put(':name/status')
  @Access('providers.write')
  @ApiDoc(
    "Update a provider's status, served models or deployment link",
    [404, 413, 422],
    'A status without status_message sets the message to "".',
  )
  @ApiOkResponse({ type: ProviderDto })
  setStatus(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: ProviderStatusDto,
  ): Promise<ProviderDto> {
    return this.service.setStatus(workspace, name, dto);
  }

  @Delete(':name')
  @Access('providers.write')
  @HttpCode(204)
  @ApiDoc(
    'Delete a model provider',
    [404],
    'Also removes the provider from the model_providers of the models it served.',
  )
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string, @Param('name') name: string): Promise<void> {
    return this.service.delete(workspace, name);
  }
}
