import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `name` as an executable path: itself when it holds a slash, else the first match on `path`; null when none. */
export function findProgram(name: string, path: string): string | null {
  const candidates = name.includes('/')
    ? [name]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
