/**
 * Limits on JSON a caller sends, checked on the raw text before anything
 * recursive (JSON.parse, class-transformer, JSON.stringify) touches it: a body
 * nested thousands of levels deep overflows their stacks and stalls the event
 * loop. One linear pass, no recursion, no allocation.
 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of `[`/`{` in `text`, stopping early once it exceeds
 * `limit` (the caller only needs to know that it does). Brackets inside
 * strings are skipped, escapes included; malformed text is left for
 * JSON.parse to refuse.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}

/** True when `text` nests deeper than `maxDepth` levels. */
export function exceedsJsonDepth(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): boolean {
  return jsonDepth(text, maxDepth) > maxDepth;
}
