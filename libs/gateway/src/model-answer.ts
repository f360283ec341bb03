import type { ServerResponse } from 'node:http';
import { exceedsJsonDepth } from '#domain';
import type { Exchange } from './exchange.js';
import { GatewayError } from './gateway-error.js';
import { drained, passThrough, sendJson, streamErrorEvent } from './http-answers.js';
import type { OpenCall } from './model-call.js';
import { rewriteModel, SseModelRewriter } from './model-rewrite.js';
import { parseJsonObject } from './request-body.js';
import { scrubSecret, SecretScrubber } from './secret-scrub.js';
import { upstreamError } from './upstream-errors.js';
import { usageOf, type Usage } from './usage.js';

export interface AnswerOptions {
  maxJsonDepth: number;
  /**
   * For a stream with somewhere else to go: write nothing until the first
   * token (or the end), so a stream that breaks before it can be retried
   * elsewhere; the caller gets 'broke' and the client has seen nothing.
   */
  holdUntilToken?: boolean;
  /** The request's record: usage, time to first token, a cut stream. */
  exchange?: Exchange;
}

/** A chunk that carries a token: non-empty content or text, a tool call, or the end. */
const TOKEN = /"(?:content|text|reasoning_content)"\s*:\s*"(?!")|"tool_calls"\s*:\s*\[\s*\{|data: \[DONE\]/;
/** A chunk that carries content (the first one sent is the time to first token). */
const CONTENT = /"(?:content|text|reasoning_content)"\s*:\s*"(?!")|"tool_calls"\s*:\s*\[\s*\{/;

/**
 * The upstream's answer to a model route, for the client: errors mapped,
 * JSON and SSE with the model rewritten to the entity, the rest as is. After
 * the first byte to the client, a broken stream ends with an `event: error`,
 * never a clean end.
 */
export async function deliverAnswer(
  res: ServerResponse,
  { upstream, candidate, model, done }: OpenCall,
  requestId: string,
  options: AnswerOptions,
): Promise<{ result: 'delivered' | 'broke'; usage?: Usage }> {
  const { statusCode, headers, body } = upstream;
  const type = String(headers['content-type'] ?? '');
  const { secret } = candidate.provider;
  const exchange = options.exchange;
  if (statusCode >= 400) {
    const text = await body.text().catch(() => '');
    done();
    throw upstreamError(statusCode, text, candidate, model, headers);
  }
  if (type.includes('text/event-stream')) {
    const rewriter = new SseModelRewriter(model.ref, exchange?.stripUsage === true);
    const scrubber = SecretScrubber.for(secret);
    let held: string[] | null = [];
    let holding = options.holdUntilToken === true;
    // Until the first content chunk has gone to the client: each chunk sent is looked at.
    let waiting = exchange !== undefined;
    const sent = (text: string): void => {
      if (waiting && CONTENT.test(text)) {
        waiting = false;
        exchange?.firstToken();
      }
    };
    const start = () => {
      res.writeHead(statusCode, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': requestId,
      });
      for (const text of held ?? []) {
        res.write(text);
        sent(text);
      }
      held = null;
      holding = false;
    };
    if (!holding) start();
    try {
      for await (const chunk of body) {
        const out = rewriter.push(scrubber ? scrubber.push(chunk as Buffer) : (chunk as Buffer));
        if (!out) continue;
        if (holding) {
          (held as string[]).push(out);
          if (TOKEN.test(out)) start();
          continue;
        }
        // A slow client slows the upstream read instead of growing a buffer here.
        const more = res.write(out);
        if (waiting) sent(out);
        if (!more) await drained(res);
      }
      const rest = (scrubber ? rewriter.push(scrubber.flush()) : '') + rewriter.flush();
      if (holding && !rewriter.done) return { result: 'broke' };
      if (holding) start();
      if (rest) res.write(rest);
      if (!rewriter.done) {
        if (exchange) exchange.cause = 'stream_cut';
        res.write(streamErrorEvent('The upstream stream ended before [DONE]; the response is incomplete', requestId));
      }
    } catch (error) {
      if (holding) return { result: 'broke' };
      // The client going away aborts the upstream read too: that is not the upstream's failure.
      if (exchange && !res.destroyed) exchange.cause = 'stream_cut';
      if (!res.destroyed) {
        res.write(streamErrorEvent(`The upstream stream broke: ${(error as Error).message}`, requestId));
      }
    } finally {
      done();
      exchange?.addUsage(rewriter.usage);
      if (!holding) res.end();
    }
    return { result: 'delivered', usage: rewriter.usage };
  }
  if (type.includes('json')) {
    const parsed = await readJsonAnswer(upstream.body, secret, candidate.provider.ref, options.maxJsonDepth, done);
    if (parsed === null) {
      sendJson(res, statusCode, '', requestId);
      return { result: 'delivered' };
    }
    rewriteModel(parsed, model.ref);
    sendJson(res, statusCode, JSON.stringify(parsed), requestId);
    const usage = usageOf(parsed);
    exchange?.addUsage(usage);
    return { result: 'delivered', usage };
  }
  passThrough(res, upstream, requestId, done, secret);
  return { result: 'delivered' };
}

/** A JSON answer read whole, the key masked: the object, or null for an empty body; a 502 for anything else. */
export async function readJsonAnswer(
  body: OpenCall['upstream']['body'],
  secret: string | null,
  providerRef: string,
  maxJsonDepth: number,
  done: () => void,
): Promise<Record<string, unknown> | null> {
  const text = scrubSecret(await body.text().finally(done), secret);
  // No body to rewrite: the answer to a HEAD, a 204, an upstream that sent the headers only.
  if (text.trim() === '') return null;
  const parsed = exceedsJsonDepth(text, maxJsonDepth) ? null : parseJsonObject(text);
  if (!parsed) {
    throw new GatewayError(
      502,
      'gateway/bad_upstream_json',
      `${providerRef} answered JSON that is not an object, or nested deeper than ${maxJsonDepth} levels`,
    );
  }
  return parsed;
}
