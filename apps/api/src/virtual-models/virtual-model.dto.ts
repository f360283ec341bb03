import { ApiHideProperty, ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { OPTIONAL_WORKSPACE_REF_PATTERN } from '#domain';
import { BUILTIN_PLUGIN, CONFIG_TYPES } from '#routing';
import { ListQueryDto } from '../common/list.js';
import { IsEntityName, IsProject } from '../common/names.js';
import { BACKEND_FORMATS } from '../models/model.dto.js';
import { CONFIG_ONE_OF, configTypesOf, MIDDLEWARE_DOC } from './middleware.openapi.js';

/** A field the API does not take: refused (422) with `message` unless it is absent or null. */
function Refused(message: string) {
  return ValidateBy({
    name: 'refused',
    validator: { validate: (value) => value === undefined || value === null, defaultMessage: () => message },
  });
}

const REF_RULE = "a model entity of the virtual model's workspace, as name or workspace/name";

/** One model entity a virtual model uses (NeMo's VirtualModelInferenceConfig). */
export class VirtualModelTargetDto {
  @ApiProperty({ example: 'llama-3-1-8b-instruct', maxLength: 255, description: `${REF_RULE}.` })
  @IsString()
  @MaxLength(255)
  @Matches(OPTIONAL_WORKSPACE_REF_PATTERN, { message: `model must be ${REF_RULE}` })
  model!: string;

  @ApiPropertyOptional({
    type: String,
    enum: BACKEND_FORMATS,
    nullable: true,
    example: null,
    description: "Overrides the entity's backend_format for requests routed through this virtual model.",
  })
  @IsOptional()
  @IsIn(BACKEND_FORMATS)
  backend_format?: string | null;
}

/** One entry of a pipeline, for the document: the service checks entries with libs/routing's validatePipeline. */
export class MiddlewareCallDto {
  @ApiProperty({ enum: [BUILTIN_PLUGIN], example: BUILTIN_PLUGIN, description: 'The plugin: the built-in one.' })
  name!: string;

  @ApiProperty({ enum: CONFIG_TYPES, example: 'weighted' })
  config_type!: string;

  @ApiProperty({ oneOf: CONFIG_ONE_OF, description: "The config, of config_type's schema." })
  config!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Not supported (stored configs): give `config` inline.',
  })
  config_id?: string | null;
}

const pipeline = (phase: string, example: unknown[]) =>
  ApiPropertyOptional({
    type: [MiddlewareCallDto],
    nullable: true,
    example,
    description: `${MIDDLEWARE_DOC} Config types of this phase: ${configTypesOf(phase)}.`,
  });

export class CreateVirtualModelDto {
  @IsEntityName('llama-router')
  name!: string;

  @IsProject()
  project?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 511,
    example: 'llama-3-1-8b-instruct',
    description:
      `Where requests go unless middleware chooses: ${REF_RULE} (stored as workspace/name). ` +
      "Written into the request's `model` before the request middleware runs. On PATCH, null clears it.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(511)
  @Matches(OPTIONAL_WORKSPACE_REF_PATTERN, { message: `default_model_entity must be ${REF_RULE}` })
  default_model_entity?: string | null;

  @ApiPropertyOptional({
    type: [VirtualModelTargetDto],
    nullable: true,
    description: 'Model entities this virtual model uses, each with an optional backend_format override.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VirtualModelTargetDto)
  models?: VirtualModelTargetDto[] | null;

  @pipeline('request_middleware', [
    {
      name: BUILTIN_PLUGIN,
      config_type: 'weighted',
      config: {
        targets: [
          { model: 'llama-3-1-8b-instruct', weight: 9 },
          { model: 'llama-3-1-70b-instruct', weight: 1 },
        ],
      },
    },
    { name: BUILTIN_PLUGIN, config_type: 'fallback', config: { models: ['llama-3-1-8b-instruct'] } },
  ])
  @IsOptional()
  @IsArray()
  request_middleware?: unknown[] | null;

  @pipeline('response_middleware', [
    { name: BUILTIN_PLUGIN, config_type: 'escalation', config: { tiers: ['llama-3-1-70b-instruct'] } },
  ])
  @IsOptional()
  @IsArray()
  response_middleware?: unknown[] | null;

  @pipeline('post_response_middleware', [
    { name: BUILTIN_PLUGIN, config_type: 'shadow', config: { model: 'llama-3-1-8b-instruct-v2', share: 0.05 } },
  ])
  @IsOptional()
  @IsArray()
  post_response_middleware?: unknown[] | null;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    example: false,
    description: "NeMo's mark of a controller-managed passthrough; stored and filterable (Modelplane creates none).",
  })
  @IsOptional()
  @IsBoolean()
  autoprovisioned?: boolean | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: "Not supported: Modelplane's gateway proxies every virtual model itself. Only null is accepted.",
  })
  @Refused("override_proxy is not supported: Modelplane's gateway proxies every virtual model itself")
  override_proxy?: string | null;

  /** Read-only in NeMo (derived by the server); refused rather than silently dropped. */
  @ApiHideProperty()
  @Refused('guardrail_config_ids is read-only (system-managed)')
  guardrail_config_ids?: never;

  @ApiHideProperty()
  @Refused('parent is read-only')
  parent?: never;
}

/** PATCH: a field that is present changes; null clears it (lists become empty, autoprovisioned false). */
export class UpdateVirtualModelDto extends PartialType(OmitType(CreateVirtualModelDto, ['name', 'project'] as const)) {}

/**
 * List parameters: `include_autoprovisioned` and NeMo's `exclude_autoprovisioned` are read and checked by the
 * controller (parseBoolParam); they are declared here so the validator's whitelist does not refuse them.
 */
export class VirtualModelListQueryDto extends ListQueryDto {
  @Allow()
  include_autoprovisioned?: unknown;

  @Allow()
  exclude_autoprovisioned?: unknown;
}

export class VirtualModelDto {
  @ApiProperty({ example: 'virtualmodel-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'virtualmodel-0f3c9a1b2c3d4e5f6a7b', description: 'The same as id (NeMo keeps both).' })
  entity_id!: string;
  @ApiProperty({ example: 'llama-router' }) name!: string;
  @ApiProperty({ example: 'default' }) workspace!: string;
  @ApiPropertyOptional() project?: string;
  @ApiPropertyOptional({ example: 'default/llama-3-1-8b-instruct' }) default_model_entity?: string;
  @ApiProperty({ type: [VirtualModelTargetDto] }) models!: VirtualModelTargetDto[];
  @ApiProperty({ type: [MiddlewareCallDto] }) request_middleware!: MiddlewareCallDto[];
  @ApiProperty({ type: [MiddlewareCallDto] }) response_middleware!: MiddlewareCallDto[];
  @ApiProperty({ type: [MiddlewareCallDto] }) post_response_middleware!: MiddlewareCallDto[];
  @ApiProperty() autoprovisioned!: boolean;
  @ApiProperty({
    example: 1,
    description: 'Counts writes (1 on create). Send it back as `If-Match: "<db_version>"` to refuse a stale write.',
  })
  db_version!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created it.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that last changed it.' })
  updated_by?: string;
}
