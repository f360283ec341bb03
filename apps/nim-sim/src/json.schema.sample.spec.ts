/** The schema sampler on its own: each sample is the smallest document and ajv accepts it. */
import { Ajv } from 'ajv';
import { sampleOf, spacedJson, UnsupportedSchemaError } from './json.schema.sample.js';

const ajv = new Ajv({ strict: false, validateFormats: false });

describe('sampleOf', () => {
  it.each([
    ['a number with a negative maximum', { type: 'number', maximum: -3 }, -3],
    ['a number above an exclusive minimum', { type: 'number', exclusiveMinimum: 1 }, 1.5],
    ['an integer multiple of 3 from 4', { type: 'integer', minimum: 4, multipleOf: 3 }, 6],
    ['a nullable type list', { type: ['null', 'string'] }, null],
    ['an implied string', { minLength: 2 }, 'xx'],
    ['a date-time', { type: 'string', format: 'date-time' }, '1970-01-01T00:00:00Z'],
    ['a uuid', { type: 'string', format: 'uuid' }, '00000000-0000-4000-8000-000000000000'],
    ['an unknown format', { type: 'string', format: 'toString' }, ''],
    ['minProperties from the declared ones', { minProperties: 1, properties: { a: { const: 'x' } } }, { a: 'x' }],
    [
      'required keys without a declared schema',
      { required: ['a'], additionalProperties: { type: 'boolean' } },
      { a: false },
    ],
    ['oneOf: the first branch with the rest', { type: 'object', oneOf: [{ required: ['k'] }] }, { k: null }],
    [
      'a draft-07 tuple with additionalItems',
      { items: [{ const: 1 }], additionalItems: { const: 2 }, minItems: 3 },
      [1, 2, 2],
    ],
  ])('samples %s', (_name, schema, expected) => {
    const value = sampleOf(schema);
    expect(value).toEqual(expected);
    expect(ajv.validate(schema, value)).toBe(true);
  });

  it('keeps a required `__proto__` as a property, not the prototype', () => {
    const schema = JSON.parse('{"type":"object","required":["__proto__","constructor"]}');
    const value = sampleOf(schema) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(spacedJson(value)).toBe('{"__proto__": null, "constructor": null}');
  });

  it.each([
    ['false', false, /no document matches/],
    ['a $ref that points nowhere', { $ref: '#/$defs/none' }, /points nowhere/],
    ['a $ref into the prototype', { $ref: '#/constructor' }, /points nowhere/],
    ['nested minItems that multiply', { type: 'array', minItems: 200, items: { minItems: 200 } }, /more than 10000/],
    ['a long minLength', { minLength: 1e7 }, /longer than 10000/],
  ])('refuses %s', (_name, schema, message) => {
    expect(() => sampleOf(schema)).toThrow(UnsupportedSchemaError);
    expect(() => sampleOf(schema)).toThrow(message);
  });
});

describe('spacedJson', () => {
  it('lays JSON out with a space after each colon and comma, parseable back', () => {
    const value = { a: [1, 'two words', { b: null }], c: true };
    expect(spacedJson(value)).toBe('{"a": [1, "two words", {"b": null}], "c": true}');
    expect(JSON.parse(spacedJson(value))).toEqual(value);
  });
});
