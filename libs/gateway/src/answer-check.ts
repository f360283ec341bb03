import { createHash } from 'node:crypto';
import { Validator } from '@cfworker/json-schema';

/**
 * Escalation's check of a JSON answer: the request's `response_format`
 * (`json_schema` with a schema, or `json_object`) says what a good answer
 * is. The schema is the caller's, so it is interpreted, never compiled to
 * code (ajv generates JavaScript from a schema and treats schemas as trusted
 * code: not for a request's), by @cfworker/json-schema, and without the
 * keywords that run regular expressions (`pattern`, `patternProperties`,
 * `format`), so no schema and no answer can make the check slow. Schemas are
 * bounded in size (and in depth, by the request body's depth limit) and
 * their validators cached.
 */
const MAX_SCHEMA_BYTES = 64 * 1024;
const compiled = new Map<string, Validator | null>();

export type AnswerCheck = (value: unknown) => string | null;

/** The check for a request, or null when it asks for no JSON (or streams: escalation is for whole answers). */
export function answerCheckFor(body: Record<string, unknown>): AnswerCheck | null {
  if (body.stream === true) return null;
  const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (!format || typeof format !== 'object') return null;
  if (format.type === 'json_object') {
    return (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'the answer is not a JSON object');
  }
  if (format.type !== 'json_schema') return null;
  const schema = format.json_schema?.schema;
  const validator = schema && typeof schema === 'object' ? compile(schema) : null;
  return (v) => {
    if (!validator) return null; // the schema could not be read: parsing is the check
    let result: ReturnType<Validator['validate']>;
    try {
      result = validator.validate(v);
    } catch {
      return null; // a reference the schema cannot resolve (a remote $ref): parsing is the check
    }
    if (result.valid) return null;
    // The innermost error says the most: the library lists the enclosing keywords' errors first.
    const e = result.errors[result.errors.length - 1];
    const where = e ? e.instanceLocation.replace(/^#/, '') || '/' : '/';
    return `the answer does not match the schema (${e ? `${where}: ${e.error}` : 'invalid'})`;
  };
}

/** Why an assistant answer fails the check, or null when it passes. */
export function judgeAnswer(answer: Record<string, unknown>, check: AnswerCheck): string | null {
  const choices = answer.choices;
  const content = Array.isArray(choices)
    ? (choices[0] as { message?: { content?: unknown } })?.message?.content
    : undefined;
  if (typeof content !== 'string') return 'the answer has no text content';
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return 'the answer is not JSON';
  }
  return check(value);
}

function compile(schema: object): Validator | null {
  const text = JSON.stringify(schema);
  if (Buffer.byteLength(text) > MAX_SCHEMA_BYTES) return null;
  const key = createHash('sha256').update(text).digest('hex');
  if (compiled.has(key)) return compiled.get(key) ?? null;
  let validator: Validator | null;
  try {
    validator = new Validator(withoutRegexes(JSON.parse(text) as unknown) as object, '2020-12', true);
  } catch {
    validator = null;
  }
  if (compiled.size >= 256) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, validator);
  return validator;
}

const REGEX_KEYWORDS = new Set(['pattern', 'patternProperties', 'format', '$id', '$schema']);
/** Keywords whose value maps names to schemas: the names are data, not keywords. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'dependentSchemas']);

function withoutRegexes(value: unknown, namesToSchemas = false): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutRegexes(v));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (namesToSchemas) out[k] = withoutRegexes(v);
    else if (!REGEX_KEYWORDS.has(k)) out[k] = withoutRegexes(v, SCHEMA_MAPS.has(k));
  }
  return out;
}
