/** Drops null and undefined fields: the reference excludes nulls from responses. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === null || obj[key] === undefined) delete obj[key];
  return obj;
}

export function iso(date: Date): string {
  return date.toISOString();
}
