import { ApiHideProperty, ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmpty,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsNumber,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_PATTERN, DEFAULT_CURRENCY, ENTITY_REF_PATTERN, FINETUNING_TYPES } from '#domain';
import { AdapterDto } from '../adapters/adapter.dto.js';
import { IsDescription } from '../common/fields.js';
import { IsEntityName, IsProject } from '../common/names.js';

export const BACKEND_FORMATS = ['OPENAI_CHAT', 'ANTHROPIC_MESSAGES'] as const;

/** `workspace/name` references. */

export class ApiEndpointDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://integrate.api.nvidia.com/v1' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2048)
  url?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'meta/llama-3.1-8b-instruct' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  model_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'openai' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  format?: string | null;

  /** Refused with a pointer to the right place, rather than stored in plain text. */
  @ApiHideProperty()
  @IsEmpty({
    message:
      "api_key is not stored on models; store the key as a secret and name it in a provider's api_key_secret_name",
  })
  api_key?: never;
}

export class PromptDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'You are a helpful assistant.' })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  system_prompt?: string | null;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    nullable: true,
    example: null,
  })
  @IsOptional()
  @IsArray()
  icl_few_shot_examples?: unknown[] | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { temperature: 0.2, top_p: 0.7, max_tokens: 1024 },
  })
  @IsOptional()
  @IsObject()
  inference_params?: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  system_prompt_template?: string | null;
}

/** Prices per million tokens, for the gateway's cost rule and the decisions it reports. */
export class PricingDto {
  @ApiProperty({ minimum: 0, maximum: 1_000_000, example: 0.18 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  input_per_million_tokens!: number;

  @ApiProperty({ minimum: 0, maximum: 1_000_000, example: 0.18 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  output_per_million_tokens!: number;

  @ApiPropertyOptional({
    type: String,
    pattern: CURRENCY_PATTERN.source,
    default: DEFAULT_CURRENCY,
    example: DEFAULT_CURRENCY,
    description: 'ISO 4217 code.',
  })
  @IsOptional()
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be three uppercase letters (ISO 4217), such as USD' })
  currency?: string;
}

export class CreateModelDto {
  @IsEntityName('llama-3-1-8b-instruct')
  name!: string;

  @IsProject()
  project?: string | null;

  @IsDescription('Llama 3.1 8B Instruct')
  description?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { context_size: 131072, is_chat: true },
    description: 'Model spec: architecture, context size, chat template, tool_call_config…',
  })
  @IsOptional()
  @IsObject()
  spec?: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: String, enum: FINETUNING_TYPES, nullable: true, example: null })
  @IsOptional()
  @IsIn(FINETUNING_TYPES)
  finetuning_type?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Fileset holding the weights, as workspace/name.',
  })
  @IsOptional()
  @Matches(ENTITY_REF_PATTERN, { message: 'fileset must be workspace/name' })
  fileset?: string | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, default: false })
  @IsOptional()
  @IsBoolean()
  trust_remote_code?: boolean | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'meta/llama-3.1-8b-instruct' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  base_model?: string | null;

  @ApiPropertyOptional({
    type: ApiEndpointDto,
    nullable: true,
    description: 'Where an external model is served. API keys belong in a secret named by a provider, not here.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApiEndpointDto)
  api_endpoint?: ApiEndpointDto | null;

  @ApiPropertyOptional({
    type: String,
    enum: BACKEND_FORMATS,
    nullable: true,
    example: 'OPENAI_CHAT',
    description: 'Unset means OPENAI_CHAT.',
  })
  @IsOptional()
  @IsIn(BACKEND_FORMATS)
  backend_format?: string | null;

  /** Read-only, as in NeMo: adapters are written through their own endpoints, and the model lists them. */
  @ApiHideProperty()
  @IsEmpty({
    message:
      'adapters are not written on the model: add them with POST …/models/{name}/adapters or POST …/adapters, ' +
      'and the model lists them',
  })
  adapters?: never;

  @ApiPropertyOptional({ type: PromptDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PromptDto)
  prompt?: PromptDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    default: {},
    example: { team: 'eval' },
  })
  @IsOptional()
  @IsObject()
  custom_fields?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { created_by: 'alice@example.com' },
  })
  @IsOptional()
  @IsObject()
  ownership?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: [],
    description: 'Providers serving this model, as workspace/name.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ENTITY_REF_PATTERN, { each: true, message: 'each model_providers entry must be workspace/name' })
  model_providers?: string[] | null;

  @ApiPropertyOptional({
    type: PricingDto,
    nullable: true,
    description: "Prices per million input and output tokens (the gateway's cost rule reads them).",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PricingDto)
  pricing?: PricingDto | null;
}

/** PATCH: every field optional; null or omitted keeps the stored value. */
export class UpdateModelDto extends PartialType(OmitType(CreateModelDto, ['name', 'project'] as const)) {}

export class ModelDto {
  @ApiProperty({ example: 'model-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'llama-3-1-8b-instruct' }) name!: string;
  @ApiProperty({ example: 'default' }) workspace!: string;
  @ApiPropertyOptional() project?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { context_size: 131072, is_chat: true } })
  spec?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: FINETUNING_TYPES }) finetuning_type?: string;
  @ApiPropertyOptional() fileset?: string;
  @ApiProperty() trust_remote_code!: boolean;
  @ApiPropertyOptional() base_model?: string;
  @ApiPropertyOptional({ type: ApiEndpointDto }) api_endpoint?: ApiEndpointDto;
  @ApiPropertyOptional({ enum: BACKEND_FORMATS }) backend_format?: string;
  @ApiPropertyOptional({
    type: [AdapterDto],
    description:
      'The adapters of this model in its workspace (from the adapters endpoints, and LoRA adapters discovery ' +
      'found), oldest first; absent when it has none. Read-only.',
  })
  adapters?: AdapterDto[];
  @ApiPropertyOptional({ type: PromptDto }) prompt?: PromptDto;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { team: 'eval' } }) custom_fields!: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { created_by: 'alice@example.com' } })
  ownership?: Record<string, unknown>;
  @ApiProperty({ type: [String] }) model_providers!: string[];
  @ApiPropertyOptional({ type: PricingDto }) pricing?: PricingDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created it.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that last changed it.' })
  updated_by?: string;
}
