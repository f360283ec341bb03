import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WORKSPACE_ROLES, type WorkspaceRole } from '#auth';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

const ROLES_MESSAGE =
  'each role must be one of Viewer, Editor, Admin (PlatformAdmin is granted platform-wide through /v2/iam/role-bindings)';

function rolesProperty(required: boolean) {
  return (required ? ApiProperty : ApiPropertyOptional)({
    type: 'array',
    items: { type: 'string', enum: [...WORKSPACE_ROLES] },
    example: ['Editor'],
    ...(required ? {} : { default: ['Editor'] }),
  });
}

/** NeMo's WorkspaceMemberInput. */
export class MemberInputDto {
  @ApiProperty({
    example: 'alice@example.com',
    description: 'A user, `service-account:NAME`, `group:NAME` (an OIDC group) or `*` (every authenticated principal).',
  })
  @IsString()
  @MaxLength(255)
  principal!: string;

  @rolesProperty(false)
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WORKSPACE_ROLES.length)
  @IsIn(WORKSPACE_ROLES, { each: true, message: ROLES_MESSAGE })
  roles?: WorkspaceRole[];
}

/** NeMo's WorkspaceMemberUpdate: the member's roles, replacing those it has. */
export class MemberUpdateDto {
  @rolesProperty(true)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WORKSPACE_ROLES.length)
  @IsIn(WORKSPACE_ROLES, { each: true, message: ROLES_MESSAGE })
  roles!: WorkspaceRole[];
}

/** NeMo's WorkspaceMember: every role one principal holds in the workspace. */
export class MemberDto {
  @ApiProperty({ example: 'alice@example.com' }) principal!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...WORKSPACE_ROLES] }, example: ['Editor'] })
  roles!: WorkspaceRole[];
  @ApiProperty({ format: 'date-time', description: 'When its first role there was granted.' }) granted_at!: string;
  @ApiProperty({ example: 'admin', description: 'Who granted that role.' }) granted_by!: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
}
