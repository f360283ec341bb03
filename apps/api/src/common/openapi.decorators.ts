import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class ValidationIssueDto {
  @ApiProperty({ example: 'isInt' }) type!: string;
  @ApiProperty({
    example: ['body', 'executor_config', 'gpu'],
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  })
  loc!: (string | number)[];
  @ApiProperty({ example: 'gpu must be an integer number' }) msg!: string;
}

export class ErrorDto {
  @ApiProperty({ example: "Deployment 'llama' was not found in workspace 'default'" }) detail!: string;
  @ApiPropertyOptional({ example: 'deployment/not_found', description: 'Stable machine-readable error code.' })
  code?: string;
}

export class ValidationErrorDto {
  @ApiProperty({ type: [ValidationIssueDto] }) detail!: ValidationIssueDto[];
  @ApiPropertyOptional({ example: 'validation/failed' }) code?: string;
}

export class PaginationDto {
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 100 }) page_size!: number;
  @ApiProperty({ example: 1 }) current_page_size!: number;
  @ApiProperty({ example: 1 }) total_pages!: number;
  @ApiProperty({ example: 1 }) total_results!: number;
}

export const ERROR_TEXT: Record<number, string> = {
  401: 'Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`).',
  403: "Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace.",
  429: 'Too many failed authentications from this address (`Retry-After`).',
  400: 'Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON.',
  404: 'Not found: the workspace or the named resource does not exist.',
  409: 'Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification.',
  412: 'Precondition failed: `If-Match` names a db_version that is no longer current; read the resource again.',
  413: 'Request body too large.',
  415: 'Unsupported media type: request bodies are JSON (`content-type: application/json`).',
  422: 'Validation failed: each item names the field (`loc`) and the rule (`msg`).',
  424: 'A dependency (such as a secret) could not be resolved.',
};

/** Summary plus the error responses an operation can give. */
export function ApiDoc(summary: string, errors: number[], description?: string) {
  return applyDecorators(
    ApiOperation({ summary, ...(description ? { description } : {}) }),
    ...errors.map((status) =>
      ApiResponse({ status, description: ERROR_TEXT[status], type: status === 422 ? ValidationErrorDto : ErrorDto }),
    ),
  );
}

/** A 200 list response: `data` of `item`, `pagination`, `sort` and the `filter` sent. */
export function ApiPage(item: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(PaginationDto, item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'pagination', 'sort'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          pagination: { $ref: getSchemaPath(PaginationDto) },
          sort: { type: 'string', example: 'created_at' },
          filter: {
            type: 'object',
            additionalProperties: true,
            example: { name: { $like: 'llama' } },
            description: 'The filter the request sent, parsed (present only when it sent one).',
          },
        },
      },
    }),
  );
}
