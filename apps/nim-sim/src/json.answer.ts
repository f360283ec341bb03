/**
 * Answers to `response_format` json_object / json_schema requests, in the
 * three SIM_JSON_MODEs: `valid` (a minimal document that matches the
 * schema: json.schema.sample.ts builds it, ajv confirms it), `invalid` (a
 * chatty sentence that is not JSON) and `mismatch` (JSON that ajv rejects).
 * The schema is compiled once per distinct schema; answers are cached.
 */
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ApiError, badRequest } from './api.error.js';
import { sampleOf, spacedJson, UnsupportedSchemaError } from './json.schema.sample.js';
import type { JsonMode } from './sim.config.js';

export type ResponseFormat = { type: 'json_object' } | { type: 'json_schema'; schema: Record<string, unknown> };

/** What a model that ignores the format says: starts like JSON, never is. */
export const INVALID_JSON_TEXT = 'Sure! Here is the JSON you asked for: {';

const SCHEMA_FIELD = '`response_format.json_schema.schema`';
/** A bigger schema is a test of something else; compiling it would cost more than answering. */
export const MAX_SCHEMA_CHARS = 64 * 1024;
const CACHED_ANSWERS = 128;

/** Tried in order for `mismatch`: `{}` fails a schema with required properties, the rest are wrong types. */
const MISMATCH_CANDIDATES: unknown[] = [{}, [], 'mismatch', 0.5, true, null];

const OBJECT_SCHEMA = { type: 'object' };

export function parseResponseFormat(value: unknown): ResponseFormat | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw badRequest('`response_format` must be an object');
  switch (value.type) {
    case 'text':
      return null;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const spec = value.json_schema;
      if (!isObject(spec)) throw badRequest('`response_format.json_schema` must be an object');
      if (!isObject(spec.schema)) throw badRequest(`${SCHEMA_FIELD} must be an object (a JSON Schema)`);
      return { type: 'json_schema', schema: spec.schema };
    }
    default:
      throw badRequest('`response_format.type` must be one of "text", "json_object", "json_schema"');
  }
}

/** Draft 2020-12 (zod 4's `$schema`) needs its own ajv class; everything else is read as draft-07, ajv's default. */
const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

export class JsonAnswers {
  // Formats are not checked: ajv without ajv-formats would refuse them; the samples use valid values anyway.
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, logger: false });
  private readonly ajv2020 = new Ajv2020({ strict: false, validateFormats: false, logger: false });
  /** By schema text: the answer, or the 400 the schema earns. */
  private readonly answers = new Map<string, string | ApiError>();

  constructor(private readonly mode: JsonMode) {}

  /** The answer's content; throws a 400 ApiError for a schema that cannot be compiled or sampled. */
  content(format: ResponseFormat): string {
    const schema = format.type === 'json_schema' ? format.schema : OBJECT_SCHEMA;
    const key = JSON.stringify(schema);
    if (key.length > MAX_SCHEMA_CHARS)
      throw badRequest(`${SCHEMA_FIELD} is longer than ${MAX_SCHEMA_CHARS} characters`);
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = this.answer(schema);
      if (this.answers.size >= CACHED_ANSWERS) this.answers.delete(this.answers.keys().next().value as string);
      this.answers.set(key, answer);
    }
    if (answer instanceof ApiError) throw answer;
    return answer;
  }

  private answer(schema: Record<string, unknown>): string | ApiError {
    const ajv = typeof schema.$schema === 'string' && DRAFT_2020.test(schema.$schema) ? this.ajv2020 : this.ajv;
    let validate: (data: unknown) => boolean;
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return badRequest(`${SCHEMA_FIELD} is not a JSON Schema ajv can compile: ${(error as Error).message}`);
    } finally {
      // Ajv keeps every compiled schema (and claims its $id); requests would grow that store forever.
      ajv.removeSchema(schema);
    }
    if (this.mode === 'invalid') return INVALID_JSON_TEXT;
    if (this.mode === 'mismatch') {
      const wrong = MISMATCH_CANDIDATES.find((candidate) => !validate(candidate));
      // A schema that accepts every document cannot be mismatched; text that is not JSON is the nearest failure.
      return wrong === undefined ? INVALID_JSON_TEXT : spacedJson(wrong);
    }
    let sample: unknown;
    let valid: boolean;
    try {
      sample = sampleOf(schema);
      valid = validate(sample);
    } catch (error) {
      // Whatever a schema does to the sampler, the caller gets a 400, never a crashed simulator.
      const reason = error instanceof UnsupportedSchemaError ? `it ${error.message}` : String(error);
      return badRequest(`nim-sim cannot build a document for ${SCHEMA_FIELD}: ${reason}`);
    }
    if (!valid)
      return badRequest(
        `nim-sim cannot build a document for ${SCHEMA_FIELD} (it does not solve pattern, not, if/then or ` +
          `uniqueItems): its attempt ${JSON.stringify(sample).slice(0, 200)} fails the schema`,
      );
    return spacedJson(sample);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
