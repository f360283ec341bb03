import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsDescription } from '../common/fields.js';
import { IsEntityName } from '../common/names.js';

/** NeMo's PUT on a workspace: the name cannot change (it is the path's); the description is replaced. */
export class UpdateWorkspaceDto {
  @ApiPropertyOptional({ example: 'team-a', description: "The workspace's name, if sent: it must be the path's." })
  @IsOptional()
  @IsString()
  name?: string;

  @IsDescription('Models for team A')
  description?: string | null;
}

export class CreateWorkspaceDto {
  @IsEntityName('team-a')
  name!: string;

  @IsDescription('Models for team A')
  description?: string | null;
}

export class WorkspaceDto {
  @ApiProperty({ example: 'workspace-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'team-a' }) name!: string;
  @ApiPropertyOptional({ example: 'Models for team A' }) description?: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created it.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that last changed it.' })
  updated_by?: string;
}
