import type { ExpectedVersion } from '#db';

/**
 * `If-Match` (RFC 9110 §13.1.1) against a db_version: `*`, or a list of entity tags, each `"<db_version>"`
 * (the ETag the API sends) or, leniently for clients that send NeMo's db_version as it is, a bare number.
 * A weak tag (`W/"3"`) or any other text matches no version (strong comparison), so such a write fails its
 * precondition (412) rather than going through unchecked. No header (or an empty one): no precondition.
 */
export function parseIfMatch(header: string | undefined): ExpectedVersion | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (text === '*') return { accepts: '*', header: text };
  const accepts: number[] = [];
  for (const tag of text.split(',')) {
    const m = /^\s*(?:"(\d{1,9})"|(\d{1,9}))\s*$/.exec(tag);
    if (m) accepts.push(Number(m[1] ?? m[2]));
  }
  return { accepts, header: text };
}

/** The ETag of a db_version, which If-Match accepts back. */
export function etagOf(dbVersion: number): string {
  return `"${dbVersion}"`;
}
