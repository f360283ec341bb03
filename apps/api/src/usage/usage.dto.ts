import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsRFC3339, IsString, MaxLength } from 'class-validator';
import { USAGE_GROUPS } from '#db';
import { PageQueryDto } from '../common/list.js';
import { PaginationDto } from '../common/openapi.decorators.js';

/** The range, grouping, model filter and page of a usage query. */
export class UsageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start of the range (RFC 3339, inclusive); default: 7 days before `end`.',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsRFC3339({ message: 'start must be an RFC 3339 date-time, such as 2026-12-01T00:00:00Z' })
  start?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'End of the range (RFC 3339, exclusive); default: now.',
    example: '2026-12-08T00:00:00Z',
  })
  @IsOptional()
  @IsRFC3339({ message: 'end must be an RFC 3339 date-time, such as 2026-12-08T00:00:00Z' })
  end?: string;

  @ApiPropertyOptional({
    description:
      `Comma-separated: any of ${USAGE_GROUPS.join(', ')} (day and hour in UTC). ` +
      'Without it, one row sums the whole range. `workspace` groups a query across workspaces (`-` in the path).',
    example: 'model,day',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  group_by?: string;

  @ApiPropertyOptional({ description: 'Only this model entity or virtual model (as the gateway named it).' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  model?: string;
}

const COST = {
  type: 'object',
  additionalProperties: { type: 'number' },
  description: 'Cost per currency (ISO 4217), for the models with prices; empty when none had prices.',
  example: { USD: 0.0425 },
} as const;

/** Counters summed over a group (or the whole range). */
export class UsageTotalsDto {
  @ApiProperty({ example: 1200, description: 'Requests through the gateway.' })
  requests!: number;

  @ApiProperty({ example: 3, description: 'Requests that failed (an error status or a failure cause).' })
  errors!: number;

  @ApiProperty({ example: 350000 })
  input_tokens!: number;

  @ApiProperty({ example: 75000 })
  output_tokens!: number;

  @ApiProperty({ example: 425000, description: 'input_tokens + output_tokens.' })
  total_tokens!: number;

  @ApiProperty(COST)
  cost!: Record<string, number>;
}

/** One group: the value of each `group_by` field (null for an absent part), then the sums. */
export class UsageRowDto extends UsageTotalsDto {
  @ApiPropertyOptional({ example: 'team-a', description: 'The workspace (with `-` as the path workspace).' })
  workspace?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'llama-3-8b',
    description: 'Model entity or virtual model.',
  })
  model?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'default/nim-llama',
    description: 'The provider that answered.',
  })
  provider?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'apikey-0f3c9a1b2c3d4e5f6a7b',
    description: 'The API key used.',
  })
  key_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'alice',
    description: 'The caller (null when access is off).',
  })
  principal?: string | null;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-01', description: 'The UTC day.' })
  day?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T13:00:00.000Z', description: 'The UTC hour.' })
  hour?: string;
}

/** A page of usage groups, with the sums over the whole range. */
export class UsagePageDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z' })
  start!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-08T00:00:00.000Z' })
  end!: string;

  @ApiProperty({ enum: USAGE_GROUPS, isArray: true, example: ['model', 'day'] })
  group_by!: string[];

  @ApiProperty({ type: [UsageRowDto] })
  data!: UsageRowDto[];

  @ApiProperty({ type: UsageTotalsDto, description: 'The sums over the whole range (every page, every group).' })
  totals!: UsageTotalsDto;

  @ApiProperty({ type: PaginationDto })
  pagination!: PaginationDto;
}
