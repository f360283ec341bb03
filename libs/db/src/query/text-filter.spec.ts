import { InvalidFilterError } from '#domain';
import { compileFilter, parseFilterParam, SqlParams, type FilterSpec } from './filter.js';
import { MAX_TEXT_FILTER_LENGTH, parseTextFilter } from './text-filter.js';

const SPEC: FilterSpec = {
  name: { column: 'name', type: 'string' },
  status: { column: 'status', type: 'enum', values: ['READY', 'FAILED', 'PENDING'] },
  entity_version: { column: 'version', type: 'int' },
  created_at: { column: 'created_at', type: 'datetime' },
  description: { column: 'description', type: 'string' },
};

const parse = (text: string) => parseTextFilter(text, 8);

/** The SQL and bound values the text form compiles to, through the same path as the API. */
function sql(text: string): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  return { sql: compileFilter(parseFilterParam(text), SPEC, params), values: params.values };
}

function textError(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFilterError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('parseTextFilter', () => {
  describe('comparisons', () => {
    it.each([
      ['name:"x"', { name: { $eq: 'x' } }],
      ['name:x', { name: { $eq: 'x' } }],
      ["name:'x y'", { name: { $eq: 'x y' } }],
      ['name~llama', { name: { $like: 'llama' } }],
      ['entity_version>500', { entity_version: { $gt: '500' } }],
      ['entity_version>=5', { entity_version: { $gte: '5' } }],
      ['entity_version<5', { entity_version: { $lt: '5' } }],
      ['entity_version<=-5', { entity_version: { $lte: '-5' } }],
      ['created_at>2025-01-01T00:00:00Z', { created_at: { $gt: '2025-01-01T00:00:00Z' } }],
      ['name : "x"', { name: { $eq: 'x' } }],
      ['description:null', { description: { $eq: null } }],
      ['description:"null"', { description: { $eq: 'null' } }],
      ['name~prefix%', { name: { $like: 'prefix%' } }],
      ['status IN (READY, "FAILED")', { status: { $in: ['READY', 'FAILED'] } }],
      ['status in(READY)', { status: { $in: ['READY'] } }],
      ['status IN ()', { status: { $in: [] } }],
      ['status NOT IN (READY,FAILED)', { status: { $nin: ['READY', 'FAILED'] } }],
      ['name:AND', { name: { $eq: 'AND' } }],
    ])('%s', (text, expected) => {
      expect(parse(text)).toEqual(expected);
    });

    it('quoted strings: a backslash takes the next character as it is', () => {
      expect(parse('name:"say \\"hi\\""')).toEqual({ name: { $eq: 'say "hi"' } });
      expect(parse("name:'it\\'s'")).toEqual({ name: { $eq: "it's" } });
      expect(parse('name:"a\\\\b"')).toEqual({ name: { $eq: 'a\\b' } });
      expect(parse('name:"(a, b) OR c:d"')).toEqual({ name: { $eq: '(a, b) OR c:d' } });
      expect(parse('name:""')).toEqual({ name: { $eq: '' } });
    });
  });

  describe('AND, OR, NOT and parentheses', () => {
    it('AND of distinct fields is one object, as the bracket form gives', () => {
      expect(parse('name:"x" AND entity_version>500')).toEqual({
        name: { $eq: 'x' },
        entity_version: { $gt: '500' },
      });
    });

    it('AND of the same field twice keeps both', () => {
      expect(parse('entity_version>=1 AND entity_version<5')).toEqual({
        $and: [{ entity_version: { $gte: '1' } }, { entity_version: { $lt: '5' } }],
      });
    });

    it('AND binds tighter than OR', () => {
      expect(parse('name:a OR name:b AND status:READY')).toEqual({
        $or: [{ name: { $eq: 'a' } }, { name: { $eq: 'b' }, status: { $eq: 'READY' } }],
      });
      expect(parse('(name:a OR name:b) AND status:READY')).toEqual({
        $or: [{ name: { $eq: 'a' } }, { name: { $eq: 'b' } }],
        status: { $eq: 'READY' },
      });
    });

    it('chains flatten', () => {
      expect(parse('name:a OR name:b OR name:c')).toEqual({
        $or: [{ name: { $eq: 'a' } }, { name: { $eq: 'b' } }, { name: { $eq: 'c' } }],
      });
    });

    it('- and NOT negate a comparison or a group', () => {
      expect(parse('-name:x')).toEqual({ $not: { name: { $eq: 'x' } } });
      expect(parse('NOT name:x')).toEqual({ $not: { name: { $eq: 'x' } } });
      expect(parse('not(name:x OR name:y)')).toEqual({
        $not: { $or: [{ name: { $eq: 'x' } }, { name: { $eq: 'y' } }] },
      });
      expect(parse('status:READY AND -name~tmp')).toEqual({
        status: { $eq: 'READY' },
        $not: { name: { $like: 'tmp' } },
      });
    });

    it('keywords are whole words in any case', () => {
      expect(parse('name:a and name:b')).toEqual({ $and: [{ name: { $eq: 'a' } }, { name: { $eq: 'b' } }] });
      expect(textError('name:a ANDname:b')).toMatch(/expected AND, OR or the end of the filter, found 'ANDname:b'/);
    });
  });

  describe('errors name what was expected and where (positions from 1)', () => {
    it.each([
      ['status>', "Invalid filter: expected a value after 'status>', found the end of the filter at position 8"],
      ['status> ', "Invalid filter: expected a value after 'status>', found the end of the filter at position 9"],
      ['status', "expected one of : ~ > >= < <= IN NOT IN after 'status', found the end of the filter at position 7"],
      ['status=READY', "expected one of : ~ > >= < <= IN NOT IN after 'status', found '=READY' at position 7"],
      ['status NOT READY', "after 'status', found 'NOT' at position 8"],
      [':x', "expected a field name, found ':x' at position 1"],
      ['name:x AND', 'expected a field name, found the end of the filter at position 11'],
      ['name:x name:y', "expected AND, OR or the end of the filter, found 'name:y' at position 8"],
      ['name:x)', "found ')' without a matching '(' at position 7"],
      ['(name:x', "expected ')' to close the '(' at position 1, found the end of the filter at position 8"],
      ['name:"x', 'unterminated string: no closing " at position 6'],
      ['name:"x\\"', 'unterminated string: no closing " at position 6'],
      ['status IN READY', "expected '(' after 'status IN', found 'READY' at position 11"],
      [
        'status IN (READY',
        "expected ',' or ')' in the list after 'status IN (READY', found the end of the filter at position 17",
      ],
      ['status IN (READY,)', "expected a value after 'status IN (READY,', found ')' at position 18"],
      [
        'status IN (READY FAILED)',
        "expected ',' or ')' in the list after 'status IN (READY', found 'FAILED)' at position 18",
      ],
      ['-', 'expected a field name, found the end of the filter at position 2'],
    ])('%s', (text, message) => {
      expect(textError(text)).toContain(message);
    });

    it('clips long input in messages', () => {
      expect(textError(`name:x ${'y'.repeat(5000)}`).length).toBeLessThan(200);
    });
  });

  describe('bounds', () => {
    it(`nests parentheses and negations at most 8 deep`, () => {
      expect(parse(`${'('.repeat(8)}name:x${')'.repeat(8)}`)).toEqual({ name: { $eq: 'x' } });
      expect(parse(`${'-'.repeat(8)}name:x`)).toBeDefined();
      expect(textError(`${'('.repeat(9)}name:x${')'.repeat(9)}`)).toBe(
        'Invalid filter: nested deeper than 8 levels at position 9',
      );
      expect(textError(`${'NOT '.repeat(9)}name:x`)).toBe('Invalid filter: nested deeper than 8 levels at position 33');
    });

    it('refuses input longer than the limit; at the limit, a pathological one is refused without deep recursion', () => {
      expect(textError(`name:${'x'.repeat(MAX_TEXT_FILTER_LENGTH)}`)).toMatch(/longer than 16384 characters/);
      for (const text of ['('.repeat(MAX_TEXT_FILTER_LENGTH), '-'.repeat(MAX_TEXT_FILTER_LENGTH)]) {
        expect(textError(text)).toMatch(/nested deeper than 8 levels at position 9/);
      }
      expect(textError(`name:"${'\\'.repeat(MAX_TEXT_FILTER_LENGTH - 7)}"`)).toMatch(/unterminated string/);
    });

    it('parses the longest chain in one linear pass', () => {
      const terms = Math.floor(MAX_TEXT_FILTER_LENGTH / 'name:x OR '.length);
      const text = Array.from({ length: terms }, () => 'name:x').join(' OR ');
      expect((parse(text).$or as unknown[]).length).toBe(terms);
    });
  });
});

describe('the text form compiles to the same parameterised SQL as the JSON form', () => {
  it.each([
    ['name:"x" AND entity_version>500', '{"name":{"$eq":"x"},"entity_version":{"$gt":500}}'],
    [
      'status IN (READY, FAILED) OR -name~tmp',
      '{"$or":[{"status":{"$in":["READY","FAILED"]}},{"$not":{"name":{"$like":"tmp"}}}]}',
    ],
    ['created_at<2025-01-01 AND description:null', '{"created_at":{"$lt":"2025-01-01"},"description":null}'],
  ])('%s', (text, json) => {
    expect(sql(text)).toEqual(sql(json));
  });

  it('keeps every value out of the SQL text', () => {
    expect(sql(`name:"'; DROP TABLE models; --" OR name~"x' OR '1'='1"`)).toEqual({
      sql: "(name = $1 OR name ILIKE $2 ESCAPE '\\')",
      values: ["'; DROP TABLE models; --", "%x' OR '1'='1%"],
    });
  });

  it('checks fields and values as the JSON form does', () => {
    expect(() => sql('colour:red')).toThrow("unknown field 'colour'");
    expect(() => sql('__proto__:x')).toThrow("unknown field '__proto__'");
    expect(() => sql('entity_version>999999999999999')).toThrow(
      "field 'entity_version' takes an integer from -2147483648 to 2147483647; got '999999999999999'",
    );
    expect(() => sql('status:BOGUS')).toThrow("must be one of READY, FAILED, PENDING; got 'BOGUS'");
  });
});
