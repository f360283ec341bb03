/** An OpenAI `usage` object as upstreams send it (fields read defensively: they are the upstream's text). */
export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** `answer.usage` when it is an object. */
export function usageOf(answer: Record<string, unknown> | null | undefined): Usage | undefined {
  const usage = answer?.usage;
  return typeof usage === 'object' && usage !== null && !Array.isArray(usage) ? (usage as Usage) : undefined;
}

/** A token count: a non-negative finite integer, else 0 (an upstream's garbage never becomes a count). */
export function tokenCount(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** The most of a JSON answer kept to read its usage (a bigger one is not read: an embedding of a long batch). */
const MAX_JSON_READ = 1 << 20;
/** The end of an SSE stream kept to find its usage chunk. */
const SSE_TAIL = 16 * 1024;

/**
 * Reads the `usage` of an answer that passes through untouched (the provider route), beside the pipe
 * to the client: a JSON body whole (up to 1 MiB), an SSE stream's last events. Compressed bodies are not
 * read. `found` gets the usage once the body has ended.
 */
export function tapUsage(
  body: NodeJS.ReadableStream,
  headers: Record<string, string | string[] | undefined>,
  found: (usage: Usage | undefined) => void,
): void {
  const type = String(headers['content-type'] ?? '');
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return;
  const json = type.includes('json');
  if (!json && !type.includes('text/event-stream')) return;
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  body.on('data', (chunk: Buffer) => {
    if (over) return;
    chunks.push(chunk);
    size += chunk.length;
    if (json) {
      if (size > MAX_JSON_READ) over = true;
      return;
    }
    while (chunks.length > 1 && size - chunks[0].length >= SSE_TAIL) size -= (chunks.shift() as Buffer).length;
  });
  body.once('end', () => {
    if (over) return;
    const text = Buffer.concat(chunks).toString('utf8');
    found(json ? usageOfJson(text) : usageOfSse(text));
  });
}

function usageOfJson(text: string): Usage | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? usageOf(parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The last `data:` event with a usage object. */
function usageOfSse(text: string): Usage | undefined {
  const events = text.split(/\r?\n\r?\n/);
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!event.includes('"usage"')) continue;
    for (const line of event.split(/\r?\n/)) {
      if (!line.startsWith('data:')) continue;
      const usage = usageOfJson(line.slice(5).trim());
      if (usage) return usage;
    }
  }
  return undefined;
}

/**
 * The body to send upstream for a chat or text completion: a stream that did not ask for usage asks for
 * it (`stream_options.include_usage`), and the request is marked so the answer's usage is taken out of
 * what the client gets. Any other body is sent as it is.
 */
export function askForUsage(
  body: Record<string, unknown>,
  exchange: { operation: string; stripUsage: boolean },
): Record<string, unknown> {
  if (body.stream !== true || (exchange.operation !== 'chat' && exchange.operation !== 'text_completion')) return body;
  const options = body.stream_options;
  if (options === undefined || options === null) {
    exchange.stripUsage = true;
    return { ...body, stream_options: { include_usage: true } };
  }
  if (typeof options !== 'object' || Array.isArray(options)) return body; // the upstream's to refuse
  const asked = (options as Record<string, unknown>).include_usage;
  if (asked === true) return body;
  exchange.stripUsage = true;
  return { ...body, stream_options: { ...options, include_usage: true } };
}
