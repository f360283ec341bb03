import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ENTITY_REF_PATTERN } from '#domain';
import { IsDescription } from '../common/fields.js';
import { IsEntityName, IsProject } from '../common/names.js';
import { IsEnvMap, IsQuantity } from './config-validators.js';

export const ENGINES = ['nim', 'vllm', 'generic'] as const;
export const MODEL_TYPES = ['llm', 'embed', 'other'] as const;

/** The largest user or group id Kubernetes accepts (int32). */
const MAX_POSIX_ID = 2_147_483_647;

export class ToolCallConfigDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'llama3_json',
    description: 'Sets NIM_TOOL_CALL_PARSER.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  tool_call_parser?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Path of a tool parser plugin; sets NIM_TOOL_PARSER_PLUGIN.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  tool_call_plugin?: string | null;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    example: true,
    description: 'Sets NIM_ENABLE_AUTO_TOOL_CHOICE to 1 or 0.',
  })
  @IsOptional()
  @IsBoolean()
  auto_tool_choice?: boolean | null;
}

export class ModelSpecDto {
  @ApiPropertyOptional({ type: String, enum: MODEL_TYPES, nullable: true, example: 'llm' })
  @IsOptional()
  @IsIn(MODEL_TYPES)
  model_type?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'meta' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  model_namespace?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'llama-3.1-8b-instruct',
    description: 'May end in @revision.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  model_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  model_revision?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Jinja chat template; sets NIM_CHAT_TEMPLATE.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  chat_template?: string | null;

  @ApiPropertyOptional({ type: ToolCallConfigDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToolCallConfigDto)
  tool_call_config?: ToolCallConfigDto | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, default: false })
  @IsOptional()
  @IsBoolean()
  lora_enabled?: boolean | null;
}

/** A DNS-1123 subdomain, the form of Kubernetes object names. */
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class K8sNimOperatorConfigDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { limits: { memory: '64Gi' } },
  })
  @IsOptional()
  @IsObject()
  resources?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    nullable: true,
    example: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  tolerations?: Record<string, unknown>[] | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
  })
  @IsOptional()
  @IsObject()
  node_selector?: Record<string, string> | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 86_400,
    example: 1800,
    description:
      'How long the start-up probe allows before the container is restarted (default 1800: downloads are slow).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  startup_probe_grace_seconds?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 64,
    default: 1,
    description: 'Pods per deployment version.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  replicas?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: null,
    description: 'A Kubernetes affinity, merged with the one node_selector makes.',
  })
  @IsOptional()
  @IsObject()
  affinity?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '16Gi',
    default: '16Gi',
    description: 'Size of the memory-backed /dev/shm.',
  })
  @IsOptional()
  @IsQuantity('16Gi')
  shm_size?: string | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['ngc-registry'],
    description: "Image pull secrets (names of Secrets in the runtime's namespace); the runtime's default when absent.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(DNS_NAME, { each: true, message: 'image_pull_secrets must hold Kubernetes object names' })
  image_pull_secrets?: string[] | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'fast-ssd',
    description: 'Storage class of the model cache volume (disk_size).',
  })
  @IsOptional()
  @Matches(DNS_NAME, { message: 'storage_class must be a Kubernetes object name' })
  storage_class?: string | null;
}

export class ExecutorConfigDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 64, example: 1 })
  @IsInt()
  @Min(0)
  @Max(64)
  gpu!: number;

  @ApiPropertyOptional({ type: String, nullable: true, default: '50Gi', example: '50Gi' })
  @IsOptional()
  @IsQuantity('50Gi')
  disk_size?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'nvcr.io/nim/meta/llama-3.1-8b-instruct' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  image_name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '1.8.5' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  image_tag?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '/v1/health/ready',
    description: 'Readiness path; required for the generic engine.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  health_check_path?: string | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: MAX_POSIX_ID, example: 1000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_POSIX_ID)
  run_as_user?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: MAX_POSIX_ID, example: 1000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_POSIX_ID)
  run_as_group?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { NIM_MAX_MODEL_LEN: '8192' },
  })
  @IsOptional()
  @IsEnvMap()
  additional_envs?: Record<string, string> | null;

  @ApiPropertyOptional({ type: [String], nullable: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  additional_args?: string[] | null;

  @ApiPropertyOptional({ type: K8sNimOperatorConfigDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => K8sNimOperatorConfigDto)
  k8s_nim_operator_config?: K8sNimOperatorConfigDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { spec: { template: { metadata: { annotations: { 'prometheus.io/scrape': 'true' } } } } },
    description: 'Raw overrides deep-merged into the compiled workload.',
  })
  @IsOptional()
  @IsObject()
  override_config?: Record<string, unknown> | null;
}

export class CreateDeploymentConfigDto {
  @IsEntityName('llama-3-1-8b-1gpu')
  name!: string;

  @IsProject()
  project?: string | null;

  @IsDescription('Llama 3.1 8B Instruct on one GPU')
  description?: string | null;

  @ApiProperty({ enum: ENGINES, example: 'nim' })
  @IsIn(ENGINES)
  engine!: (typeof ENGINES)[number];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'default/llama-3-1-8b-instruct',
    description: 'The model entity deployed, as workspace/name.',
  })
  @IsOptional()
  @Matches(ENTITY_REF_PATTERN, { message: 'model_entity_id must be workspace/name' })
  model_entity_id?: string | null;

  @ApiProperty({ type: ModelSpecDto })
  @ValidateNested()
  @Type(() => ModelSpecDto)
  @IsObject()
  model_spec!: ModelSpecDto;

  @ApiProperty({ type: ExecutorConfigDto })
  @ValidateNested()
  @Type(() => ExecutorConfigDto)
  @IsObject()
  executor_config!: ExecutorConfigDto;
}

/** A new version: the full config without its name (the project is kept). */
export class UpdateDeploymentConfigDto extends OmitType(CreateDeploymentConfigDto, ['name', 'project'] as const) {}

export class DeploymentConfigDto {
  @ApiProperty({ example: 'deploymentconfig-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() workspace!: string;
  @ApiPropertyOptional() project?: string;
  @ApiProperty({ example: 1 }) entity_version!: number;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: ENGINES }) engine!: string;
  @ApiPropertyOptional() model_entity_id?: string;
  @ApiProperty({ type: ModelSpecDto }) model_spec!: ModelSpecDto;
  @ApiProperty({ type: ExecutorConfigDto }) executor_config!: ExecutorConfigDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', description: 'Versions are immutable: equal to created_at.' })
  updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created this version.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'Versions are immutable: equal to created_by.' })
  updated_by?: string;
}
