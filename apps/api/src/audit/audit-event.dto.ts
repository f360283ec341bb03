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
 * Events the system makes itself (removing a DELETED deployment) carry no request fields and keep what
 * they removed in `details`.
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

  @ApiPropertyOptional({
    example: 201,
    description: "The answer's status; absent for an event the system made itself.",
  })
  status_code?: number;

  @ApiPropertyOptional({ example: 'POST', description: 'Absent for an event the system made itself.' })
  method?: string;

  @ApiPropertyOptional({
    description: 'The route (its template, not the request URL); absent for an event the system made itself.',
    example: '/v2/workspaces/:workspace/deployments',
  })
  path?: string;

  @ApiPropertyOptional()
  request_id?: string;

  @ApiPropertyOptional({ example: '10.0.0.7' })
  client_address?: string;

  @ApiPropertyOptional({ description: 'Why it was refused or failed: an error code (or the refusal for a 401/403).' })
  message?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'What the event keeps beyond the fields above. `deployment.removed` (a DELETED deployment removed by the ' +
      'workers, principal `system`, or by a DELETE): `{cause, deployment: {id, created_at, created_by, updated_by}, ' +
      'versions: [...]}`, each version with its config, statuses and `status_history`, newest first.',
    example: { cause: 'retention', deployment: { id: 'deployment-0f3c9a1b2c3d4e5f6a7b' }, versions: [] },
  })
  details?: Record<string, unknown>;
}
