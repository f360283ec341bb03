import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { currentDialect } from '#auth';
import { DEPLOYMENT_STATUSES, OPTIONAL_WORKSPACE_REF_PATTERN, statusesOnWire, type DeploymentStatus } from '#domain';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { IsEntityName, IsProject } from '../common/names.js';

export class UpdateDeploymentDto {
  @ApiProperty({
    example: 'llama-3-1-8b-1gpu',
    description: 'Deployment config name (or workspace/name within this workspace).',
  })
  @IsString()
  @Matches(OPTIONAL_WORKSPACE_REF_PATTERN, { message: 'config must be a config name or workspace/name' })
  @MaxLength(600)
  config!: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Config version; null or 0 means the latest.',
    example: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  config_version?: number | null;
}

export class CreateDeploymentDto extends UpdateDeploymentDto {
  @IsEntityName('llama-3-1-8b')
  name!: string;

  @IsProject()
  project?: string | null;
}

/** A status in the request's vocabulary (ERROR for FAILED on NeMo's paths; see libs/domain dialect). */
function IsDeploymentStatusOnWire() {
  return ValidateBy({
    name: 'isDeploymentStatus',
    validator: {
      validate: (value) =>
        typeof value === 'string' && statusesOnWire(DEPLOYMENT_STATUSES, currentDialect()).includes(value),
      defaultMessage: () =>
        `status must be one of the following values: ${statusesOnWire(DEPLOYMENT_STATUSES, currentDialect()).join(', ')}`,
    },
  });
}

export class DeploymentStatusUpdateDto {
  @ApiProperty({ enum: DEPLOYMENT_STATUSES, example: 'READY' })
  @IsDeploymentStatusOnWire()
  status!: DeploymentStatus;

  @ApiPropertyOptional({ type: String, nullable: true, default: '', example: 'NIM is healthy' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  status_message?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  model_provider_id?: string | null;
}

export class StatusHistoryEntryDto {
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ enum: DEPLOYMENT_STATUSES }) status!: DeploymentStatus;
  @ApiProperty() status_message!: string;
}

export class DeploymentDto {
  @ApiProperty({ example: 'deployment-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() workspace!: string;
  @ApiPropertyOptional() project?: string;
  @ApiProperty({ example: 1 }) entity_version!: number;
  @ApiProperty({ example: 'llama-3-1-8b-1gpu' }) config!: string;
  @ApiProperty({ example: 1 }) config_version!: number;
  @ApiProperty({ enum: DEPLOYMENT_STATUSES }) status!: DeploymentStatus;
  @ApiProperty() status_message!: string;
  @ApiProperty({
    type: [StatusHistoryEntryDto],
    description: 'Oldest first; the last entry is the current status; at most 100.',
  })
  status_history!: StatusHistoryEntryDto[];
  @ApiPropertyOptional({
    example: 'crash_loop',
    description:
      'Why the version is in its status, when there is a machine-readable cause: start_failed, crash_loop, ' +
      'health_timeout, pending_timeout, image_pull, oom_killed, drift, unhealthy, insufficient_capacity, make_room (stopped to free GPUs for a newer version).',
  })
  status_reason?: string;
  @ApiPropertyOptional({
    example: 'http://127.0.0.1:41234',
    description: 'Where this version serves, once its instance is ready.',
  })
  endpoint?: string;
  @ApiPropertyOptional({
    example: 1,
    description:
      "The deployment's version that serves traffic: its newest READY version, which its provider routes to. " +
      'During a rollout, or after a new version failed, it is an older version than this one; absent while none is READY.',
  })
  serving_version?: number;
  @ApiPropertyOptional({ example: 'default/llama-3-1-8b' }) model_provider_id?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { principal_id: 'alice@example.com', principal_email: 'alice@example.com' },
    description: "The creator's identity (principal_id, principal_email?, principal_groups?), set by the server.",
  })
  auth_context?: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created this version.' })
  created_by?: string;
  @ApiPropertyOptional({
    example: 'alice@example.com',
    description: 'The principal that last changed this version through the API (status update, delete).',
  })
  updated_by?: string;
}

export class ServedModelRefDto {
  @ApiProperty({ example: 'default/meta-llama-3.1-8b-instruct' }) model_entity_id!: string;
  @ApiProperty({ example: 'meta/llama-3.1-8b-instruct' }) served_model_name!: string;
}

export class DeploymentModelsDto {
  @ApiProperty({ example: 'default' }) workspace!: string;
  @ApiProperty({ example: 'llama' }) name!: string;
  @ApiPropertyOptional({
    example: 'default/llama',
    description: 'The provider publishing them, once a version is READY.',
  })
  model_provider_id?: string;
  @ApiProperty({ type: [ServedModelRefDto] }) models!: ServedModelRefDto[];
}
