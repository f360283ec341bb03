import type pg from 'pg';
import { compileFilter, SqlParams, type FilterSpec } from '../query/filter.js';
import type { PageRequest } from '../query/page.js';
import { selectList, type TableDef } from '../query/tables.js';

export interface ListQuery {
  /** The parsed filter (scope included), compiled against `spec` by the repository. */
  filter?: Record<string, unknown>;
  spec: FilterSpec;
  /** Wire sort field → SQL column. */
  sortable: Record<string, string>;
  page: PageRequest;
  /** The filter as the client sent it (parsed, before scoping), which the page echoes as NeMo's does. */
  requested?: Record<string, unknown>;
}

/** `ORDER BY` for a validated sort string, with `id` as the tie-breaker so pages are stable. */
export function orderBySql(sort: string, sortable: Record<string, string>): string {
  const desc = sort.startsWith('-');
  const column = sortable[desc ? sort.slice(1) : sort];
  const dir = desc ? 'DESC' : 'ASC';
  return column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
}

/**
 * One page and the total in a single round trip (`count(*) OVER ()`); only a
 * page past the end needs a second query for the total. `extraWhere` is a
 * fixed condition of the repository (never user input).
 */
export async function findPage<Row, Extra = object>(
  pool: pg.Pool,
  def: TableDef<Row>,
  query: ListQuery,
  options: { extraWhere?: string; extraSelect?: string } = {},
): Promise<{ rows: (Row & Extra)[]; total: number }> {
  const params = new SqlParams();
  const where = [compileFilter(query.filter, query.spec, params), options.extraWhere].filter(Boolean).join(' AND ');
  const { page, pageSize } = query.page;
  const limit = params.add(pageSize);
  const offset = params.add((page - 1) * pageSize);
  const select = [selectList(def, 't'), options.extraSelect].filter(Boolean).join(', ');
  const { rows } = await pool.query(
    `SELECT ${select}, count(*) OVER () AS "__total" FROM ${def.table} t WHERE ${where}
     ORDER BY ${orderBySql(query.page.sort, query.sortable)} LIMIT ${limit} OFFSET ${offset}`,
    params.values,
  );
  let total = rows.length > 0 ? Number(rows[0].__total) : 0;
  if (rows.length === 0 && page > 1) {
    const count = await pool.query(
      `SELECT count(*)::int AS n FROM ${def.table} t WHERE ${where}`,
      params.values.slice(0, -2),
    );
    total = count.rows[0].n;
  }
  for (const row of rows) delete row.__total;
  return { rows: rows as (Row & Extra)[], total };
}

/** At most one row by a fixed condition. */
export async function findOne<Row, Extra = object>(
  pool: pg.Pool,
  def: TableDef<Row>,
  where: string,
  values: unknown[],
  extraSelect?: string,
): Promise<(Row & Extra) | null> {
  const select = [selectList(def, 't'), extraSelect].filter(Boolean).join(', ');
  const { rows } = await pool.query(`SELECT ${select} FROM ${def.table} t WHERE ${where} LIMIT 1`, values);
  return (rows[0] as (Row & Extra) | undefined) ?? null;
}
