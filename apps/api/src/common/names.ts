import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ENTITY_NAME_PATTERN, PROJECT_PATTERN, SECRET_NAME_PATTERN } from '#domain';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const ENTITY_NAME_RULE =
  'must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-"';

/** Names of routable resources (workspaces, models, providers, configs, deployments). */
export function IsEntityName(example = 'llama-3-1-8b') {
  return applyDecorators(
    ApiProperty({ description: `Name; ${ENTITY_NAME_RULE}.`, pattern: ENTITY_NAME_PATTERN.source, example }),
    IsString(),
    Matches(ENTITY_NAME_PATTERN, { message: `$property ${ENTITY_NAME_RULE}` }),
  );
}

/** Secret names: letters, digits, `_`, `.` and `-`, at most 255. */
export function IsSecretName() {
  return applyDecorators(
    ApiProperty({
      description: 'Letters, digits, _, . and -; at most 255 characters.',
      pattern: SECRET_NAME_PATTERN.source,
      maxLength: 255,
      example: 'nvidia-api-key',
    }),
    IsString(),
    MaxLength(255),
    Matches(SECRET_NAME_PATTERN, {
      message: '$property may contain only letters, digits, _, . and -, and may not be . or ..',
    }),
  );
}

export function IsProject() {
  return applyDecorators(
    ApiProperty({ type: String, required: false, nullable: true, pattern: PROJECT_PATTERN.source, example: 'team-a' }),
    IsOptional(),
    IsString(),
    MaxLength(255),
    Matches(PROJECT_PATTERN, { message: '$property may contain only letters, digits, _, -, . and /' }),
  );
}
