/** The `/v1/embeddings` answer, in OpenAI's shape. */
import { base64Vector, embedText } from './embedding.vectors.js';
import type { EmbeddingsRequest } from './embeddings.request.js';

export function embeddingsBody({ model, inputs, promptTokens, dimensions, encoding }: EmbeddingsRequest): string {
  const data = inputs.map((text, index) => {
    // Float32, as a real server sends them: a float answer and a decoded base64 one are then equal.
    const vector = embedText(text, dimensions).map(Math.fround);
    return { object: 'embedding', index, embedding: encoding === 'base64' ? base64Vector(vector) : vector };
  });
  return JSON.stringify({
    object: 'list',
    data,
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
