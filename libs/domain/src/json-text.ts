/**
 * What PostgreSQL cannot store: text and jsonb columns refuse U+0000, and
 * jsonb refuses a lone UTF-16 surrogate (`"\ud800"` parses in JavaScript but
 * is not Unicode). Keys named `__proto__` or `constructor` are refused too:
 * code that copies a parsed object by assignment would replace a prototype.
 */
export type TextProblem = 'nul' | 'lone_surrogate' | 'forbidden_key';

export interface TextIssue {
  problem: TextProblem;
  /** Keys and indexes from the scanned value down to the offending string or key. */
  path: (string | number)[];
}

/** With the `u` flag a well-formed surrogate pair is one code point, so `\p{Cs}` matches lone halves only. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  nul: 'text must not contain NUL (\\u0000) characters',
  lone_surrogate: 'text must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)',
  forbidden_key: 'keys named __proto__ or constructor are not allowed',
};

function textProblem(s: string): TextProblem | null {
  if (!UNSTORABLE.test(s)) return null;
  return s.includes('\u0000') ? 'nul' : 'lone_surrogate';
}

/**
 * The first unstorable string or key in `value`, depth first. One pass with an
 * explicit stack, so no nesting depth can overflow it (callers bound depth
 * before parsing; this does not rely on it).
 */
export function findUnstorableText(value: unknown): TextIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { problem, path };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const isArray = Array.isArray(v);
    const children: { value: unknown; path: (string | number)[] }[] = [];
    for (const key of Object.keys(v)) {
      if (!isArray) {
        if (FORBIDDEN_KEYS.has(key)) return { problem: 'forbidden_key', path: [...path, key] };
        const problem = textProblem(key);
        if (problem) return { problem, path: [...path, key] };
      }
      const child = (v as Record<string, unknown>)[key];
      if (typeof child === 'string' || (typeof child === 'object' && child !== null))
        children.push({ value: child, path: [...path, isArray ? Number(key) : key] });
    }
    // Reversed so the first key is examined first: the issue reported is the first one in reading order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}
