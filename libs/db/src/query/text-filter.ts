import { InvalidFilterError } from '#domain';

/**
 * The text form of a list filter (reference §7: `name:"x" AND status>500`),
 * parsed into the same object the JSON form gives, so one compiler turns every
 * form into SQL.
 *
 *   filter     := or
 *   or         := and ("OR" and)*
 *   and        := unary ("AND" unary)*          AND binds tighter than OR
 *   unary      := ("NOT" | "-") unary | "(" or ")" | comparison
 *   comparison := field (":" | "~" | ">" | ">=" | "<" | "<=") value
 *               | field ["NOT"] "IN" "(" [value ("," value)*] ")"
 *   value      := "…" | '…' (a backslash takes the next character as it is)
 *               | a bare word: anything up to a space, a comma, a parenthesis or a quote;
 *                 `null` alone is null
 *
 * `:` is `$eq`, `~` is `$like`, `IN`/`NOT IN` are `$in`/`$nin`; keywords are
 * case-insensitive. Bare values stay text: the compiler converts them to the
 * field's type. Hand-written: one pass over at most MAX_TEXT_FILTER_LENGTH
 * characters, recursing only into parentheses and negations, at most
 * `maxDepth` deep, so no input can exhaust the stack or take more than linear
 * time.
 */
export const MAX_TEXT_FILTER_LENGTH = 16 * 1024;

type FilterObject = Record<string, unknown>;

const COMPARATORS: Record<string, string> = {
  ':': '$eq',
  '~': '$like',
  '>': '$gt',
  '>=': '$gte',
  '<': '$lt',
  '<=': '$lte',
};
const OPERATOR_LIST = ': ~ > >= < <= IN NOT IN';
const FIELD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const KEYWORD = /[A-Za-z]+/y;
// Ends a bare value: whitespace, a comma, a parenthesis or a quote.
const BARE_END = /[\s,()"']/;

export function parseTextFilter(text: string, maxDepth: number): FilterObject {
  if (text.length > MAX_TEXT_FILTER_LENGTH) {
    throw new InvalidFilterError(`the text form is longer than ${MAX_TEXT_FILTER_LENGTH} characters`);
  }
  return new TextFilterParser(text, maxDepth).parse();
}

class TextFilterParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parse(): FilterObject {
    const filter = this.or(0);
    this.skipSpace();
    if (this.pos < this.text.length) {
      const found = this.text[this.pos] === ')' ? "')' without a matching '('" : this.describeNext();
      this.fail(`expected AND, OR or the end of the filter, found ${found}`);
    }
    return filter;
  }

  private or(depth: number): FilterObject {
    const items = [this.and(depth)];
    while (this.keyword('OR')) items.push(this.and(depth));
    return items.length === 1 ? items[0] : { $or: items };
  }

  private and(depth: number): FilterObject {
    const items = [this.unary(depth)];
    while (this.keyword('AND')) items.push(this.unary(depth));
    return allOf(items);
  }

  private unary(depth: number): FilterObject {
    this.skipSpace();
    const start = this.pos;
    let negated = this.keyword('NOT');
    if (!negated && this.text[this.pos] === '-') {
      this.pos++;
      negated = true;
    }
    if (negated) {
      this.enter(depth, start);
      return { $not: this.unary(depth + 1) };
    }
    if (this.text[this.pos] === '(') {
      this.enter(depth, start);
      this.pos++;
      const inner = this.or(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ')') {
        this.fail(`expected ')' to close the '(' at position ${start + 1}, found ${this.describeNext()}`);
      }
      this.pos++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterObject {
    const start = this.pos;
    const field = this.match(FIELD);
    if (field === undefined) this.fail(`expected a field name, found ${this.describeNext()}`);
    this.skipSpace();
    const op = this.comparator();
    if (op === undefined) {
      this.fail(`expected one of ${OPERATOR_LIST} after '${field}', found ${this.describeNext()}`);
    }
    const operand = op === '$in' || op === '$nin' ? this.list(start) : this.value(start);
    // fromEntries defines an own property even for `__proto__`, which the compiler then refuses by name.
    return Object.fromEntries([[field, { [op]: operand }]]);
  }

  private comparator(): string | undefined {
    const two = this.text.slice(this.pos, this.pos + 2);
    const one = this.text[this.pos];
    if (two === '>=' || two === '<=') {
      this.pos += 2;
      return COMPARATORS[two];
    }
    if (one !== undefined && Object.prototype.hasOwnProperty.call(COMPARATORS, one)) {
      this.pos++;
      return COMPARATORS[one];
    }
    if (this.keyword('IN')) return '$in';
    const before = this.pos;
    if (this.keyword('NOT')) {
      if (this.keyword('IN')) return '$nin';
      this.pos = before;
    }
    return undefined;
  }

  private list(start: number): unknown[] {
    this.skipSpace();
    if (this.text[this.pos] !== '(')
      this.fail(`expected '(' after '${this.sliceFrom(start)}', found ${this.describeNext()}`);
    this.pos++;
    const values: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return values;
    }
    for (;;) {
      values.push(this.value(start));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c !== ',' && c !== ')') {
        this.fail(`expected ',' or ')' in the list after '${this.sliceFrom(start)}', found ${this.describeNext()}`);
      }
      this.pos++;
      if (c === ')') return values;
    }
  }

  private value(start: number): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return this.quoted(c);
    const from = this.pos;
    while (this.pos < this.text.length && !BARE_END.test(this.text[this.pos])) this.pos++;
    if (this.pos === from) this.fail(`expected a value after '${this.sliceFrom(start)}', found ${this.describeNext()}`);
    const word = this.text.slice(from, this.pos);
    return word === 'null' ? null : word;
  }

  private quoted(quote: string): string {
    const open = this.pos++;
    let out = '';
    let chunk = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === quote) {
        out += this.text.slice(chunk, this.pos++);
        return out;
      }
      if (c === '\\') {
        out += this.text.slice(chunk, this.pos);
        this.pos++;
        if (this.pos >= this.text.length) break;
        chunk = this.pos;
      }
      this.pos++;
    }
    return this.fail(`unterminated string: no closing ${quote}`, open);
  }

  /** Consumes `word` (any case) when it stands alone at the cursor. */
  private keyword(word: string): boolean {
    this.skipSpace();
    const start = this.pos;
    const found = this.match(KEYWORD);
    if (found !== undefined && found.toUpperCase() === word && !/[A-Za-z0-9_.]/.test(this.text[this.pos] ?? '')) {
      return true;
    }
    this.pos = start;
    return false;
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private enter(depth: number, at: number): void {
    if (depth >= this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels`, at);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private sliceFrom(start: number): string {
    return clip(this.text.slice(start, this.pos).trimEnd());
  }

  private describeNext(): string {
    if (this.pos >= this.text.length) return 'the end of the filter';
    return `'${clip(this.text.slice(this.pos).split(/\s/, 1)[0] || this.text[this.pos])}'`;
  }

  /** Positions count from 1, as an editor's columns do. */
  private fail(message: string, at = this.pos): never {
    throw new InvalidFilterError(`${message} at position ${at + 1}`);
  }
}

/** The conjunction of `items`: one object when no key repeats (so a top-level `workspace` stays findable), else `$and`. */
function allOf(items: FilterObject[]): FilterObject {
  if (items.length === 1) return items[0];
  const keys = new Set<string>();
  for (const item of items) {
    for (const key of Object.keys(item)) {
      if (keys.has(key)) return { $and: items };
      keys.add(key);
    }
  }
  return Object.fromEntries(items.flatMap((item) => Object.entries(item)));
}

/** `text` cut to a length that keeps error messages readable. */
export function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
