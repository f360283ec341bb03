import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { AdapterDto, CreateAdapterDto, CreateModelAdapterDto, UpdateAdapterDto } from './adapter.dto.js';
import { AdapterService } from './adapter.service.js';

const FILTERS =
  'Filter fields: name, model (the base as workspace/name), description, fileset, finetuning_type, enabled, ' +
  'created_at, updated_at.';

/** NeMo's `…/adapters` family: adapters by name in the workspace; on create the base model is in the body. */
@ApiTags('Adapters')
@Controller('v2/workspaces/:workspace/adapters')
export class AdapterController {
  constructor(private readonly service: AdapterService) {}

  @Post()
  @Access('adapters.write')
  @ApiDoc(
    'Create an adapter of the model named in the body',
    [400, 404, 409, 413, 422],
    '`model` is a model of this workspace (`name`) or of another (`workspace/name`, which needs models.read ' +
      'there). 404 when the model does not exist; 409 when the workspace has an adapter of that name.',
  )
  @ApiCreatedResponse({ type: AdapterDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateAdapterDto): Promise<AdapterDto> {
    return this.service.create(workspace, dto.model, dto);
  }

  @Get()
  @Access('adapters.read')
  @ApiDoc('List adapters', [400, 404, 422], FILTERS)
  @ApiPage(AdapterDto)
  list(@Param('workspace') workspace: string, @Query() query: ListQueryDto): Promise<Page<AdapterDto>> {
    return this.service.list(workspace, query);
  }

  @Get(':name')
  @Access('adapters.read')
  @ApiDoc('Get an adapter', [404])
  @ApiOkResponse({ type: AdapterDto })
  get(@Param('workspace') workspace: string, @Param('name') name: string): Promise<AdapterDto> {
    return this.service.get(workspace, name);
  }

  @Patch(':name')
  @Access('adapters.write')
  @ApiDoc('Update an adapter', [404, 413, 422], 'description, enabled, fileset; omitted or null keeps the value.')
  @ApiOkResponse({ type: AdapterDto })
  update(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateAdapterDto,
  ): Promise<AdapterDto> {
    return this.service.update(workspace, name, dto);
  }

  @Delete(':name')
  @Access('adapters.write')
  @HttpCode(204)
  @ApiDoc('Delete an adapter', [404])
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string, @Param('name') name: string): Promise<void> {
    return this.service.delete(workspace, name);
  }
}

/** NeMo's `…/models/{model}/adapters` family: the base model in the path, of the path's workspace. */
@ApiTags('Adapters')
@Controller('v2/workspaces/:workspace/models/:model/adapters')
export class ModelAdapterController {
  constructor(private readonly service: AdapterService) {}

  @Post()
  @Access('adapters.write')
  @ApiDoc(
    'Add an adapter to a model',
    [400, 404, 409, 413, 422],
    '404 when the model does not exist; 409 when the workspace has an adapter of that name.',
  )
  @ApiCreatedResponse({ type: AdapterDto })
  create(
    @Param('workspace') workspace: string,
    @Param('model') model: string,
    @Body() dto: CreateModelAdapterDto,
  ): Promise<AdapterDto> {
    return this.service.create(workspace, model, dto);
  }

  @Get()
  @Access('adapters.read')
  @ApiDoc(
    "List a model's adapters",
    [400, 404, 422],
    `Modelplane's; the model's \`adapters\` field holds the same. ${FILTERS}`,
  )
  @ApiPage(AdapterDto)
  list(
    @Param('workspace') workspace: string,
    @Param('model') model: string,
    @Query() query: ListQueryDto,
  ): Promise<Page<AdapterDto>> {
    return this.service.list(workspace, query, model);
  }

  @Patch(':name')
  @Access('adapters.write')
  @ApiDoc(
    "Update a model's adapter",
    [404, 413, 422],
    '404 when the model, or its adapter of that name, does not exist. Omitted or null fields keep their value.',
  )
  @ApiOkResponse({ type: AdapterDto })
  update(
    @Param('workspace') workspace: string,
    @Param('model') model: string,
    @Param('name') name: string,
    @Body() dto: UpdateAdapterDto,
  ): Promise<AdapterDto> {
    return this.service.update(workspace, name, dto, model);
  }

  @Delete(':name')
  @Access('adapters.write')
  @HttpCode(204)
  @ApiDoc("Delete a model's adapter", [404], '404 when the model, or its adapter of that name, does not exist.')
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(
    @Param('workspace') workspace: string,
    @Param('model') model: string,
    @Param('name') name: string,
  ): Promise<void> {
    return this.service.delete(workspace, name, model);
  }
}
