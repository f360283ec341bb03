import { ok, type Api, type Schemas } from './client.js';
import { table } from './output.js';

export type UsagePage = Schemas['UsagePageDto'];
type UsageRow = Schemas['UsageRowDto'];

export interface UsageOptions {
  start?: string;
  end?: string;
  groupBy?: string;
  model?: string;
  /** One page; every page when left out. */
  page?: number;
  pageSize?: number;
}

const PAGE_SIZE = 1000;

/** The workspace's usage: one page when asked for, else every page merged into one answer. */
export async function fetchUsage(api: Api, workspace: string, options: UsageOptions): Promise<UsagePage> {
  const query = (page: number) => ({
    params: {
      path: { workspace },
      query: {
        ...(options.start ? { start: options.start } : {}),
        ...(options.end ? { end: options.end } : {}),
        ...(options.groupBy ? { group_by: options.groupBy } : {}),
        ...(options.model ? { model: options.model } : {}),
        page,
        page_size: options.pageSize ?? PAGE_SIZE,
      },
    },
  });
  const get = (page: number) => ok(api.GET('/v2/workspaces/{workspace}/usage', query(page)));
  if (options.page !== undefined) return get(options.page);
  const first = await get(1);
  const data = [...first.data];
  for (let page = 2; page <= first.pagination.total_pages; page++) data.push(...(await get(page)).data);
  return {
    ...first,
    data,
    pagination: { ...first.pagination, page: 1, current_page_size: data.length, total_pages: 1 },
  };
}

const GROUP_COLUMNS: Record<string, [header: string, value: (row: UsageRow) => unknown]> = {
  day: ['DAY', (r) => r.day],
  hour: ['HOUR', (r) => r.hour],
  workspace: ['WORKSPACE', (r) => r.workspace],
  model: ['MODEL', (r) => r.model],
  provider: ['PROVIDER', (r) => r.provider],
  principal: ['PRINCIPAL', (r) => r.principal],
  key: ['KEY', (r) => r.key_id],
};
const GROUP_ORDER = ['day', 'hour', 'workspace', 'model', 'provider', 'principal', 'key'];

/** `0.0425 USD, 1.2 EUR`, or `-` when no model had prices. */
export function formatCost(cost: Record<string, number>): string {
  const parts = Object.entries(cost)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${Number(amount.toPrecision(12))} ${currency}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

/** The groups as columns, then the counters; a TOTAL line with the whole range's sums. */
export function usageTable(usage: UsagePage): string {
  const groups = GROUP_ORDER.filter((g) => usage.group_by.includes(g as UsagePage['group_by'][number]));
  const headers = [
    ...groups.map((g) => GROUP_COLUMNS[g][0]),
    'REQUESTS',
    'ERRORS',
    'INPUT TOKENS',
    'OUTPUT TOKENS',
    'TOTAL TOKENS',
    'COST',
  ];
  const counters = (r: Schemas['UsageTotalsDto']) => [
    String(r.requests),
    String(r.errors),
    String(r.input_tokens),
    String(r.output_tokens),
    String(r.total_tokens),
    formatCost(r.cost),
  ];
  const rows = usage.data.map((r) => [
    ...groups.map((g) => {
      const value = GROUP_COLUMNS[g][1](r);
      return value === null || value === undefined ? '-' : String(value);
    }),
    ...counters(r),
  ]);
  if (groups.length > 0) rows.push([...groups.map((_, i) => (i === 0 ? 'TOTAL' : '')), ...counters(usage.totals)]);
  else if (rows.length === 0) rows.push(counters(usage.totals));
  return table(headers, rows);
}
