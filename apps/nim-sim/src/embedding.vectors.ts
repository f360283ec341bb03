/**
 * Deterministic embeddings without a model: feature hashing. Each lowercased
 * word (a run of letters or digits) adds ±1 to one dimension and each pair
 * of neighbouring words ±0.5 to another, chosen by a hash of the feature;
 * the sum is L2-normalised. Texts that share words share dimensions, so
 * cosine similarity follows word overlap, which is what a router's
 * threshold test needs; the vector depends on nothing but the text and the
 * dimension count, so it is the same across restarts and simulators.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const BIGRAM_WEIGHT = 0.5;

function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** Adds one feature: the hash picks the dimension, a second mix of it the sign (so collisions cancel as often as they add). */
function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
  vector[hash % vector.length] += mixed & 1 ? weight : -weight;
}

export function embedText(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    addFeature(vector, words[i], 1);
    // The separator cannot occur inside a word, so a bigram never hashes like a word.
    if (i > 0) addFeature(vector, `${words[i - 1]} ${words[i]}`, BIGRAM_WEIGHT);
  }
  // Punctuation only ("?!"): the text itself is the one feature, so the vector is still a unit vector.
  if (words.length === 0) addFeature(vector, text.trim(), 1);
  let norm = 0;
  for (const x of vector) norm += x * x;
  // Features that cancel out exactly leave nothing to normalise; a fixed unit vector keeps cosine defined.
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  const scale = 1 / Math.sqrt(norm);
  return Array.from(vector, (x) => x * scale);
}

/** OpenAI's `encoding_format: base64`: the vector as little-endian float32, base64-encoded. */
export function base64Vector(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i], i * 4);
  return buffer.toString('base64');
}
