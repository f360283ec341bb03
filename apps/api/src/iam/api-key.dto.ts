import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCOPES, type Scope } from '#auth';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OptionalBody } from '../common/validation.js';

/** The longest grace period a rotation may give the old key (30 days, as API_KEY_ROTATION_GRACE_SECONDS). */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ci-pipeline', maxLength: 255, description: 'A label; need not be unique.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({
    example: 'service-account:ci',
    description:
      'Who the key acts as; the caller by default. Another principal needs PlatformAdmin. ' +
      '`service-account:NAME` is created on first use.',
  })
  @IsOptional()
  @IsString()
  principal?: string;

  @ApiPropertyOptional({ example: 'team-a', description: 'Restricts the key to this workspace.' })
  @IsOptional()
  @IsString()
  workspace?: string;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    example: ['read', 'inference'],
    description: "What the key may do; never more than the caller's own credential.",
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(SCOPES.length)
  @IsIn(SCOPES, { each: true, message: `each value in $property must be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working; in the future.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

@OptionalBody()
export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_GRACE_SECONDS,
    description:
      'How long the old key keeps working (never past its own expiry); default API_KEY_ROTATION_GRACE_SECONDS.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  grace_period_seconds?: number;
}

export class ApiKeyDto {
  @ApiProperty({ example: 'apikey-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'ci-pipeline' }) name!: string;
  @ApiProperty({ example: 'service-account:ci' }) principal!: string;
  @ApiPropertyOptional({ example: 'team-a' }) workspace?: string;
  @ApiProperty({ enum: SCOPES, isArray: true, example: ['read', 'inference'] }) scopes!: string[];
  @ApiProperty({ example: 'mp_0f3c9a1b2c3d', description: "The key's public start, to recognise it." })
  prefix!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: 'admin' }) created_by!: string;
  @ApiPropertyOptional({ format: 'date-time' }) expires_at?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Accurate to about 5 s.' }) last_used_at?: string;
  @ApiPropertyOptional({ format: 'date-time' }) revoked_at?: string;
  @ApiPropertyOptional({ example: 'admin' }) revoked_by?: string;
  @ApiPropertyOptional({ example: 'apikey-1a2b3c4d5e6f7a8b9c0d', description: 'The key a rotation replaced it with.' })
  replaced_by?: string;
}

/** A key as issued (create, rotate): the only answer that carries the key itself. */
export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'mp_0f3c9a1b2c3d_q2VkZ…',
    description: 'The API key. Shown this once; only its hash is stored.',
  })
  key!: string;
}

export class WhoAmIDto {
  @ApiProperty({ example: 'alice@example.com' }) principal!: string;
  @ApiProperty({ enum: ['user', 'service_account'] }) kind!: string;
  @ApiPropertyOptional({ example: 'alice@example.com' }) email?: string;
  @ApiProperty({ type: [String], example: ['ml-team'] }) groups!: string[];
  @ApiProperty({ enum: ['api_key', 'oidc', 'anonymous'] }) via!: string;
  @ApiPropertyOptional({ example: 'apikey-0f3c9a1b2c3d4e5f6a7b' }) key_id?: string;
  @ApiPropertyOptional({ example: 'team-a' }) key_workspace?: string;
  @ApiPropertyOptional({ enum: SCOPES, isArray: true }) scopes?: string[];
  @ApiProperty() platform_admin!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['Viewer', 'Editor', 'Admin'] },
    example: { 'team-a': 'Admin' },
    description: 'The highest role held in each workspace (directly, through a group or `*`).',
  })
  roles!: Record<string, string>;
}
