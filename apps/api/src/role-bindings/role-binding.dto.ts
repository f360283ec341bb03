import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '#auth';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../common/list.js';

/** NeMo's RoleBindingInput. */
export class RoleBindingInputDto {
  @ApiProperty({
    example: 'service-account:ci',
    description: 'A user, `service-account:NAME`, `group:NAME` (an OIDC group) or `*` (every authenticated principal).',
  })
  @IsString()
  @MaxLength(255)
  principal!: string;

  @ApiPropertyOptional({
    example: 'team-a',
    description: 'The workspace of a Viewer, Editor or Admin binding; absent for PlatformAdmin.',
  })
  @IsOptional()
  @IsString()
  workspace?: string;

  @ApiProperty({ enum: [...ROLES], example: 'Editor' })
  @IsIn(ROLES)
  role!: Role;
}

/** NeMo's RoleBinding. Bindings are deleted, never revoked in place: `revoked_at` is always null. */
export class RoleBindingDto {
  @ApiProperty({ example: 'rb-0f3c9a1b2c3d4e5f6a7b8c9d', description: 'Derived from workspace, principal and role.' })
  id!: string;
  @ApiProperty({ example: 'rb-0f3c9a1b2c3d4e5f6a7b8c9d', description: 'The same as id.' }) name!: string;
  @ApiProperty({ example: 'service-account:ci' }) principal!: string;
  @ApiProperty({ example: 'team-a', nullable: true, type: String }) workspace!: string | null;
  @ApiProperty({ enum: [...ROLES], example: 'Editor' }) role!: Role;
  @ApiProperty({ example: 'admin' }) granted_by!: string;
  @ApiProperty({ format: 'date-time' }) granted_at!: string;
  @ApiProperty({ nullable: true, type: String, example: null }) revoked_at!: null;
}

/** Role bindings have no created_at: they sort by granted_at unless told otherwise. */
export class RoleBindingListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    default: 'granted_at',
    description: 'granted_at, principal, role, workspace or id; prefix with - for descending.',
  })
  @IsOptional()
  @IsString()
  override sort: string = 'granted_at';
}
