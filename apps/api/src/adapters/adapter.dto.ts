import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ENTITY_REF_PATTERN, FINETUNING_TYPES, OPTIONAL_WORKSPACE_REF_PATTERN } from '#domain';
import { IsDescription } from '../common/fields.js';
import { IsEntityName } from '../common/names.js';

/** NeMo's `Lora`: the adapter's rank and, optionally, its alpha scaling. */
export class LoraConfigDto {
  @ApiProperty({ description: 'LoRA rank.', minimum: 1, example: 16 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rank!: number;

  @ApiPropertyOptional({ description: 'Alpha scaling used for this adapter.', example: 32 })
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  alpha?: number;
}

const FILESET_RULE = 'fileset must be workspace/name';

/** NeMo's `CreateModelAdapterRequest`: an adapter added to the model named in the path. */
export class CreateModelAdapterDto {
  @IsEntityName('support-bot-lora')
  name!: string;

  @IsDescription('Customer-support tone, trained on the Q3 tickets')
  description?: string | null;

  @ApiProperty({
    description: 'Where the adapter files are stored, as workspace/fileset.',
    example: 'default/support-bot-lora',
  })
  @IsString()
  @Matches(ENTITY_REF_PATTERN, { message: FILESET_RULE })
  @MaxLength(255)
  fileset!: string;

  @ApiProperty({ enum: FINETUNING_TYPES, example: 'lora' })
  @IsIn(FINETUNING_TYPES)
  finetuning_type!: string;

  @ApiPropertyOptional({ default: true, description: 'Whether the adapter is available for inference after training.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: LoraConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LoraConfigDto)
  lora_config?: LoraConfigDto;
}

/** NeMo's `CreateAdapterRequest`: the base model named in the body. */
export class CreateAdapterDto extends CreateModelAdapterDto {
  // The same rule; another example, so the two create examples can run one after the other.
  @IsEntityName('legal-tone-lora')
  declare name: string;

  @ApiProperty({
    description:
      'The base model entity: `name` in the path workspace, or `workspace/name` in any workspace (reading a model of ' +
      'another workspace needs models.read there).',
    maxLength: 127,
    example: 'llama-3-1-8b-instruct',
  })
  @IsString()
  @MaxLength(127)
  @Matches(OPTIONAL_WORKSPACE_REF_PATTERN, { message: 'model must be a model name or workspace/name' })
  model!: string;
}

/** NeMo's `UpdateAdapterRequest`: fields that are omitted or null keep their stored value. */
export class UpdateAdapterDto {
  @IsDescription('Customer-support tone, retrained on Q4')
  description?: string | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, example: false })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'default/support-bot-lora-v2' })
  @IsOptional()
  @IsString()
  @Matches(ENTITY_REF_PATTERN, { message: FILESET_RULE })
  @MaxLength(255)
  fileset?: string | null;
}

/** NeMo's `Adapter`, with Modelplane's id and authorship. */
export class AdapterDto {
  @ApiProperty({ example: 'adapter-0f3c9a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty({ example: 'support-bot-lora' }) name!: string;
  @ApiProperty({ example: 'default' }) workspace!: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({
    description: 'workspace/fileset; absent for an adapter found on a served model list (see `description`).',
  })
  fileset?: string;
  @ApiProperty({ enum: FINETUNING_TYPES }) finetuning_type!: string;
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ type: LoraConfigDto }) lora_config?: LoraConfigDto;
  @ApiProperty({ description: 'The base model entity, as workspace/name.', example: 'default/llama-3-1-8b-instruct' })
  model!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ description: 'The principal that created it (`system` for one found by discovery).' })
  created_by?: string;
  @ApiPropertyOptional() updated_by?: string;
}
