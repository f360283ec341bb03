import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '#db';
import { ListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { CreateWorkspaceDto, UpdateWorkspaceDto, WorkspaceDto } from './workspace.dto.js';
import { WorkspaceService } from './workspace.service.js';
import { Access } from '#auth';

@ApiTags('Workspaces')
@Controller('v2/workspaces')
export class WorkspaceController {
  constructor(private readonly service: WorkspaceService) {}

  @Post()
  @Access('workspace.create')
  @ApiDoc('Create a workspace', [409, 413, 422])
  @ApiCreatedResponse({ type: WorkspaceDto })
  create(@Body() dto: CreateWorkspaceDto): Promise<WorkspaceDto> {
    return this.service.create(dto);
  }

  @Get()
  @Access('workspace.list')
  @ApiDoc('List workspaces', [400, 422])
  @ApiPage(WorkspaceDto)
  list(@Query() query: ListQueryDto): Promise<Page<WorkspaceDto>> {
    return this.service.list(query);
  }

  @Get(':workspace')
  @Access('workspace.read')
  @ApiDoc('Get a workspace', [404])
  @ApiOkResponse({ type: WorkspaceDto })
  get(@Param('workspace') workspace: string): Promise<WorkspaceDto> {
    return this.service.get(workspace);
  }

  @Put(':workspace')
  @Access('workspace.update')
  @ApiDoc(
    "Replace a workspace's description",
    [404, 413, 422],
    "The name cannot change: one sent must be the path's (else 422).",
  )
  @ApiOkResponse({ type: WorkspaceDto })
  update(@Param('workspace') workspace: string, @Body() dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    return this.service.update(workspace, dto);
  }

  @Delete(':workspace')
  @Access('workspace.delete')
  @HttpCode(204)
  @ApiDoc(
    'Delete a workspace and everything in it',
    [404, 409],
    'Refused with 409 while the workspace holds a deployment that is not DELETED.',
  )
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(@Param('workspace') workspace: string): Promise<void> {
    return this.service.delete(workspace);
  }
}
