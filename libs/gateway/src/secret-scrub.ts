import { Transform } from 'node:stream';

/**
 * The provider's key out of what its upstream sends back, should it echo it
 * (some errors do; a misbehaving or hostile upstream may in any answer).
 * The key is replaced by as many `*`, so a body keeps its length and its
 * Content-Length stays true.
 */

/** Keys shorter than this are not looked for: they would match ordinary text. */
const MIN_KEY_LENGTH = 4;

export function scrubSecret(text: string, secret: string | null): string {
  return secret && secret.length >= MIN_KEY_LENGTH && text.includes(secret)
    ? text.split(secret).join('*'.repeat(secret.length))
    : text;
}

/**
 * The same over a byte stream: a key split across chunks is caught by
 * holding back the end of a chunk while it could be the start of the key
 * (at most key length - 1 bytes, and none at all when the chunk's last byte
 * is not in the key, so an SSE event is never held back for the next one).
 */
const EMPTY = Buffer.alloc(0);

export class SecretScrubber {
  private readonly key: Buffer;
  private readonly mask: Buffer;
  private tail: Buffer = EMPTY;

  private constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
    this.mask = Buffer.alloc(this.key.length, '*');
  }

  /** A scrubber for `secret`, or null when there is nothing to look for (no key: no cost on the hot path). */
  static for(secret: string | null): SecretScrubber | null {
    return secret && secret.length >= MIN_KEY_LENGTH ? new SecretScrubber(secret) : null;
  }

  /** What of `chunk` (after what was held back) can go on now. */
  push(chunk: Buffer): Buffer {
    let data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    let copied = data !== chunk;
    for (let at = data.indexOf(this.key); at >= 0; at = data.indexOf(this.key, at + this.key.length)) {
      if (!copied) {
        data = Buffer.from(data); // the caller's chunk is not ours to change
        copied = true;
      }
      this.mask.copy(data, at);
    }
    const held = this.heldBack(data);
    this.tail = held > 0 ? Buffer.from(data.subarray(data.length - held)) : EMPTY;
    return held > 0 ? data.subarray(0, data.length - held) : data;
  }

  /** What was held back, at the end of the stream. */
  flush(): Buffer {
    const rest = this.tail;
    this.tail = EMPTY;
    return rest;
  }

  /** The length of the longest end of `data` that is a start of the key. */
  private heldBack(data: Buffer): number {
    if (data.length === 0 || this.key.indexOf(data[data.length - 1]) < 0) return 0;
    for (let n = Math.min(this.key.length - 1, data.length); n > 0; n--) {
      if (data.compare(this.key, 0, n, data.length - n) === 0) return n;
    }
    return 0;
  }
}

/** A scrubber as a stream stage, for bodies piped through as they come. */
export function scrubbingStream(scrubber: SecretScrubber): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = scrubber.push(chunk);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback) {
      const rest = scrubber.flush();
      callback(null, rest.length > 0 ? rest : undefined);
    },
  });
}
