import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsDescription } from '../common/fields.js';
import { IsSecretName } from '../common/names.js';

const MAX_SECRET_BYTES = 65536;

export class CreateSecretDto {
  @IsSecretName()
  name!: string;

  @IsDescription('API key for build.nvidia.com')
  description?: string | null;

  @ApiProperty({
    writeOnly: true,
    maxLength: MAX_SECRET_BYTES,
    example: 'nvapi-example-key',
    description: 'The secret value. Stored encrypted; never returned.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SECRET_BYTES)
  value!: string;
}

export class UpdateSecretDto {
  @IsDescription('API key for build.nvidia.com, rotated')
  description?: string | null;

  @ApiPropertyOptional({
    writeOnly: true,
    example: 'nvapi-rotated-key',
    maxLength: MAX_SECRET_BYTES,
    description: 'A new value. Stored encrypted; never returned.',
  })
  // Absent keeps the value; null is not a value to seal (a secret cannot be emptied), so it is refused.
  @ValidateIf((dto: UpdateSecretDto) => dto.value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SECRET_BYTES)
  value?: string;
}

export class SecretDto {
  @ApiProperty({ example: 'secret-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'nvidia-api-key' }) name!: string;
  @ApiProperty({ example: 'default' }) workspace!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that created it.' })
  created_by?: string;
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'The principal that last changed it.' })
  updated_by?: string;
}

export class RotateSecretsResultDto {
  @ApiProperty({ example: 3, description: 'Secrets re-encrypted under the active key.' }) rotated_secrets!: number;
  @ApiProperty({ example: 0, description: 'Secrets sealed under a key that is no longer configured.' })
  skipped_secrets!: number;
  @ApiProperty({ example: true, description: 'False when any secret was skipped.' }) success!: boolean;
  @ApiProperty({ example: 'k2' }) active_key_id!: string;
}
