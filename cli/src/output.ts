import { stringify } from 'yaml';
import { UsageError } from './exit-codes.js';
import type { Column } from './resources.js';

export const FORMATS = ['table', 'json', 'yaml', 'name'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`-o ${value}: the output format is one of ${FORMATS.join(', ')}`);
  }
  return value as Format;
}

/** Rows as the chosen format: aligned columns, a JSON or YAML document (one object, or a list), or `kind/name` lines. */
export function render(
  rows: Record<string, unknown>[],
  format: Format,
  kind: string,
  columns: Column[],
  single = false,
): string {
  switch (format) {
    case 'json':
      return JSON.stringify(single ? rows[0] : rows, null, 2) + '\n';
    case 'yaml':
      return stringify(single ? rows[0] : rows);
    case 'name':
      return rows.map((r) => `${kind.toLowerCase()}/${String(r.name ?? r.id)}\n`).join('');
    case 'table':
      return table(
        columns.map(([header]) => header),
        rows.map((r) => columns.map(([, value]) => cell(value(r)))),
      );
  }
}

/** Columns padded to their widest cell, two spaces apart, as kubectl prints them. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd() + '\n';
  return line(headers) + rows.map(line).join('');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
