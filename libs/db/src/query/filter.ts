import { exceedsJsonDepth, InvalidFilterError } from '#domain';
import { clip, parseTextFilter } from './text-filter.js';

/**
 * List filters (reference §7) in the bracket form (`filter[status]=READY`,
 * `filter[name][$like]=x`, `filter[name][]=x`, already parsed into an object by
 * the query-string parser), the JSON form (`filter={"name":{"$like":"x"}}`) and
 * the text form (`filter=name:"x" AND status:READY`, see text-filter.ts), all
 * compiled to a SQL condition by one compiler. Column names come only from the
 * FilterSpec (constants in this codebase); every value is a bound parameter.
 * `$like` is NeMo's: `ILIKE '%' || value || '%'`, so `%` and `_` in the value
 * are wildcards and a backslash makes the next character literal.
 */
/** `int` is a PostgreSQL `integer` (int4) column. */
export type FieldType = 'string' | 'datetime' | 'int' | 'bool' | 'enum';

export interface FilterField {
  /** SQL column (or column expression) on the queried table. */
  column: string;
  type: FieldType;
  /** Allowed values for enum fields. */
  values?: readonly string[];
  /**
   * An enum value as the client may say it, to the stored one (the API's NeMo paths say ERROR for
   * FAILED; see libs/domain dialect). Applied before the value is checked.
   */
  fromWire?: (value: string) => string;
}

export type FilterSpec = Record<string, FilterField>;

/** Collects bound parameters and hands out their `$n` placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const COMPARISON_OPS = ['$eq', '$ne', '$like', '$in', '$nin', '$lt', '$lte', '$gt', '$gte'] as const;
type ComparisonOp = (typeof COMPARISON_OPS)[number];
const MAX_DEPTH = 8;
// A filter MAX_DEPTH levels deep nests two brackets a level ({"$and":[…]}) and a few more at its leaves.
const MAX_JSON_BRACKETS = 2 * MAX_DEPTH + 4;
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;
const FORMS = 'use filter[field]=value, a JSON object or the text form (name:"x" AND status:READY)';

/**
 * Normalises the raw `filter` query value: a bracket object (from the query
 * parser), a string that starts with `{` or `[` (JSON), any other string (the
 * text form), or nothing.
 */
export function parseFilterParam(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (isPlainObject(raw)) return raw;
  if (typeof raw !== 'string') throw new InvalidFilterError(`filter takes one value; ${FORMS}`);
  const text = raw.trim();
  if (text === '') return undefined;
  if (text[0] !== '{' && text[0] !== '[') return parseTextFilter(text, MAX_DEPTH);
  if (exceedsJsonDepth(text, MAX_JSON_BRACKETS)) throw new InvalidFilterError(`nested deeper than ${MAX_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidFilterError(`filter is not valid JSON (${(error as Error).message}); ${FORMS}`);
  }
  if (!isPlainObject(parsed)) throw new InvalidFilterError('filter must be a JSON object');
  return parsed;
}

/**
 * Pulls `workspace` out of a filter: the reference lets `filter[workspace]`
 * override the path's workspace. Returns the remaining filter.
 */
export function takeWorkspaceFilter(filter: Record<string, unknown> | undefined): {
  workspace?: unknown;
  rest?: Record<string, unknown>;
} {
  if (!filter || !('workspace' in filter)) return { rest: filter };
  const { workspace, ...rest } = filter;
  return { workspace, rest };
}

export function compileFilter(
  filter: Record<string, unknown> | undefined,
  spec: FilterSpec,
  params: SqlParams,
): string {
  if (!filter) return 'TRUE';
  return compileObject(filter, spec, params, 0);
}

function compileObject(filter: Record<string, unknown>, spec: FilterSpec, params: SqlParams, depth: number): string {
  if (depth > MAX_DEPTH) throw new InvalidFilterError(`nested deeper than ${MAX_DEPTH} levels`);
  const and: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      const items = asArray(value).map((item) => {
        if (!isPlainObject(item)) throw new InvalidFilterError(`${key} takes a list of filter objects`);
        return compileObject(item, spec, params, depth + 1);
      });
      if (items.length === 0) throw new InvalidFilterError(`${key} takes a non-empty list`);
      and.push(`(${items.join(key === '$and' ? ' AND ' : ' OR ')})`);
    } else if (key === '$not') {
      if (!isPlainObject(value)) throw new InvalidFilterError('$not takes a filter object');
      and.push(`NOT (${compileObject(value, spec, params, depth + 1)})`);
    } else {
      and.push(compileField(key, value, spec, params));
    }
  }
  if (and.length === 0) return 'TRUE';
  return and.length === 1 ? and[0] : `(${and.join(' AND ')})`;
}

function compileField(name: string, value: unknown, spec: FilterSpec, params: SqlParams): string {
  const field = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
  if (!field) {
    throw new InvalidFilterError(
      `unknown field '${name}'; filterable fields are ${Object.keys(spec).sort().join(', ')}`,
    );
  }
  if (Array.isArray(value)) return opCondition(name, field, '$in', value, params);
  if (!isPlainObject(value)) return opCondition(name, field, '$eq', value, params);

  const ops = Object.entries(value);
  if (ops.length === 0) throw new InvalidFilterError(`field '${name}' has an empty condition`);
  const parts = ops.map(([op, operand]) => {
    if (!(COMPARISON_OPS as readonly string[]).includes(op)) {
      throw new InvalidFilterError(
        `unknown operator '${op}' on field '${name}'; use one of ${COMPARISON_OPS.join(' ')}`,
      );
    }
    return opCondition(name, field, op as ComparisonOp, operand, params);
  });
  return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
}

function opCondition(name: string, field: FilterField, op: ComparisonOp, operand: unknown, params: SqlParams): string {
  const col = field.column;
  switch (op) {
    case '$eq':
      return operand === null ? `${col} IS NULL` : `${col} = ${params.add(coerce(name, field, operand))}`;
    case '$ne':
      // Rows without a value are "not equal" too.
      return operand === null
        ? `${col} IS NOT NULL`
        : `${col} IS DISTINCT FROM ${params.add(coerce(name, field, operand))}`;
    case '$in':
    case '$nin': {
      const list = asArray(operand).map((v) => coerce(name, field, v));
      if (list.length > 1000) throw new InvalidFilterError(`${op} on '${name}' takes at most 1000 values`);
      if (list.length === 0) return op === '$in' ? 'FALSE' : 'TRUE';
      const any = `${col} = ANY(${params.add(list)})`;
      return op === '$in' ? any : `(${col} IS NULL OR NOT ${any})`;
    }
    case '$like': {
      if (field.type !== 'string') {
        throw new InvalidFilterError(`$like applies to text fields; '${name}' is ${field.type}`);
      }
      if (typeof operand !== 'string') throw new InvalidFilterError(`$like on '${name}' takes a string`);
      if (operand.includes('\u0000')) throw new InvalidFilterError(`field '${name}' cannot contain NUL characters`);
      return `${col} ILIKE ${params.add(likePattern(operand))} ESCAPE '\\'`;
    }
    case '$lt':
    case '$lte':
    case '$gt':
    case '$gte': {
      if (field.type === 'bool') throw new InvalidFilterError(`${op} does not apply to boolean field '${name}'`);
      const sqlOp = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' }[op];
      return `${col} ${sqlOp} ${params.add(coerce(name, field, operand))}`;
    }
  }
}

function coerce(name: string, field: FilterField, value: unknown): unknown {
  if (value === null || typeof value === 'object') {
    throw new InvalidFilterError(`field '${name}' takes a ${field.type} value`);
  }
  const text = String(value);
  // PostgreSQL text cannot hold NUL: the query would fail with a 500.
  if (text.includes('\u0000')) throw new InvalidFilterError(`field '${name}' cannot contain NUL characters`);
  switch (field.type) {
    case 'string':
      return text;
    case 'enum': {
      const stored = field.fromWire ? field.fromWire(text) : text;
      if (!field.values?.includes(stored)) {
        throw new InvalidFilterError(`field '${name}' must be one of ${field.values?.join(', ')}; got '${clip(text)}'`);
      }
      return stored;
    }
    case 'int': {
      const n = typeof value === 'number' || /^[+-]?\d+$/.test(text) ? Number(value) : Number.NaN;
      // Out of range, PostgreSQL refuses the whole query.
      if (!Number.isInteger(n) || n < INT4_MIN || n > INT4_MAX) {
        throw new InvalidFilterError(
          `field '${name}' takes an integer from ${INT4_MIN} to ${INT4_MAX}; got '${clip(text)}'`,
        );
      }
      return n;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw new InvalidFilterError(`field '${name}' takes true or false`);
    }
    case 'datetime': {
      const date = parseIsoDate(text);
      if (!date) {
        throw new InvalidFilterError(
          `field '${name}' takes an ISO 8601 date or date-time (2025-01-31, 2025-01-31T12:00:00Z); got '${clip(text)}'`,
        );
      }
      return date;
    }
  }
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/i;

/**
 * A real calendar date (JavaScript would roll 2025-02-30 over to March 2) in
 * years 0000–9999, which PostgreSQL's timestamptz holds.
 */
function parseIsoDate(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0, offH = 0, offM = 0] = m
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return undefined;
  const date = new Date(text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * NeMo's `'%' || value || '%'`. PostgreSQL refuses a pattern that ends in its
 * escape character, and a trailing backslash here would escape the closing
 * `%`, so an unpaired one at the end is taken literally.
 */
function likePattern(value: string): string {
  let trailing = 0;
  while (value[value.length - 1 - trailing] === '\\') trailing++;
  return `%${value}${trailing % 2 === 1 ? '\\' : ''}%`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // The bracket form gives objects with numeric keys for long lists.
  if (isPlainObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k))) return Object.values(value);
  return [value];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A FilterSpec from `field: type` pairs (the column is the field's name) or full entries. */
export function filterFields(fields: Record<string, FieldType | FilterField>): FilterSpec {
  return Object.fromEntries(
    Object.entries(fields).map(([name, f]) => [name, typeof f === 'string' ? { column: name, type: f } : f]),
  );
}
