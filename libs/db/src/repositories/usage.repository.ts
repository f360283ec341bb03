import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { SqlParams } from '../query/filter.js';

/**
 * One usage row to add: the counters of one workspace, minute, principal, key, model, provider and currency.
 * '' stands for an absent part (no principal when access is off, no key for a user's token, no model or
 * provider for a request refused before routing, no currency for a model without prices).
 */
export interface UsageDelta {
  workspace: string;
  /** The minute's start. */
  bucket: Date;
  principal: string;
  keyId: string;
  model: string;
  provider: string;
  currency: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** In `currency`; null when the model had no prices. */
  cost: number | null;
}

/** What usage can be grouped by (wire names). */
export const USAGE_GROUPS = ['workspace', 'model', 'provider', 'key', 'principal', 'day', 'hour'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** The SQL of each group (fixed text, never user input); day and hour are UTC. */
const GROUP_SQL: Record<UsageGroup, string> = {
  workspace: 'workspace',
  model: 'model',
  provider: 'provider',
  key: 'key_id',
  principal: 'principal',
  day: "date_trunc('day', bucket, 'UTC')",
  hour: "date_trunc('hour', bucket, 'UTC')",
};

/** Time first, then the rest in a fixed order, so pages are stable and read as a timeline. */
const GROUP_ORDER: readonly UsageGroup[] = ['day', 'hour', 'workspace', 'model', 'provider', 'principal', 'key'];

export interface UsageQuery {
  /** One workspace, several (a query across the workspaces a caller may read), or (null) every one. */
  workspace: string | readonly string[] | null;
  /** Minutes whose start is in [start, end). */
  start: Date;
  end: Date;
  groupBy: readonly UsageGroup[];
  /** Only this model entity or virtual model. */
  model?: string;
}

/** Summed counters of one group; `groups` holds the value of each group asked for ('' for an absent part). */
export interface UsageSum {
  groups: Partial<Record<UsageGroup, string | Date>>;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Currency → cost, for the models that have prices. */
  cost: Record<string, number>;
}

const COLUMNS = [
  ['workspace', 'text'],
  ['bucket', 'timestamptz'],
  ['principal', 'text'],
  ['key_id', 'text'],
  ['model', 'text'],
  ['provider', 'text'],
  ['currency', 'text'],
  ['requests', 'bigint'],
  ['errors', 'bigint'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cost', 'numeric'],
] as const;

/** Gateway usage per minute (written by the gateways' UsageRecorder, read by GET …/usage). */
@Injectable()
export class UsageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Adds the rows to the counters in one statement (an upsert over arrays). Rows of a workspace that no
   * longer exists are skipped (its usage went with it). `rows` must not repeat a key. Returns the rows written.
   */
  async add(rows: readonly UsageDelta[]): Promise<number> {
    if (rows.length === 0) return 0;
    const columns: unknown[][] = COLUMNS.map(() => []);
    for (const r of rows) {
      const values = [
        r.workspace,
        r.bucket,
        r.principal,
        r.keyId,
        r.model,
        r.provider,
        r.currency,
        r.requests,
        r.errors,
        r.inputTokens,
        r.outputTokens,
        r.cost === null ? null : r.cost.toFixed(12),
      ];
      values.forEach((v, i) => columns[i].push(v));
    }
    const names = COLUMNS.map(([name]) => name).join(', ');
    const arrays = COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const added = (column: string) => `${column} = u.${column} + excluded.${column}`;
    const { rowCount } = await this.prisma.pool.query(
      `INSERT INTO usage AS u (${names})
       SELECT r.* FROM unnest(${arrays}) AS r(${names})
       WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.name = r.workspace)
       ON CONFLICT (workspace, bucket, principal, key_id, model, provider, currency) DO UPDATE SET
         ${['requests', 'errors', 'input_tokens', 'output_tokens'].map(added).join(', ')},
         cost = CASE WHEN u.cost IS NULL AND excluded.cost IS NULL THEN NULL
                     ELSE coalesce(u.cost, 0) + coalesce(excluded.cost, 0) END`,
      columns,
    );
    return rowCount ?? 0;
  }

  /**
   * A page of sums per group, ordered by time then the other groups; no groups gives one row for the whole
   * range (none when there was no traffic). Costs are summed per currency.
   */
  async sums(
    query: UsageQuery,
    page: { page: number; pageSize: number },
  ): Promise<{ rows: UsageSum[]; total: number }> {
    const params = new SqlParams();
    const where = this.where(query, params);
    const groups = GROUP_ORDER.filter((g) => query.groupBy.includes(g));
    const inner = groups.map((g) => `${GROUP_SQL[g]} AS "${g}"`);
    const outer = groups.map((g) => `"${g}"`);
    const limit = params.add(page.pageSize);
    const offset = params.add((page.page - 1) * page.pageSize);
    const { rows } = await this.prisma.pool.query(
      `WITH per_currency AS (
         SELECT ${[...inner, 'currency'].join(', ')},
                sum(requests) AS requests, sum(errors) AS errors,
                sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost) AS cost
         FROM usage WHERE ${where}
         GROUP BY ${[...outer, 'currency'].join(', ')}
       )
       SELECT ${outer.map((g) => `${g}, `).join('')}
              sum(requests)::text AS requests, sum(errors)::text AS errors,
              sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
              coalesce(jsonb_object_agg(currency, cost) FILTER (WHERE currency <> '' AND cost IS NOT NULL), '{}')
                AS cost,
              count(*) OVER () AS "__total"
       FROM per_currency
       GROUP BY ${outer.length > 0 ? outer.join(', ') : '()'}
       HAVING count(*) > 0
       ${outer.length > 0 ? `ORDER BY ${outer.join(', ')}` : ''}
       LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    let total = rows.length > 0 ? Number(rows[0].__total) : 0;
    if (rows.length === 0 && page.page > 1) total = await this.countGroups(query, groups);
    return { rows: rows.map((row) => toSum(row, groups)), total };
  }

  /** The sums over the whole range (zeros when there was no traffic). */
  async totals(query: Omit<UsageQuery, 'groupBy'>): Promise<UsageSum> {
    const { rows } = await this.sums({ ...query, groupBy: [] }, { page: 1, pageSize: 1 });
    return rows[0] ?? { groups: {}, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: {} };
  }

  private async countGroups(query: UsageQuery, groups: UsageGroup[]): Promise<number> {
    const params = new SqlParams();
    const where = this.where(query, params);
    const select = groups.length > 0 ? groups.map((g) => GROUP_SQL[g]).join(', ') : '1';
    const { rows } = await this.prisma.pool.query(
      `SELECT count(*)::int AS n FROM (SELECT DISTINCT ${select} FROM usage WHERE ${where}) g`,
      params.values,
    );
    return rows[0].n;
  }

  private where(query: Omit<UsageQuery, 'groupBy'>, params: SqlParams): string {
    const conditions = [`bucket >= ${params.add(query.start)}`, `bucket < ${params.add(query.end)}`];
    if (typeof query.workspace === 'string') {
      conditions.push(`workspace = ${params.add(query.workspace)}`);
    } else if (query.workspace !== null) {
      conditions.push(`workspace = ANY(${params.add(query.workspace)}::text[])`);
    }
    if (query.model !== undefined) conditions.push(`model = ${params.add(query.model)}`);
    return conditions.join(' AND ');
  }
}

function toSum(row: Record<string, unknown>, groups: readonly UsageGroup[]): UsageSum {
  return {
    groups: Object.fromEntries(groups.map((g) => [g, row[g] as string | Date])),
    requests: Number(row.requests),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cost: Object.fromEntries(Object.entries(row.cost as Record<string, unknown>).map(([c, v]) => [c, Number(v)])),
  };
}
