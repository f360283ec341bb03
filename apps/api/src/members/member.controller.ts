import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import { DeleteResponseDto } from '../common/delete-response.js';
import { ApiDoc } from '../common/openapi.decorators.js';
import { MemberDto, MemberInputDto, MemberListDto, MemberUpdateDto } from './member.dto.js';
import { MemberService } from './member.service.js';

const LAST_ADMIN = 'Refused with 409 (`member/last_admin`) when the workspace would be left without an Admin binding.';

/** `principal` in a path may hold `:` and `@` as they are; `*` is sent URL-encoded (`%2A`). */
@ApiTags('Members')
@Controller('v2/workspaces/:workspace/members')
export class MemberController {
  constructor(private readonly service: MemberService) {}

  @Get()
  @Access('members.read')
  @ApiDoc("List a workspace's members", [404])
  @ApiOkResponse({ type: MemberListDto })
  list(@Param('workspace') workspace: string): Promise<MemberListDto> {
    return this.service.list(workspace);
  }

  @Post()
  @Access('members.write')
  @ApiDoc('Add a member', [404, 409, 422], 'Refused with 409 when the principal already holds a role there.')
  @ApiCreatedResponse({ type: MemberDto })
  add(@Param('workspace') workspace: string, @Body() dto: MemberInputDto): Promise<MemberDto> {
    return this.service.add(workspace, dto);
  }

  @Put(':principal')
  @Access('members.write')
  @ApiDoc("Replace a member's roles", [404, 409, 422], LAST_ADMIN)
  @ApiOkResponse({ type: MemberDto })
  update(
    @Param('workspace') workspace: string,
    @Param('principal') principal: string,
    @Body() dto: MemberUpdateDto,
  ): Promise<MemberDto> {
    return this.service.update(workspace, principal, dto);
  }

  @Delete(':principal')
  @Access('members.write')
  @ApiDoc('Remove a member (every role it holds in the workspace)', [404, 409], LAST_ADMIN)
  @ApiOkResponse({ type: DeleteResponseDto })
  remove(@Param('workspace') workspace: string, @Param('principal') principal: string): Promise<DeleteResponseDto> {
    return this.service.remove(workspace, principal);
  }
}
