import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { AUDIT_OUTCOMES, type AuditOutcome } from '#db';
import { ListQueryDto } from '../common/list.js';

/** The audit log's list parameters: newest first unless told otherwise. */
export class AuditEventListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    default: '-at',
    description: 'Field to sort by (`at` or `id`); prefix with - for descending.',
    example: 'at',
  })
  @IsOptional()
  @IsString()
  override sort: string = '-at';
}

/**
 * One audit event: who did (or tried) what, where, and how it ended. It never holds a request's body, a
 * secret's value or a credential: `message` is an error code, or the refusal's own text for a 401/403.
 */
export class AuditEventDto {
  @ApiProperty({ description: 'Increasing id (a 64-bit integer, as a string).', example: '1042' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({ description: 'The caller; absent when it was not authenticated.', example: 'alice' })
  principal?: string;

  @ApiPropertyOptional({ description: 'The API key the caller used, if any.' })
  key_id?: string;

  @ApiPropertyOptional({ description: 'The workspace acted in; absent for platform-wide operations.' })
  workspace?: string;

  @ApiProperty({ example: 'deployment.create' })
  action!: string;

  @ApiPropertyOptional({ description: 'The name (or id) of the resource acted on.', example: 'llama-3' })
  resource?: string;

  @ApiPropertyOptional({ description: 'The entity version the change wrote or named.', example: 2 })
  version?: number;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @ApiProperty({ example: 201 })
  status_code!: number;

  @ApiProperty({ example: 'POST' })
  method!: string;

  @ApiProperty({
    description: 'The route (its template, not the request URL).',
    example: '/v2/workspaces/:workspace/deployments',
  })
  path!: string;

  @ApiPropertyOptional()
  request_id?: string;

  @ApiPropertyOptional({ example: '10.0.0.7' })
  client_address?: string;

  @ApiPropertyOptional({ description: 'Why it was refused or failed: an error code (or the refusal for a 401/403).' })
  message?: string;
}
