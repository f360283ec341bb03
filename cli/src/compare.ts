import { isObject } from './documents.js';

/**
 * Whether the stored object already has what the document asks for. `apply`
 * manages the fields a document names: each must equal the stored value
 * (objects field by field, arrays element by element and of the same
 * length); a field the document sets to null must be absent or null; fields
 * the document leaves out (server defaults, fields other tools manage) are
 * not compared.
 */
export function covers(desired: unknown, stored: unknown): boolean {
  if (desired === null || desired === undefined) return stored === null || stored === undefined;
  if (Array.isArray(desired)) {
    return Array.isArray(stored) && stored.length === desired.length && desired.every((d, i) => covers(d, stored[i]));
  }
  if (isObject(desired)) {
    return isObject(stored) && Object.entries(desired).every(([k, v]) => covers(v, stored[k]));
  }
  return desired === stored;
}

/** The fields of `desired` whose stored value differs, as dotted paths. */
export function changedFields(
  desired: Record<string, unknown>,
  stored: Record<string, unknown>,
  prefix = '',
): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    const path = prefix + key;
    if (covers(value, stored[key])) continue;
    if (isObject(value) && isObject(stored[key])) out.push(...changedFields(value, stored[key], `${path}.`));
    else out.push(path);
  }
  return out;
}

/**
 * The stored object cut to the shape of the document: what `diff` shows as
 * "before", so that fields the document does not manage do not clutter it.
 */
export function projection(stored: unknown, desired: unknown): unknown {
  if (isObject(desired) && isObject(stored)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(desired))
      if (stored[key] !== undefined) out[key] = projection(stored[key], desired[key]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(stored)) {
    return stored.map((s, i) => (i < desired.length ? projection(s, desired[i]) : s));
  }
  return stored;
}

/** Drops null fields: a null in a document means "absent", which is how the server stores it. */
export function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}
