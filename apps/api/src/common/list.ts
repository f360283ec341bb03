import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  pageOf,
  type Page,
  DEFAULT_PAGE_SIZE,
  filterFields,
  MAX_PAGE_SIZE,
  parseFilterParam,
  takeWorkspaceFilter,
  type FilterSpec,
  type ListQuery,
} from '#db';
import { currentAccess } from '#auth';
import { InvalidFieldError } from '#domain';
import { Type } from 'class-transformer';
import { Allow, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** The page of a paged answer (list endpoints, usage). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'Page number, from 1.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = DEFAULT_PAGE_SIZE;
}

/** Query parameters shared by list endpoints. */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    default: 'created_at',
    description: 'Field to sort by; prefix with - for descending.',
    example: '-updated_at',
  })
  @IsOptional()
  @IsString()
  sort: string = 'created_at';

  @ApiPropertyOptional({
    description:
      'Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), ' +
      'JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). ' +
      'Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` ' +
      '`IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. ' +
      '$like is a case-insensitive substring match in which `%` and `_` are wildcards and `\\` escapes. ' +
      'A top-level `workspace` condition overrides the path workspace.',
    type: 'string',
    example: '{"name":{"$like":"llama"}}',
  })
  @IsOptional()
  filter?: unknown;
}

/**
 * List parameters of versioned resources. `all_versions` is read and checked
 * by the controller (parseBoolParam); it is declared here so the validator's
 * whitelist does not refuse it as an unknown field.
 */
export class VersionedListQueryDto extends ListQueryDto {
  @Allow()
  all_versions?: unknown;
}

/** Filterable on every named resource. */
export const NAMED_FIELDS = filterFields({
  name: 'string',
  description: 'string',
  created_at: 'datetime',
  updated_at: 'datetime',
});

/** `workspace` in a path: `-` lists across all workspaces. */
export const ALL_WORKSPACES = '-';

export interface ListSpec {
  filter: FilterSpec;
  /** Wire sort field → SQL column. */
  sortable: Record<string, string>;
  /** Whether rows belong to a workspace (a `workspace` column). */
  workspaceScoped?: boolean;
  /**
   * The field holding a row's workspace for the caller's access (see below): `workspace` for
   * workspace-scoped rows (the default), `name` for workspaces themselves.
   */
  workspaceField?: 'workspace' | 'name';
}

const WORKSPACE_FIELD: FilterSpec = { workspace: { column: 'workspace', type: 'string' } };

/**
 * Turns list query parameters into a repository query: validates the sort
 * field (422) and scopes the filter to the path workspace unless a top-level
 * `workspace` condition overrides it, in any of the three forms
 * (`filter[workspace]=x`, `{"workspace":"x"}`, `workspace:x AND …`). The
 * repository compiles the filter; a malformed one is a 400.
 */
export function toListQuery(dto: ListQueryDto, spec: ListSpec, workspace?: string): ListQuery {
  const field = dto.sort.startsWith('-') ? dto.sort.slice(1) : dto.sort;
  if (!Object.prototype.hasOwnProperty.call(spec.sortable, field)) {
    throw new InvalidFieldError(
      ['query', 'sort'],
      `sort must be one of ${Object.keys(spec.sortable).sort().join(', ')}, optionally prefixed with -`,
    );
  }
  const parsed = parseFilterParam(dto.filter);
  const parts: Record<string, unknown>[] = [];
  if (spec.workspaceScoped) {
    const { workspace: wsFilter, rest } = takeWorkspaceFilter(parsed);
    const scope = wsFilter !== undefined ? wsFilter : workspace !== ALL_WORKSPACES ? workspace : undefined;
    if (scope !== undefined) parts.push({ workspace: scope });
    if (rest && Object.keys(rest).length > 0) parts.push(rest);
  } else if (parsed) {
    parts.push(parsed);
  }
  // Whatever the path and the filter name, a list shows only rows of workspaces the caller may read
  // (the guard checked the path's workspace; a `workspace` filter or `-` could name others).
  const allowed = currentAccess()?.allowed?.();
  if (allowed !== undefined && allowed !== 'all' && (spec.workspaceScoped || spec.workspaceField)) {
    parts.push({ [spec.workspaceField ?? 'workspace']: { $in: allowed } });
  }
  return {
    filter: parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { $and: parts },
    spec: spec.workspaceScoped ? { ...spec.filter, ...WORKSPACE_FIELD } : spec.filter,
    sortable: spec.sortable,
    page: { page: dto.page, pageSize: dto.page_size, sort: dto.sort },
    ...(parsed ? { requested: parsed } : {}),
  };
}

/** A list's page: the rows, paging, the sort and, when the client sent one, its filter (NeMo's envelope). */
export function listPage<T>(data: T[], total: number, query: ListQuery): Page<T> {
  const page = pageOf(data, total, query.page);
  return query.requested ? { ...page, filter: query.requested } : page;
}
