/** Drops null and undefined fields: the reference excludes nulls from responses. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === null || obj[key] === undefined) delete obj[key];
  return obj;
}

export function iso(date: Date): string {
  return date.toISOString();
}

/** created_by / updated_by of a row (principal ids), omitted where unknown (rows older than access control). */
export function authorship(row: { createdBy: string | null; updatedBy?: string | null }): {
  created_by?: string;
  updated_by?: string;
} {
  return { created_by: row.createdBy ?? undefined, updated_by: row.updatedBy ?? undefined };
}
