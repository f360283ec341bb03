import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import { DeleteResponseDto } from '../common/delete-response.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { RoleBindingDto, RoleBindingInputDto, RoleBindingListQueryDto } from './role-binding.dto.js';
import { RoleBindingService, type RoleBindingPage } from './role-binding.service.js';

@ApiTags('IAM')
@Controller('v2/iam/role-bindings')
export class RoleBindingController {
  constructor(private readonly service: RoleBindingService) {}

  @Get()
  @Access('platform.admin')
  @ApiDoc('List role bindings', [400, 422], 'Filter fields: principal, role, workspace, granted_by, granted_at, id.')
  @ApiPage(RoleBindingDto)
  list(@Query() query: RoleBindingListQueryDto): Promise<RoleBindingPage> {
    return this.service.list(query);
  }

  @Post()
  @Access('platform.admin')
  @ApiDoc(
    'Grant a role',
    [404, 409, 422],
    'Viewer, Editor and Admin need a workspace; PlatformAdmin takes none. Refused with 409 when the binding exists.',
  )
  @ApiCreatedResponse({ type: RoleBindingDto })
  create(@Body() dto: RoleBindingInputDto): Promise<RoleBindingDto> {
    return this.service.create(dto);
  }

  @Get(':id')
  @Access('platform.admin')
  @ApiDoc('Get a role binding', [404])
  @ApiOkResponse({ type: RoleBindingDto })
  get(@Param('id') id: string): Promise<RoleBindingDto> {
    return this.service.get(id);
  }

  @Delete(':id')
  @Access('platform.admin')
  @ApiDoc(
    'Delete a role binding',
    [404, 409],
    "Refused with 409 when it is its workspace's last Admin binding or the platform's last PlatformAdmin binding.",
  )
  @ApiOkResponse({ type: DeleteResponseDto })
  delete(@Param('id') id: string): Promise<DeleteResponseDto> {
    return this.service.delete(id);
  }
}
