import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { authHeaderFormatProblem } from '#domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IsDescription } from '../common/fields.js';
import { IsEntityName, IsProject } from '../common/names.js';

export const PROVIDER_STATUSES = [
  'UNKNOWN',
  'CREATED',
  'PENDING',
  'READY',
  'ERROR',
  'DELETING',
  'DELETED',
  'LOST',
] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function IsAuthHeaderFormat(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isAuthHeaderFormat',
      validator: {
        validate: (value) => typeof value === 'string' && authHeaderFormatProblem(value) === null,
        defaultMessage: (args) =>
          `auth_header_format ${typeof args?.value === 'string' ? authHeaderFormatProblem(args.value) : 'must be a string'}`,
      },
    },
    options,
  );
}

/**
 * An http(s) URL as WHATWG parses it, which is how the gateway and discovery read it: spellings such as
 * `0x7f000001` or `127.1` are accepted here and then judged by the egress policy on the address they mean.
 */
function IsHttpUrl(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: (value) => {
          if (typeof value !== 'string' || !/^https?:\/\/[^/]/i.test(value)) return false;
          try {
            const url = new URL(value);
            return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} must be an http:// or https:// URL`,
      },
    },
    options,
  );
}

/** An object of header name → string value. */
function IsHeaderMap(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isHeaderMap',
      validator: {
        validate: (value) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([k, v]) => HEADER_NAME.test(k) && typeof v === 'string' && !/[\r\n]/.test(v)),
        defaultMessage: (args) => `${args?.property} must map valid HTTP header names to single-line string values`,
      },
    },
    options,
  );
}

export class ServedModelDto {
  @ApiProperty({ example: 'default/llama-3-1-8b-instruct', description: 'The model entity, as workspace/name.' })
  @IsString()
  @Matches(/^[\w\-.@+]+\/[^\s]+$/, { message: 'model_entity_id must be workspace/name' })
  @MaxLength(600)
  model_entity_id!: string;

  @ApiProperty({ example: 'meta/llama-3.1-8b-instruct', description: 'The name the upstream serves it under.' })
  @IsString()
  @MaxLength(512)
  served_model_name!: string;
}

export class CreateProviderDto {
  @IsEntityName('build-nvidia')
  name!: string;

  @IsProject()
  project?: string | null;

  @IsDescription('Hosted NIM endpoints on build.nvidia.com')
  description?: string | null;

  @ApiProperty({ example: 'https://integrate.api.nvidia.com', maxLength: 2048 })
  @IsHttpUrl()
  @MaxLength(2048)
  host_url!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'nvidia-api-key',
    description: 'A secret in the same workspace holding the API key.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  api_key_secret_name?: string | null;

  @ApiPropertyOptional({ type: [ServedModelDto], nullable: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ServedModelDto)
  served_models?: ServedModelDto[] | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: null,
    description: 'Upstream model ids to expose; null means all.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  enabled_models?: string[] | null;

  @ApiPropertyOptional({ type: String, enum: PROVIDER_STATUSES, nullable: true, default: 'UNKNOWN' })
  @IsOptional()
  @IsIn(PROVIDER_STATUSES)
  status?: ProviderStatus | null;

  @ApiPropertyOptional({ type: String, nullable: true, default: '', example: '' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  status_message?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { max_tokens: 1024 },
    description: 'Merged into request bodies where the client did not set the field.',
  })
  @IsOptional()
  @IsObject()
  default_extra_body?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { 'X-Request-Source': 'modelplane' },
    description: 'Added to requests that lack them.',
  })
  @IsOptional()
  @IsHeaderMap()
  default_extra_headers?: Record<string, string> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { stream_options: { include_usage: true } },
    description: 'Merged into request bodies, overriding the client.',
  })
  @IsOptional()
  @IsObject()
  required_extra_body?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { 'X-Team': 'eval' },
    description: 'Set on every request, overriding the client.',
  })
  @IsOptional()
  @IsHeaderMap()
  required_extra_headers?: Record<string, string> | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Set on providers created for a deployment (as workspace/name); null on manual providers.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  model_deployment_id?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: null,
    description:
      "Accepted for NeMo clients and ignored: the server records the caller's own AuthContext ({principal_id, principal_email?, principal_groups?}).",
  })
  @IsOptional()
  @IsObject()
  auth_context?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Authorization: Bearer {{ auth_secret }}',
    description:
      'How the secret becomes a header: a template using {{ auth_secret }} exactly once that renders to "Name: value".',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @IsAuthHeaderFormat()
  auth_header_format?: string | null;
}

/** PUT: the full provider without its name; omitted fields are reset. */
export class UpsertProviderDto extends OmitType(CreateProviderDto, ['name'] as const) {}

export class ProviderStatusDto extends PickType(CreateProviderDto, [
  'model_deployment_id',
  'served_models',
  'status',
  'status_message',
] as const) {}

export class ProviderDto {
  @ApiProperty({ example: 'modelprovider-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() workspace!: string;
  @ApiPropertyOptional() project?: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty() host_url!: string;
  @ApiPropertyOptional() api_key_secret_name?: string;
  @ApiProperty({ type: [ServedModelDto] }) served_models!: ServedModelDto[];
  @ApiPropertyOptional({ type: [String] }) enabled_models?: string[];
  @ApiProperty({ enum: PROVIDER_STATUSES }) status!: ProviderStatus;
  @ApiProperty() status_message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { max_tokens: 1024 } })
  default_extra_body?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) default_extra_headers?: Record<
    string,
    string
  >;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { stream_options: { include_usage: true } },
  })
  required_extra_body?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) required_extra_headers?: Record<
    string,
    string
  >;
  @ApiPropertyOptional() model_deployment_id?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: null }) auth_context?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional() auth_header_format?: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created it.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that last changed it.' })
  updated_by?: string;
}
