/**
 * Reads an OpenAI `/v1/embeddings` request, with NIM's `input_type` and
 * `truncate` extensions. The work is bounded: at most MAX_EMBEDDING_INPUTS
 * texts, each at most the model's context length (NIM_MAX_MODEL_LEN) in
 * tokens, on top of the 16 MiB body limit.
 */
import { ApiError, badRequest, modelNotFound } from './api.error.js';
import { parseJson, type ModelLookup } from './openai.request.js';
import { textPieces } from './text.generator.js';

/** OpenAI's limit on the texts of one request. */
export const MAX_EMBEDDING_INPUTS = 2048;

export interface EmbeddingsRequest {
  /** As requested: the answer echoes it. */
  model: string;
  /** The texts, already truncated when `truncate` asked for it. */
  inputs: string[];
  promptTokens: number;
  dimensions: number;
  encoding: 'float' | 'base64';
}

type Truncate = 'NONE' | 'START' | 'END';

export function parseEmbeddingsRequest(raw: string, models: ModelLookup, maxDimensions: number): EmbeddingsRequest {
  const body = parseJson(raw);
  const model = body.model ?? models.baseModel;
  if (typeof model !== 'string') throw badRequest('`model` must be a string');
  if (!models.isServed(model)) throw modelNotFound(model);

  const encoding = optional(body, 'encoding_format', ['float', 'base64'] as const) ?? 'float';
  optional(body, 'input_type', ['query', 'passage'] as const);
  const truncate: Truncate = optional(body, 'truncate', ['NONE', 'START', 'END'] as const) ?? 'NONE';
  const dimensions = body.dimensions ?? maxDimensions;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > maxDimensions)
    throw badRequest(`\`dimensions\` must be an integer from 1 to ${maxDimensions}`);

  const texts = inputsOf(body.input);
  let promptTokens = 0;
  const inputs = texts.map((text, i) => {
    const pieces = textPieces(text);
    if (pieces.length <= models.maxModelLen) {
      promptTokens += pieces.length;
      return text;
    }
    if (truncate === 'NONE') throw tooLong(models.maxModelLen, pieces.length, texts.length === 1 ? null : i);
    promptTokens += models.maxModelLen;
    const kept = truncate === 'END' ? pieces.slice(0, models.maxModelLen) : pieces.slice(-models.maxModelLen);
    return kept.join('').trimStart();
  });
  return { model, inputs, promptTokens, dimensions, encoding };
}

function inputsOf(input: unknown): string[] {
  const shape = '`input` must be a string or an array of strings (token-id arrays are not simulated)';
  if (typeof input === 'string') {
    if (input === '') throw badRequest('`input` must not be empty');
    return [input];
  }
  if (!Array.isArray(input)) throw badRequest(shape);
  if (input.length === 0) throw badRequest('`input` must not be an empty array');
  if (input.length > MAX_EMBEDDING_INPUTS)
    throw badRequest(`\`input\` holds ${input.length} texts; at most ${MAX_EMBEDDING_INPUTS} are allowed`);
  for (const [i, text] of input.entries()) {
    if (typeof text !== 'string') throw badRequest(`${shape}; \`input[${i}]\` is not a string`);
    if (text === '') throw badRequest(`\`input[${i}]\` must not be empty`);
  }
  return input as string[];
}

/** A field that may be absent (or null) or one of `values`. */
function optional<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw badRequest(`\`${field}\` must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
}

/** vLLM's wording, with the offending text's index when there are several. */
function tooLong(maxModelLen: number, tokens: number, index: number | null): ApiError {
  return badRequest(
    `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${tokens} tokens in ` +
      `${index === null ? '`input`' : `\`input[${index}]\``} for embedding generation. Please reduce the length ` +
      'of the input, or set `truncate` to "START" or "END".',
  );
}
