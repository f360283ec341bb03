import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** An optional free-text description of at most 1000 characters. */
export function IsDescription(example?: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true, ...(example ? { example } : {}) }),
    IsOptional(),
    IsString(),
    MaxLength(1000),
  );
}
