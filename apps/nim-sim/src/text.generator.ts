/**
 * Deterministic "generation": the answer is a function of the model id and
 * the prompt, so the same request always gets the same text, and a longer
 * max_tokens extends the shorter answer (as greedy decoding would).
 *
 * A token is a whitespace-separated word, for prompts and answers alike:
 * runs of characters above U+0020 between ASCII whitespace/control
 * characters. Every generated word is a single token by that rule.
 */

const VOCABULARY = (
  'the model serves tokens quickly and a simulator answers every request with words from its prompt hash so ' +
  'tests can predict what comes back gpu memory stays free while pipelines rehearse rollouts of new configs on ' +
  'plain cpus inference gateway routes traffic to adapters deployed by control plane ready live stream chunk done ' +
  'latency throughput batch cache context length lora weights nim llama instruct'
).split(' ');

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A running FNV-1a hash and word count over the parts of a prompt. */
export class PromptDigest {
  hash = FNV_OFFSET;
  words = 0;

  /** Adds one part (a message content, a prompt); parts never join into one word. */
  add(text: string): this {
    return this.digest(text, true);
  }

  /** Mixes text into the hash without counting it as prompt words (the model id, a role). */
  mix(text: string): this {
    return this.digest(text, false);
  }

  /** Adds a token id (prompts given as token arrays); one id is one token. */
  addToken(id: number): this {
    this.hash = Math.imul(this.hash ^ (id & 0xffffffff), FNV_PRIME);
    this.words++;
    return this;
  }

  private digest(text: string, count: boolean): this {
    let hash = this.hash;
    let words = 0;
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      hash = Math.imul(hash ^ c, FNV_PRIME);
      if (c > 32) {
        if (!inWord) words++;
        inWord = true;
      } else {
        inWord = false;
      }
    }
    // A separator, so ["ab", "c"] and ["a", "bc"] hash apart.
    this.hash = Math.imul(hash ^ 0xff, FNV_PRIME);
    if (count) this.words += words;
    return this;
  }
}

/** The words of an answer: `count` of them, chosen by a xorshift generator seeded from the digest. */
export function generateWords(seed: number, count: number): string[] {
  const words = new Array<string>(count);
  let x = seed | 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = VOCABULARY[(x >>> 0) % VOCABULARY.length];
  }
  return words;
}

/** Words as a stream sends them: the first bare, the rest with a leading space, so they concatenate to the text. */
export function streamPieces(words: readonly string[]): string[] {
  return words.map((w, i) => (i === 0 ? w : ' ' + w));
}

/**
 * Any text as stream pieces: one per token (by the rule above), each with
 * the whitespace before it, so they concatenate back to the text less its
 * trailing whitespace, and their count is the text's token count.
 */
export function textPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const word = text.charCodeAt(i) > 32;
    if (inWord && !word) {
      pieces.push(text.slice(start, i));
      start = i;
    }
    inWord = word;
  }
  if (inWord) pieces.push(text.slice(start));
  return pieces;
}
