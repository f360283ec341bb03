import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Page } from '#db';
import { VersionedListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { parseBoolParam, ParseVersionPipe } from '../common/version.pipe.js';
import { CreateDeploymentConfigDto, DeploymentConfigDto, UpdateDeploymentConfigDto } from './deployment-config.dto.js';
import { DeploymentConfigService } from './deployment-config.service.js';
import { Access } from '#auth';

@ApiTags('Deployment configs')
@Controller('v2/workspaces/:workspace/deployment-configs')
export class DeploymentConfigController {
  constructor(private readonly service: DeploymentConfigService) {}

  @Post()
  @Access('deployment-configs.write')
  @ApiDoc(
    'Create a deployment config (version 1)',
    [400, 404, 409, 413, 422],
    'Configs are immutable: changing one creates a new version.',
  )
  @ApiCreatedResponse({ type: DeploymentConfigDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateDeploymentConfigDto): Promise<DeploymentConfigDto> {
    return this.service.create(workspace, dto);
  }

  @Get()
  @Access('deployment-configs.read')
  @ApiDoc('List deployment configs (latest version of each)', [400, 404, 422])
  @ApiQuery({
    name: 'all_versions',
    required: false,
    type: Boolean,
    description: 'List every version instead of the latest of each.',
  })
  @ApiPage(DeploymentConfigDto)
  list(
    @Param('workspace') workspace: string,
    @Query() query: VersionedListQueryDto,
    @Query('all_versions') allVersions?: string,
  ): Promise<Page<DeploymentConfigDto>> {
    return this.service.list(workspace, query, parseBoolParam(allVersions, 'all_versions') ?? false);
  }

  @Get(':name')
  @Access('deployment-configs.read')
  @ApiDoc('Get the latest version of a deployment config', [404])
  @ApiOkResponse({ type: DeploymentConfigDto })
  get(@Param('workspace') workspace: string, @Param('name') name: string): Promise<DeploymentConfigDto> {
    return this.service.get(workspace, name);
  }

  @Post(':name')
  @Access('deployment-configs.write')
  @ApiDoc(
    'Create a new version of a deployment config',
    [400, 404, 413, 422],
    'A full replacement without the name; the project is kept. Concurrent writers each get their own version number.',
  )
  @ApiCreatedResponse({ type: DeploymentConfigDto })
  newVersion(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateDeploymentConfigDto,
  ): Promise<DeploymentConfigDto> {
    return this.service.newVersion(workspace, name, dto);
  }

  @Get(':name/versions')
  @Access('deployment-configs.read')
  @ApiDoc('List every version of a deployment config, newest first', [404])
  @ApiOkResponse({ type: [DeploymentConfigDto] })
  versions(@Param('workspace') workspace: string, @Param('name') name: string): Promise<DeploymentConfigDto[]> {
    return this.service.versions(workspace, name);
  }

  @Get(':name/versions/:version')
  @Access('deployment-configs.read')
  @ApiDoc('Get one version of a deployment config', [400, 404])
  @ApiOkResponse({ type: DeploymentConfigDto })
  version(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Param('version', new ParseVersionPipe()) version: number,
  ): Promise<DeploymentConfigDto> {
    return this.service.get(workspace, name, version);
  }

  @Delete(':name')
  @Access('deployment-configs.write')
  @HttpCode(204)
  @ApiDoc(
    'Delete every version of a deployment config',
    [404, 409, 422],
    'Refused with 409 while a deployment that is not DELETED uses any version.',
  )
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string, @Param('name') name: string): Promise<void> {
    return this.service.delete(workspace, name);
  }

  @Delete(':name/versions/:version')
  @Access('deployment-configs.write')
  @HttpCode(204)
  @ApiDoc(
    'Delete one version of a deployment config',
    [400, 404, 409, 422],
    'Refused with 409 while a deployment that is not DELETED uses it.',
  )
  @ApiNoContentResponse({ description: 'Deleted.' })
  deleteVersion(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Param('version', new ParseVersionPipe()) version: number,
  ): Promise<void> {
    return this.service.delete(workspace, name, version);
  }
}
