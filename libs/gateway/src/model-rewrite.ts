import { usageOf, type Usage } from './usage.js';

/**
 * The model name in bodies: the served name upstream, the entity's
 * `workspace/name` towards the client (the reference's §6 pipeline, steps 8-9).
 */

/** Sets `model` to what the client sees, where OpenAI-style bodies carry it: top level, `message`, `response`. */
export function rewriteModel(body: Record<string, unknown>, model: string): void {
  if ('model' in body) body.model = model;
  for (const key of ['message', 'response']) {
    const inner = body[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && 'model' in inner) {
      (inner as Record<string, unknown>).model = model;
    }
  }
}

/** An upstream error's text with the served name replaced by the entity's, so clients never see the backend's. */
export function scrubServedName(text: string, servedName: string, entityRef: string): string {
  return servedName && servedName !== entityRef ? text.split(servedName).join(entityRef) : text;
}

/**
 * Splits an SSE byte stream into events and rewrites the model of each JSON
 * `data:` event. Events that are not JSON objects (`[DONE]`, comments) pass
 * through as they came. Handles events split across chunks and CRLF line ends.
 * Reads the stream's `usage` (the last chunk's, when asked for); with
 * `stripUsage` (the gateway asked for it, the client did not) the usage-only
 * chunk is dropped and the `usage` field taken out of the others, so the
 * client gets what it would have without the gateway's asking.
 */
export class SseModelRewriter {
  private buffered = '';
  private readonly decoder = new TextDecoder();

  /** The upstream sent `data: [DONE]`: the stream ended as OpenAI streams end. */
  done = false;
  /** The last `usage` object the stream carried. */
  usage: Usage | undefined;

  constructor(
    private readonly model: string,
    private readonly stripUsage = false,
  ) {}

  /** The complete events in `chunk` (and what was buffered), rewritten; '' when none completed. */
  push(chunk: Uint8Array): string {
    this.buffered += this.decoder.decode(chunk, { stream: true });
    let out = '';
    for (;;) {
      const end = eventEnd(this.buffered);
      if (end === null) break;
      const event = this.rewriteEvent(this.buffered.slice(0, end.at));
      if (event !== null) out += event + '\n\n';
      this.buffered = this.buffered.slice(end.at + end.length);
    }
    return out;
  }

  /** What is left when the stream ends: an event without its blank line (passed on as it is). */
  flush(): string {
    const rest = this.buffered + this.decoder.decode();
    this.buffered = '';
    const event = rest.trim() ? this.rewriteEvent(rest.replace(/(\r?\n)+$/, '')) : null;
    return event === null ? '' : event + '\n\n';
  }

  /** One event (without its blank line), its JSON data's model rewritten; null: not for the client. */
  private rewriteEvent(event: string): string | null {
    const lines = event.split(/\r?\n/);
    const dataLines = lines.filter((l) => l.startsWith('data:'));
    if (dataLines.length === 0) return lines.join('\n');
    const data = dataLines.map((l) => l.slice(l.startsWith('data: ') ? 6 : 5)).join('\n');
    if (data === '[DONE]') this.done = true;
    let parsed: unknown;
    try {
      parsed = data.startsWith('{') ? JSON.parse(data) : undefined;
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return lines.join('\n');
    const chunk = parsed as Record<string, unknown>;
    if ('usage' in chunk) {
      this.usage = usageOf(chunk) ?? this.usage;
      if (this.stripUsage) {
        // The usage-only chunk (no choices) exists because the gateway asked for it.
        if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return null;
        delete chunk.usage;
      }
    }
    rewriteModel(chunk, this.model);
    let rewritten: string;
    try {
      rewritten = JSON.stringify(parsed);
    } catch {
      // Nested too deep to serialise (JSON.parse is iterative, JSON.stringify recursive): passed on as it came.
      return lines.join('\n');
    }
    const others = lines.filter((l) => !l.startsWith('data:'));
    return [...others, `data: ${rewritten}`].join('\n');
  }
}

function eventEnd(text: string): { at: number; length: number } | null {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf < 0 && crlf < 0) return null;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}
