/**
 * Reads an OpenAI chat or text completion request into what the simulator
 * needs to answer it. Checks run in vLLM's order: JSON, model, body, length.
 */
import { ApiError, badRequest, modelNotFound } from './api.error.js';
import { parseResponseFormat, type ResponseFormat } from './json.answer.js';
import { PromptDigest } from './text.generator.js';

export type Endpoint = 'chat' | 'completion';

export interface GenerationRequest {
  endpoint: Endpoint;
  /** As requested: responses echo it. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** `length` when the answer was cut at max_tokens (or the context), `stop` for the default length. */
  finishReason: 'length' | 'stop';
  /** The most tokens an answer may have: max_tokens, else what the context leaves. */
  tokenLimit: number;
  /** Chat: the text of the last `user` message (its text parts joined by newlines); null when there is none. */
  lastUserText: string | null;
  /** A JSON response_format; null for none or `text`. */
  responseFormat: ResponseFormat | null;
  stream: boolean;
  includeUsage: boolean;
  /** Seeds the answer: a hash of the model and the prompt. */
  seed: number;
}

export interface ModelLookup {
  readonly baseModel: string;
  readonly maxModelLen: number;
  isServed(id: string): boolean;
}

/** The answer's length when the request sets no max_tokens. */
export const DEFAULT_MAX_TOKENS = 16;

export type Json = Record<string, unknown>;

export function parseGenerationRequest(endpoint: Endpoint, raw: string, models: ModelLookup): GenerationRequest {
  const body = parseJson(raw);
  const model = body.model ?? models.baseModel;
  if (typeof model !== 'string') throw badRequest('`model` must be a string');
  if (!models.isServed(model)) throw modelNotFound(model);

  const digest = new PromptDigest().mix(model);
  const lastUserText = endpoint === 'chat' ? digestMessages(body.messages, digest) : null;
  if (endpoint === 'completion') digestPrompt(body.prompt, digest);

  const requested = endpoint === 'chat' ? (body.max_completion_tokens ?? body.max_tokens) : body.max_tokens;
  const room = models.maxModelLen - digest.words;
  let completionTokens: number;
  let finishReason: 'length' | 'stop';
  if (requested === undefined || requested === null) {
    completionTokens = Math.min(DEFAULT_MAX_TOKENS, room);
    finishReason = completionTokens < DEFAULT_MAX_TOKENS ? 'length' : 'stop';
  } else if (typeof requested === 'number' && Number.isInteger(requested) && requested >= 1) {
    completionTokens = requested;
    finishReason = 'length';
  } else {
    throw badRequest('`max_tokens` must be an integer >= 1');
  }
  if (completionTokens < 1 || completionTokens > room)
    throw contextExceeded(models.maxModelLen, digest.words, completionTokens);

  const stream = body.stream ?? false;
  if (typeof stream !== 'boolean') throw badRequest('`stream` must be a boolean');
  const options = body.stream_options as Json | null | undefined;
  const responseFormat = parseResponseFormat(body.response_format);
  return {
    endpoint,
    model,
    promptTokens: digest.words,
    completionTokens,
    finishReason,
    tokenLimit: requested === undefined || requested === null ? room : completionTokens,
    lastUserText,
    responseFormat,
    stream,
    includeUsage: stream && typeof options === 'object' && options !== null && options.include_usage === true,
    seed: digest.hash,
  };
}

export function parseJson(raw: string): Json {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw badRequest(`Invalid JSON in request body: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('Request body must be a JSON object');
  return body as Json;
}

/** Digests the messages; returns the last user message's text. */
function digestMessages(messages: unknown, digest: PromptDigest): string | null {
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('`messages` must be a non-empty array');
  let lastUserText: string | null = null;
  for (const message of messages as unknown[]) {
    if (typeof message !== 'object' || message === null || typeof (message as Json).role !== 'string') {
      throw badRequest('each message must be an object with a string `role`');
    }
    const { role, content } = message as Json;
    digest.mix(role as string);
    const texts: string[] = [];
    if (typeof content === 'string') {
      digest.add(content);
      texts.push(content);
    } else if (Array.isArray(content)) for (const part of content) digestPart(part, digest, texts);
    else if (content !== undefined && content !== null)
      throw badRequest('message `content` must be a string or an array of parts');
    if (role === 'user') lastUserText = texts.join('\n');
  }
  return lastUserText;
}

/** Text parts count as prompt words; other parts (images, audio) only shape the answer. */
function digestPart(part: unknown, digest: PromptDigest, texts: string[]): void {
  if (typeof part !== 'object' || part === null) throw badRequest('content parts must be objects');
  const { type, text } = part as Json;
  if (typeof text === 'string') {
    digest.add(text);
    texts.push(text);
  } else {
    digest.mix(typeof type === 'string' ? type : '');
  }
}

function digestPrompt(prompt: unknown, digest: PromptDigest): void {
  // One prompt per request: a batch would need one choice per prompt, which the simulator does not answer.
  const single = Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] !== 'number' ? prompt[0] : prompt;
  if (typeof single === 'string') {
    digest.add(single);
  } else if (Array.isArray(single) && single.length > 0 && single.every((t) => Number.isInteger(t))) {
    for (const id of single as number[]) digest.addToken(id);
  } else {
    throw badRequest('`prompt` must be a string or an array of token ids (batched prompts are not simulated)');
  }
}

function contextExceeded(maxModelLen: number, promptTokens: number, completionTokens: number): ApiError {
  return badRequest(
    `This model's maximum context length is ${maxModelLen} tokens. However, you requested ` +
      `${promptTokens + completionTokens} tokens (${promptTokens} in the messages, ${completionTokens} in the ` +
      'completion). Please reduce the length of the messages or completion.',
  );
}
