import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { CreateModelDto, ModelDto, UpdateModelDto } from './model.dto.js';
import { ModelService } from './model.service.js';
import { Access } from '#auth';

@ApiTags('Models')
@Controller('v2/workspaces/:workspace/models')
export class ModelController {
  constructor(private readonly service: ModelService) {}

  @Post()
  @Access('models.write')
  @ApiDoc('Create a model entity', [404, 409, 413, 422])
  @ApiCreatedResponse({ type: ModelDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateModelDto): Promise<ModelDto> {
    return this.service.create(workspace, dto);
  }

  @Get()
  @Access('models.read')
  @ApiDoc('List model entities', [400, 404, 422])
  @ApiPage(ModelDto)
  list(@Param('workspace') workspace: string, @Query() query: ListQueryDto): Promise<Page<ModelDto>> {
    return this.service.list(workspace, query);
  }

  @Get(':name')
  @Access('models.read')
  @ApiDoc('Get a model entity', [404])
  @ApiOkResponse({ type: ModelDto })
  get(@Param('workspace') workspace: string, @Param('name') name: string): Promise<ModelDto> {
    return this.service.get(workspace, name);
  }

  @Patch(':name')
  @Access('models.write')
  @ApiDoc(
    'Update a model entity',
    [404, 413, 422],
    'Partial update: fields that are omitted or null keep their stored value.',
  )
  @ApiOkResponse({ type: ModelDto })
  update(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateModelDto,
  ): Promise<ModelDto> {
    return this.service.update(workspace, name, dto);
  }

  @Delete(':name')
  @Access('models.write')
  @HttpCode(204)
  @ApiDoc('Delete a model entity', [404])
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string, @Param('name') name: string): Promise<void> {
    return this.service.delete(workspace, name);
  }
}
