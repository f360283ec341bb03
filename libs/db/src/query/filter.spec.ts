import { BadRequestError, InvalidFilterError } from '#domain';
import { compileFilter, parseFilterParam, SqlParams, takeWorkspaceFilter, type FilterSpec } from './filter.js';

const SPEC: FilterSpec = {
  name: { column: 'name', type: 'string' },
  description: { column: 'description', type: 'string' },
  status: { column: 'status', type: 'enum', values: ['READY', 'ERROR'] },
  version: { column: 'version', type: 'int' },
  enabled: { column: 'is_enabled', type: 'bool' },
  created_at: { column: 'created_at', type: 'datetime' },
};

/** The SQL condition and its bound values. */
function compile(filter: Record<string, unknown> | undefined): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  return { sql: compileFilter(filter, SPEC, params), values: params.values };
}
const q = (sql: string, ...values: unknown[]) => ({ sql, values });

/** The message of the InvalidFilterError `fn` throws (fails the test if it throws nothing or something else). */
function filterError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFilterError);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as InvalidFilterError).kind).toBe('bad_request');
    expect((error as InvalidFilterError).code).toBe('list/invalid_filter');
    return (error as Error).message;
  }
  throw new Error('expected an InvalidFilterError');
}

describe('parseFilterParam', () => {
  it.each([undefined, null, '', '  '])('treats %p as no filter', (raw) => {
    expect(parseFilterParam(raw)).toBeUndefined();
  });

  it('parses the JSON string form', () => {
    expect(parseFilterParam('{"name":{"$like":"llama"}}')).toEqual({ name: { $like: 'llama' } });
    expect(parseFilterParam('{"$or":[{"name":"a"},{"name":"b"}]}')).toEqual({ $or: [{ name: 'a' }, { name: 'b' }] });
  });

  it('passes the bracket form (already an object) through', () => {
    const raw = { name: { $like: 'x' }, status: ['READY', 'ERROR'] };
    expect(parseFilterParam(raw)).toBe(raw);
  });

  it('reads any other string as the text form', () => {
    expect(parseFilterParam('name:"x"')).toEqual({ name: { $eq: 'x' } });
    expect(parseFilterParam('  {"name":"x"}  ')).toEqual({ name: 'x' });
  });

  it.each([
    ['invalid JSON', '{"name":', /^Invalid filter: filter is not valid JSON \(.+\); use filter\[field\]=value/],
    ['a JSON array', '[{"name":"a"}]', /must be a JSON object/],
    ['a JSON string (text form: no field)', '"name"', /expected a field name, found '"name"' at position 1$/],
    [
      'a bare word (text form: no operator)',
      'null',
      /expected one of : ~ > >= < <= IN NOT IN after 'null', found the end/,
    ],
    ['a number (text form: no field)', '42', /expected a field name, found '42' at position 1$/],
  ])('refuses %s', (_label, raw, message) => {
    expect(filterError(() => parseFilterParam(raw))).toMatch(message);
  });

  it('refuses JSON nested past the depth limit before parsing it', () => {
    expect(filterError(() => parseFilterParam('{"$and":['.repeat(5000)))).toMatch(/nested deeper than 8 levels/);
    expect(filterError(() => parseFilterParam('['.repeat(100_000)))).toMatch(/nested deeper than 8 levels/);
  });

  it.each([[['a', 'b']], [42], [true]])('refuses a non-object, non-string value %p', (raw) => {
    expect(filterError(() => parseFilterParam(raw))).toMatch(/^Invalid filter: /);
  });
});

describe('takeWorkspaceFilter', () => {
  it('pulls workspace out and returns the rest', () => {
    expect(takeWorkspaceFilter({ workspace: 'ws-b', name: 'x' })).toEqual({ workspace: 'ws-b', rest: { name: 'x' } });
    expect(takeWorkspaceFilter({ workspace: { $in: ['a', 'b'] } })).toEqual({
      workspace: { $in: ['a', 'b'] },
      rest: {},
    });
  });

  it('leaves a filter without workspace alone', () => {
    const filter = { name: 'x' };
    expect(takeWorkspaceFilter(filter)).toEqual({ rest: filter });
    expect(takeWorkspaceFilter(undefined)).toEqual({ rest: undefined });
  });
});

describe('compileFilter', () => {
  it('compiles nothing to TRUE', () => {
    expect(compile(undefined)).toEqual(q('TRUE'));
    expect(compile({})).toEqual(q('TRUE'));
  });

  describe('operators', () => {
    it('a bare value is $eq', () => {
      expect(compile({ name: 'llama' })).toEqual(q('name = $1', 'llama'));
      expect(compile({ name: { $eq: 'llama' } })).toEqual(q('name = $1', 'llama'));
    });

    it('$eq null and $ne null test for absence and presence', () => {
      expect(compile({ description: null })).toEqual(q('description IS NULL'));
      expect(compile({ description: { $eq: null } })).toEqual(q('description IS NULL'));
      expect(compile({ description: { $ne: null } })).toEqual(q('description IS NOT NULL'));
    });

    it('$ne keeps rows without a value', () => {
      expect(compile({ name: { $ne: 'a' } })).toEqual(q('name IS DISTINCT FROM $1', 'a'));
    });

    it('$in and $nin, and a bare list as $in', () => {
      expect(compile({ name: { $in: ['a', 'b'] } })).toEqual(q('name = ANY($1)', ['a', 'b']));
      expect(compile({ name: { $nin: ['a'] } })).toEqual(q('(name IS NULL OR NOT name = ANY($1))', ['a']));
      expect(compile({ name: ['a', 'b'] })).toEqual(q('name = ANY($1)', ['a', 'b']));
      // A single value given to $in is a list of one.
      expect(compile({ name: { $in: 'a' } })).toEqual(q('name = ANY($1)', ['a']));
    });

    it('empty $in matches nothing and empty $nin everything', () => {
      expect(compile({ name: { $in: [] } })).toEqual(q('FALSE'));
      expect(compile({ name: { $nin: [] } })).toEqual(q('TRUE'));
    });

    it('bracket arrays that the query parser turned into numbered objects are lists', () => {
      expect(compile({ name: { $in: { 0: 'a', 1: 'b', 2: 'c' } } })).toEqual(q('name = ANY($1)', ['a', 'b', 'c']));
      expect(compile({ $or: { 0: { name: 'a' }, 1: { name: 'b' } } })).toEqual(q('(name = $1 OR name = $2)', 'a', 'b'));
    });

    it('$lt, $lte, $gt and $gte', () => {
      expect(compile({ version: { $lt: '3' } })).toEqual(q('version < $1', 3));
      expect(compile({ version: { $lte: 3 } })).toEqual(q('version <= $1', 3));
      expect(compile({ version: { $gt: '-2' } })).toEqual(q('version > $1', -2));
      expect(compile({ created_at: { $gte: '2025-01-02T03:04:05Z' } })).toEqual(
        q('created_at >= $1', new Date('2025-01-02T03:04:05Z')),
      );
    });

    it('several operators on one field are ANDed', () => {
      expect(compile({ version: { $gte: 1, $lt: 5 } })).toEqual(q('(version >= $1 AND version < $2)', 1, 5));
    });

    it('several fields are ANDed, each mapped to its column', () => {
      expect(compile({ name: 'a', enabled: 'true' })).toEqual(q('(name = $1 AND is_enabled = $2)', 'a', true));
    });

    it('$like is a case-insensitive substring match', () => {
      expect(compile({ name: { $like: 'Llama' } })).toEqual(q("name ILIKE $1 ESCAPE '\\'", '%Llama%'));
    });

    it("$like is NeMo's ILIKE '%' || value || '%': % and _ stay wildcards, a backslash escapes", () => {
      expect(compile({ name: { $like: 'prefix%' } }).values).toEqual(['%prefix%%']);
      expect(compile({ name: { $like: 'a_b' } }).values).toEqual(['%a_b%']);
      expect(compile({ name: { $like: '100\\%' } }).values).toEqual(['%100\\%%']);
      expect(compile({ name: { $like: 'C:\\\\x' } }).values).toEqual(['%C:\\\\x%']);
    });

    it('$like takes an unpaired trailing backslash literally, so the closing % stays a wildcard', () => {
      expect(compile({ name: { $like: 'a\\' } }).values).toEqual(['%a\\\\%']);
      expect(compile({ name: { $like: 'a\\\\' } }).values).toEqual(['%a\\\\%']);
      expect(compile({ name: { $like: '\\\\\\' } }).values).toEqual(['%\\\\\\\\%']);
    });

    it('refuses an unknown operator, naming it and the allowed ones', () => {
      const message = filterError(() => compile({ name: { $regex: 'a.*' } }));
      expect(message).toContain("'$regex'");
      expect(message).toContain("'name'");
      expect(message).toContain('$like');
    });

    it('refuses an empty condition', () => {
      expect(filterError(() => compile({ name: {} }))).toMatch(/empty condition/);
    });

    it('refuses $like on a non-text field and with a non-string operand', () => {
      expect(filterError(() => compile({ version: { $like: '1' } }))).toMatch(
        /\$like applies to text fields; 'version' is int/,
      );
      expect(filterError(() => compile({ created_at: { $like: '2025' } }))).toMatch(/datetime/);
      expect(filterError(() => compile({ name: { $like: ['a'] } }))).toMatch(/takes a string/);
      expect(filterError(() => compile({ name: { $like: 5 } }))).toMatch(/takes a string/);
    });

    it('refuses ordering comparisons on booleans', () => {
      expect(filterError(() => compile({ enabled: { $gt: true } }))).toMatch(/boolean field 'enabled'/);
    });

    it('refuses more than 1000 values in $in and $nin', () => {
      const many = Array.from({ length: 1001 }, (_, i) => `v${i}`);
      expect(filterError(() => compile({ name: { $in: many } }))).toMatch(/at most 1000/);
      expect(filterError(() => compile({ name: { $nin: many } }))).toMatch(/at most 1000/);
      expect(compile({ name: { $in: many.slice(0, 1000) } })).toEqual(q('name = ANY($1)', many.slice(0, 1000)));
    });
  });

  describe('coercion', () => {
    it('strings: numbers and booleans become text', () => {
      expect(compile({ name: 42 })).toEqual(q('name = $1', '42'));
      expect(compile({ name: true })).toEqual(q('name = $1', 'true'));
    });

    it('int: integer text or numbers only', () => {
      expect(compile({ version: '7' })).toEqual(q('version = $1', 7));
      expect(compile({ version: '+7' })).toEqual(q('version = $1', 7));
      expect(compile({ version: '007' })).toEqual(q('version = $1', 7));
      expect(compile({ version: -3 })).toEqual(q('version = $1', -3));
      for (const bad of ['1.5', 'abc', '', '1e3', ' 1', '0x10', 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(filterError(() => compile({ version: bad }))).toMatch(
          /'version' takes an integer from -2147483648 to 2147483647; got '/,
        );
      }
    });

    it("int: only PostgreSQL integer's range, which would otherwise fail the query", () => {
      expect(compile({ version: { $in: ['2147483647', -2147483648] } })).toEqual(
        q('version = ANY($1)', [2147483647, -2147483648]),
      );
      for (const bad of ['2147483648', -2147483649, '999999999999999', '9'.repeat(400), 1e300]) {
        expect(filterError(() => compile({ version: { $gt: bad } }))).toBe(
          `Invalid filter: field 'version' takes an integer from -2147483648 to 2147483647; got '${String(bad).slice(0, 64)}${String(bad).length > 64 ? '…' : ''}'`,
        );
      }
    });

    it('bool: true/false/1/0 in any case', () => {
      for (const [raw, value] of [
        ['true', true],
        ['TRUE', true],
        ['1', true],
        [true, true],
        ['false', false],
        ['False', false],
        ['0', false],
        [false, false],
      ] as const) {
        expect(compile({ enabled: raw })).toEqual(q('is_enabled = $1', value));
      }
      for (const bad of ['yes', 'no', '2', ''])
        expect(filterError(() => compile({ enabled: bad }))).toMatch(/'enabled' takes true or false/);
    });

    it('enum: only the listed values, naming them', () => {
      expect(compile({ status: 'READY' })).toEqual(q('status = $1', 'READY'));
      const message = filterError(() => compile({ status: 'ready' }));
      expect(message).toContain('READY, ERROR');
      expect(message).toContain("'ready'");
      expect(filterError(() => compile({ status: { $in: ['READY', 'LOST'] } }))).toContain("'LOST'");
    });

    it('enum: a long bad value is clipped in the message', () => {
      const message = filterError(() => compile({ status: 'x'.repeat(500) }));
      expect(message.length).toBeLessThan(200);
    });

    it('datetime: ISO 8601 dates and date-times', () => {
      expect(compile({ created_at: '2025-06-01' })).toEqual(q('created_at = $1', new Date('2025-06-01')));
      expect(compile({ created_at: '2025-06-01T10:00:00.123+02:00' })).toEqual(
        q('created_at = $1', new Date('2025-06-01T08:00:00.123Z')),
      );
      expect(compile({ created_at: '2024-02-29 23:59:59.123456Z' })).toEqual(
        q('created_at = $1', new Date('2024-02-29T23:59:59.123Z')),
      );
      expect(compile({ created_at: '0000-02-29' })).toEqual(q('created_at = $1', new Date('0000-02-29')));
      for (const bad of ['yesterday', '2025-13-01', '06/01/2025', '1735689600000', "2025-01-01'; DROP TABLE x; --"]) {
        expect(filterError(() => compile({ created_at: bad }))).toMatch(
          /'created_at' takes an ISO 8601 date or date-time \(2025-01-31, 2025-01-31T12:00:00Z\); got '/,
        );
      }
    });

    it('datetime: refuses dates that are not on the calendar instead of rolling them over', () => {
      for (const bad of [
        '2025-02-29',
        '2025-02-30',
        '2025-04-31',
        '2025-00-10',
        '2025-01-00',
        '2025-01-01T24:00:00Z',
        '2025-01-01T12:60Z',
        '2025-01-01T12:00:60Z',
        '2025-01-01T12:00+24:00',
        '2025-01-01garbage',
        '2025-01-01Z',
        '+275760-09-13',
        '2025-01-01T00:00:00.1234567890Z',
      ]) {
        expect([bad, filterError(() => compile({ created_at: { $lt: bad } }))]).toEqual([
          bad,
          expect.stringContaining("'created_at' takes an ISO 8601 date"),
        ]);
      }
    });

    it('refuses objects and null where a value belongs', () => {
      expect(filterError(() => compile({ name: { $eq: { nested: 1 } } }))).toMatch(/'name' takes a string value/);
      expect(filterError(() => compile({ name: { $in: [null] } }))).toMatch(/'name' takes a string value/);
      expect(filterError(() => compile({ name: { $gt: null } }))).toMatch(/'name'/);
      expect(filterError(() => compile({ name: [['a']] }))).toMatch(/'name'/);
    });

    it('refuses NUL characters, which PostgreSQL text cannot hold', () => {
      expect(filterError(() => compile({ name: 'a\u0000b' }))).toMatch(/NUL/);
      expect(filterError(() => compile({ name: { $like: '\u0000' } }))).toMatch(/NUL/);
      expect(filterError(() => compile({ name: { $in: ['ok', 'a\u0000'] } }))).toMatch(/NUL/);
    });
  });

  describe('unknown fields', () => {
    it('refuses them, listing the filterable fields in order', () => {
      const message = filterError(() => compile({ colour: 'red' }));
      expect(message).toBe(
        "Invalid filter: unknown field 'colour'; filterable fields are created_at, description, enabled, name, status, version",
      );
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses the inherited property %s', (key) => {
      const filter = JSON.parse(`{"${key}": "x"}`) as Record<string, unknown>;
      expect(filterError(() => compile(filter))).toContain(`unknown field '${key}'`);
    });

    it('refuses workspace when the spec does not list it', () => {
      expect(filterError(() => compile({ workspace: 'ws' }))).toContain("unknown field 'workspace'");
    });
  });

  describe('$and, $or, $not', () => {
    it('$and and $or take lists of filters', () => {
      expect(compile({ $and: [{ name: 'a' }, { version: 2 }] })).toEqual(q('(name = $1 AND version = $2)', 'a', 2));
      expect(compile({ $or: [{ name: 'a' }, { name: { $like: 'b' } }] })).toEqual(
        q("(name = $1 OR name ILIKE $2 ESCAPE '\\')", 'a', '%b%'),
      );
    });

    it('$not takes one filter', () => {
      expect(compile({ $not: { status: 'ERROR' } })).toEqual(q('NOT (status = $1)', 'ERROR'));
    });

    it('combine with fields and nest', () => {
      expect(compile({ name: 'a', $or: [{ $not: { version: 1 } }, { $and: [{ enabled: '1' }] }] })).toEqual(
        q('(name = $1 AND (NOT (version = $2) OR (is_enabled = $3)))', 'a', 1, true),
      );
    });

    it('check the fields inside them too', () => {
      expect(filterError(() => compile({ $or: [{ name: 'a' }, { colour: 'red' }] }))).toContain("'colour'");
      expect(filterError(() => compile({ $not: { version: 'x' } }))).toContain("'version' takes an integer");
    });

    it.each([
      ['$and with an empty list', { $and: [] }, /\$and takes a non-empty list/],
      ['$or with an empty list', { $or: [] }, /\$or takes a non-empty list/],
      ['$and with a value', { $and: ['x'] }, /\$and takes a list of filter objects/],
      ['$or with a list inside', { $or: [[{ name: 'a' }]] }, /\$or takes a list of filter objects/],
      ['$not with a list', { $not: [{ name: 'a' }] }, /\$not takes a filter object/],
      ['$not with a value', { $not: 'a' }, /\$not takes a filter object/],
    ])('refuse %s', (_label, filter, message) => {
      expect(filterError(() => compile(filter as Record<string, unknown>))).toMatch(message);
    });

    it('accept nesting up to the depth limit and refuse deeper', () => {
      const nest = (levels: number, op: '$and' | '$not') => {
        let filter: Record<string, unknown> = { name: 'a' };
        for (let i = 0; i < levels; i++) filter = op === '$and' ? { $and: [filter] } : { $not: filter };
        return filter;
      };
      expect(() => compile(nest(8, '$and'))).not.toThrow();
      expect(() => compile(nest(8, '$not'))).not.toThrow();
      expect(filterError(() => compile(nest(9, '$and')))).toMatch(/nested deeper than 8 levels/);
      expect(filterError(() => compile(nest(9, '$not')))).toMatch(/nested deeper than 8 levels/);
      expect(filterError(() => compile(nest(500, '$and')))).toMatch(/nested deeper/);
    });
  });

  it('compiles the JSON string form end to end', () => {
    const where = compile(parseFilterParam('{"name":{"$in":["a","b"]},"created_at":{"$lt":"2025-01-01T00:00:00Z"}}'));
    expect(where).toEqual(q('(name = ANY($1) AND created_at < $2)', ['a', 'b'], new Date('2025-01-01T00:00:00Z')));
  });

  it('never puts a value into the SQL text: every value is a bound parameter', () => {
    const hostile = "'; DROP TABLE models; --";
    const { sql, values } = compile({
      name: hostile,
      description: { $like: hostile },
      $or: [{ name: { $in: [hostile] } }],
    });
    expect(sql).not.toContain('DROP');
    expect(sql).toBe("(name = $1 AND description ILIKE $2 ESCAPE '\\' AND (name = ANY($3)))");
    expect(values).toEqual([hostile, `%${hostile}%`, [hostile]]);
  });
});
