/**
 * Streaming answers as server-sent events, the way vLLM sends them: for chat
 * a first chunk with the role, one chunk per token, a chunk with the
 * finish_reason, an optional usage chunk, then `data: [DONE]`.
 */
import type { ServerResponse } from 'node:http';
import { SYSTEM_FINGERPRINT, usageOf, type Answer } from './completion.responder.js';
import { streamCutPoint } from './failure.modes.js';

/** Events sent at once (`head`), one per token delay (`tokens`), and right after the last token (`tail`). */
export interface StreamPlan {
  head: string[];
  tokens: string[];
  tail: string[];
}

export interface StreamPacing {
  tokenDelayMs: number;
  /** Destroy the socket after this many events; null: send them all. */
  cutAfter: number | null;
}

export const DONE_EVENT = 'data: [DONE]\n\n';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

export function streamPlan({ id, created, request, pieces }: Answer): StreamPlan {
  const chat = request.endpoint === 'chat';
  const envelope =
    `data: {"id":"${id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${created},` +
    `"model":${JSON.stringify(request.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":`;
  const event = (choices: unknown[], usage?: unknown): string =>
    envelope + JSON.stringify(choices) + (usage === undefined ? '' : `,"usage":${JSON.stringify(usage)}`) + '}\n\n';
  const choice = (content: string | null, finishReason: string | null): unknown =>
    chat
      ? { index: 0, delta: content === null ? {} : { content }, logprobs: null, finish_reason: finishReason }
      : { index: 0, text: content ?? '', logprobs: null, finish_reason: finishReason };

  const head = chat
    ? [event([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])]
    : [];
  const tail = [event([choice(null, request.finishReason)])];
  if (request.includeUsage) tail.push(event([], usageOf(request)));
  tail.push(DONE_EVENT);
  return { head, tokens: pieces.map((piece) => event([choice(piece, null)])), tail };
}

/** Writes the plan: at once when there is no delay, else one token event per delay. */
export function sendStream(res: ServerResponse, plan: StreamPlan, { tokenDelayMs, cutAfter }: StreamPacing): void {
  res.writeHead(200, SSE_HEADERS);
  const events = [...plan.head, ...plan.tokens, ...plan.tail];
  const limit = streamCutPoint(cutAfter, events.length) ?? events.length;
  let sent = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Sends events up to `upTo` in one write; ends or cuts the stream when the limit is reached. */
  const flush = (upTo: number): void => {
    const stop = Math.min(upTo, limit);
    const data = events.slice(sent, stop).join('');
    sent = stop;
    if (sent === events.length) {
      res.end(data);
    } else if (sent === limit) {
      // An abrupt end: no terminating chunk, no [DONE]. Wait for the data to reach the socket first.
      res.write(data, () => res.destroy());
    } else if (data !== '') {
      res.write(data);
    }
  };

  if (limit === 0) {
    res.flushHeaders();
    res.destroy();
    return;
  }
  if (tokenDelayMs <= 0 || plan.tokens.length === 0) {
    flush(events.length);
    return;
  }
  // Headers go out now, not with the first token, as a real server's do.
  res.flushHeaders();
  res.once('close', () => {
    if (timer) clearTimeout(timer);
  });
  flush(plan.head.length);
  const tick = (): void => {
    timer = null;
    if (res.destroyed) return;
    // The last token carries the tail with it.
    const next = sent + 1 === plan.head.length + plan.tokens.length ? events.length : sent + 1;
    flush(next);
    if (sent < limit) timer = setTimeout(tick, tokenDelayMs);
  };
  if (sent < limit) timer = setTimeout(tick, tokenDelayMs);
}
