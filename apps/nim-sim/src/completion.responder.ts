/** Non-streaming answers: one `chat.completion` or `text_completion` JSON body. */
import type { GenerationRequest } from './openai.request.js';

export interface Answer {
  id: string;
  /** Seconds since the epoch. */
  created: number;
  request: GenerationRequest;
  /** The answer's tokens as stream pieces: they concatenate to its text. */
  pieces: string[];
}

export const SYSTEM_FINGERPRINT = 'nim-sim';

export function usageOf({ promptTokens, completionTokens }: GenerationRequest): Record<string, number> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

export function completionBody({ id, created, request, pieces }: Answer): string {
  const text = pieces.join('');
  const choice =
    request.endpoint === 'chat'
      ? { index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: request.finishReason }
      : { index: 0, text, logprobs: null, finish_reason: request.finishReason };
  return JSON.stringify({
    id,
    object: request.endpoint === 'chat' ? 'chat.completion' : 'text_completion',
    created,
    model: request.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [choice],
    usage: usageOf(request),
  });
}
