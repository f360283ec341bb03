import { Injectable } from '@nestjs/common';
import { pageOf, USAGE_GROUPS, UsageRepository, WorkspaceRepository, type UsageGroup, type UsageSum } from '#db';
import { currentAccess } from '#auth';
import { InvalidFieldError } from '#domain';
import { ALL_WORKSPACES } from '../common/list.js';
import type { UsagePageDto, UsageQueryDto, UsageRowDto, UsageTotalsDto } from './usage.dto.js';

const DEFAULT_RANGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Field names of the groups in a row (`key` is the API key's id). */
const GROUP_FIELD: Record<UsageGroup, keyof UsageRowDto> = {
  workspace: 'workspace',
  model: 'model',
  provider: 'provider',
  key: 'key_id',
  principal: 'principal',
  day: 'day',
  hour: 'hour',
};

/** Reads the gateway's usage (written by UsageRecorder in #gateway, one row per minute and key). */
@Injectable()
export class UsageService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  async query(workspace: string, dto: UsageQueryDto): Promise<UsagePageDto> {
    const groupBy = parseGroupBy(dto.group_by);
    const { start, end } = parseRange(dto);
    const query = {
      workspace: await this.scope(workspace),
      start,
      end,
      groupBy,
      ...(dto.model !== undefined ? { model: dto.model } : {}),
    };
    const pageRequest = { page: dto.page, pageSize: dto.page_size };
    const [{ rows, total }, totals] = await Promise.all([
      this.usage.sums(query, pageRequest),
      this.usage.totals(query),
    ]);
    const page = pageOf(
      rows.map((row) => presentRow(row, groupBy)),
      total,
      { ...pageRequest, sort: '' },
    );
    return {
      start: start.toISOString(),
      end: end.toISOString(),
      group_by: [...groupBy],
      data: page.data,
      totals: presentTotals(totals),
      pagination: page.pagination,
    };
  }

  /**
   * The workspace, or with `-` the workspaces the caller may read usage of (every one for a PlatformAdmin, or
   * when access control is off): the guard checked a named workspace, and lets `-` through to be narrowed here.
   */
  private async scope(workspace: string): Promise<string | string[] | null> {
    if (workspace !== ALL_WORKSPACES) {
      await this.workspaces.assertExists(workspace);
      return workspace;
    }
    const allowed = currentAccess()?.allowed?.();
    return allowed === undefined || allowed === 'all' ? null : allowed;
  }
}

/** `model,day` → the groups, each once; 422 naming the parameter for anything else. */
export function parseGroupBy(raw: string | undefined): UsageGroup[] {
  if (raw === undefined || raw.trim() === '') return [];
  const groups: UsageGroup[] = [];
  for (const part of raw.split(',').map((s) => s.trim())) {
    if (!(USAGE_GROUPS as readonly string[]).includes(part)) {
      throw new InvalidFieldError(
        ['query', 'group_by'],
        `group_by must be a comma-separated list of ${USAGE_GROUPS.join(', ')}`,
      );
    }
    if (!groups.includes(part as UsageGroup)) groups.push(part as UsageGroup);
  }
  return groups;
}

/** The range: `end` defaults to now, `start` to 7 days before `end`; `start` must come before `end`. */
export function parseRange(dto: Pick<UsageQueryDto, 'start' | 'end'>, now = new Date()): { start: Date; end: Date } {
  const end = dto.end === undefined ? now : toDate(dto.end, 'end');
  const start = dto.start === undefined ? new Date(end.getTime() - DEFAULT_RANGE_MS) : toDate(dto.start, 'start');
  if (start.getTime() >= end.getTime()) {
    throw new InvalidFieldError(['query', dto.end === undefined ? 'start' : 'end'], 'end must be after start');
  }
  return { start, end };
}

function toDate(value: string, field: 'start' | 'end'): Date {
  const date = new Date(value);
  // The validator checked the form; a form-valid date that does not exist (2026-02-30, which Date rolls
  // over into March) ends here.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const exists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  // PostgreSQL has no year 0 (1 BC): 0000-… and 0001-01-01T00:00:00+01:00 are refused here, not by the database.
  if (Number.isNaN(date.getTime()) || !exists || date.getUTCFullYear() < 1) {
    throw new InvalidFieldError(['query', field], `${field} must be an RFC 3339 date-time that exists`);
  }
  return date;
}

function presentTotals(sum: UsageSum): UsageTotalsDto {
  return {
    requests: sum.requests,
    errors: sum.errors,
    input_tokens: sum.inputTokens,
    output_tokens: sum.outputTokens,
    total_tokens: sum.inputTokens + sum.outputTokens,
    cost: sum.cost,
  };
}

function presentRow(sum: UsageSum, groupBy: readonly UsageGroup[]): UsageRowDto {
  const row = {} as UsageRowDto;
  for (const group of groupBy) {
    const value = sum.groups[group];
    if (group === 'day') row.day = (value as Date).toISOString().slice(0, 10);
    else if (group === 'hour') row.hour = (value as Date).toISOString();
    else (row as unknown as Record<string, unknown>)[GROUP_FIELD[group]] = value === '' ? null : value;
  }
  return Object.assign(row, presentTotals(sum));
}
