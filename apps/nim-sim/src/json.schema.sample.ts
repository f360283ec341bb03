/**
 * The smallest JSON document a schema accepts, built from the schema rather
 * than searched for: an object has its required properties (and more when
 * minProperties asks), an array its minItems, a string its minLength (or a
 * sample of its format), a number its lower bound, an enum its first value,
 * a const itself; anyOf/oneOf take the first branch, allOf merges. Patterns,
 * `not`, if/then and uniqueItems are not solved: json.answer.ts checks every
 * sample with ajv and refuses a schema whose sample does not validate.
 */

type Schema = Record<string, unknown>;

export class UnsupportedSchemaError extends Error {}

/** Recursion bound: a schema that requires itself (a linked list with a required `next`) has no finite document. */
const MAX_DEPTH = 32;
/** Size bounds, so `minItems: 1e9` (or nested minItems that multiply) is a 400, not a full heap. */
const MAX_VALUES = 10_000;
const MAX_STRING = 10_000;

interface Walk {
  root: unknown;
  /** Values generated so far. */
  values: number;
}

/** Values of the formats ajv-formats knows best, so a client that checks formats accepts them too. */
const FORMAT_SAMPLES = new Map<string, string>([
  ['date-time', '1970-01-01T00:00:00Z'],
  ['date', '1970-01-01'],
  ['time', '00:00:00Z'],
  ['email', 'user@example.com'],
  ['hostname', 'example.com'],
  ['ipv4', '127.0.0.1'],
  ['ipv6', '::1'],
  ['uri', 'https://example.com/'],
  ['url', 'https://example.com/'],
  ['uuid', '00000000-0000-4000-8000-000000000000'],
]);

export function sampleOf(schema: unknown): unknown {
  return sample(schema, { root: schema, values: 0 }, 0);
}

function sample(schema: unknown, walk: Walk, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new UnsupportedSchemaError(`nests deeper than ${MAX_DEPTH} levels`);
  if (++walk.values > MAX_VALUES) throw new UnsupportedSchemaError(`needs more than ${MAX_VALUES} values`);
  if (schema === true) return null;
  if (schema === false) throw new UnsupportedSchemaError('is `false` somewhere, which no document matches');
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new UnsupportedSchemaError('holds a subschema that is not an object');
  let s = schema as Schema;
  if (typeof s.$ref === 'string') return sample(resolve(s.$ref, walk.root), walk, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.allOf)) s = merge(s, s.allOf);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const { [key]: _branches, ...rest } = s;
      return sample(merge(rest, [branches[0]]), walk, depth + 1);
    }
  }
  switch (typeOf(s)) {
    case 'object':
      return objectSample(s, walk, depth);
    case 'array':
      return arraySample(s, walk, depth);
    case 'string':
      return stringSample(s);
    case 'integer':
      return numberSample(s, true);
    case 'number':
      return numberSample(s, false);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The declared type (the first, when several are allowed), else the one the keywords imply. */
function typeOf(s: Schema): string {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (typeof type === 'string') return type;
  if ('properties' in s || 'required' in s || 'additionalProperties' in s) return 'object';
  if ('items' in s || 'prefixItems' in s || 'minItems' in s) return 'array';
  if ('minLength' in s || 'format' in s || 'pattern' in s) return 'string';
  if ('minimum' in s || 'maximum' in s || 'exclusiveMinimum' in s || 'multipleOf' in s) return 'number';
  return 'null';
}

function objectSample(s: Schema, walk: Walk, depth: number): Record<string, unknown> {
  const properties = isObject(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string') : [];
  const keys = [...new Set(required)];
  const minProperties = typeof s.minProperties === 'number' ? s.minProperties : 0;
  for (const key of Object.keys(properties)) if (keys.length < minProperties && !keys.includes(key)) keys.push(key);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const fallback = isObject(s.additionalProperties) ? s.additionalProperties : {};
    const value = sample(Object.hasOwn(properties, key) ? properties[key] : fallback, walk, depth + 1);
    // Defined, not assigned: a required `__proto__` is a property like any other, not the prototype.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function arraySample(s: Schema, walk: Walk, depth: number): unknown[] {
  const minItems = typeof s.minItems === 'number' ? s.minItems : 0;
  // Tuples: draft 2020-12's `prefixItems` then `items`, or draft-07's `items` as an array then `additionalItems`.
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const rest = Array.isArray(s.prefixItems)
    ? (s.items ?? {})
    : Array.isArray(s.items)
      ? (s.additionalItems ?? {})
      : (s.items ?? {});
  const length = Math.max(minItems, tuple.length);
  if (length > MAX_VALUES) throw new UnsupportedSchemaError(`needs more than ${MAX_VALUES} values`);
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(sample(i < tuple.length ? tuple[i] : rest, walk, depth + 1));
  return out;
}

function stringSample(s: Schema): string {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  if (minLength > MAX_STRING) throw new UnsupportedSchemaError(`needs a string longer than ${MAX_STRING}`);
  const base = typeof s.format === 'string' ? (FORMAT_SAMPLES.get(s.format) ?? '') : '';
  return base.length >= minLength ? base : base + 'x'.repeat(minLength - base.length);
}

function numberSample(s: Schema, integer: boolean): number {
  const num = (key: string): number | null => (typeof s[key] === 'number' ? (s[key] as number) : null);
  const minimum = num('minimum');
  const exclusive = num('exclusiveMinimum');
  const maximum = num('maximum');
  let value = 0;
  if (minimum !== null) value = minimum;
  if (exclusive !== null && value <= exclusive) value = exclusive + (integer ? 1 : 0.5);
  if (minimum === null && exclusive === null && maximum !== null && maximum < 0) value = maximum;
  if (integer) value = Math.ceil(value);
  const multipleOf = num('multipleOf');
  if (multipleOf !== null && multipleOf > 0) value = Math.ceil(value / multipleOf) * multipleOf;
  return value;
}

/** The schema with allOf's (or one branch's) keywords folded in: properties and required add up, the rest is overwritten. */
function merge(base: Schema, parts: unknown[]): Schema {
  const { allOf: _allOf, ...out } = base;
  for (const part of parts) {
    if (!isObject(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === '__proto__') continue;
      if (key === 'properties' && isObject(out.properties) && isObject(value))
        out.properties = { ...out.properties, ...value };
      else if (key === 'required' && Array.isArray(out.required) && Array.isArray(value))
        out.required = [...out.required, ...value];
      else out[key] = value;
    }
  }
  return out;
}

/** A local reference (`#`, `#/$defs/x`, `#/definitions/x`); a remote one would need a fetch the simulator does not do. */
function resolve(ref: string, root: unknown): unknown {
  if (ref !== '#' && !ref.startsWith('#/')) throw new UnsupportedSchemaError(`has a non-local $ref ${ref}`);
  let node: unknown = root;
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !Object.hasOwn(node, key))
      throw new UnsupportedSchemaError(`has a $ref ${ref} that points nowhere`);
    node = node[key];
  }
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON with a space after each `:` and `,` (Python's json.dumps layout), so
 * the document is several tokens by the simulator's whitespace rule: it
 * streams over several chunks and max_tokens can cut it, as a model's would.
 */
export function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (isObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}
