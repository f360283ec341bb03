import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Decision } from '#routing';
import { judgeAnswer, type AnswerCheck } from './answer-check.js';
import type { ClientGone } from './client-gone.js';
import { sendJson } from './http-answers.js';
import { readJsonAnswer } from './model-answer.js';
import type { ModelCaller, OpenCall } from './model-call.js';
import { rewriteModel } from './model-rewrite.js';
import type { RoutingSource } from './routing-source.js';
import type { Exchange } from './exchange.js';
import type { RoutingEvents } from './gateway-metrics.js';
import { usageOf } from './usage.js';

export interface EscalationDeps {
  caller: ModelCaller;
  source: RoutingSource;
  events: RoutingEvents;
  maxJsonDepth: number;
}

/**
 * A whole JSON answer checked against the request's schema; one that fails
 * goes to the next tier. The last tier's answer is sent whatever it is, and
 * the headers say which tier answered (`x-modelplane-route-tier`) and why
 * earlier ones did not (`x-modelplane-escalation`).
 */
export async function escalate(
  deps: EscalationDeps,
  res: ServerResponse,
  first: OpenCall,
  check: AnswerCheck,
  decision: Decision,
  request: { exchange: Exchange; headers: IncomingHttpHeaders; body: Record<string, unknown>; gone: ClientGone },
): Promise<void> {
  const { caller, source, events, maxJsonDepth } = deps;
  const { exchange, headers, body, gone } = request;
  const { requestId } = exchange;
  const vm = decision.virtualModel;
  let opened = first;
  const reasons: string[] = [];
  for (let tier = 0; ; tier++) {
    const { candidate, model } = opened;
    const role = tier === 0 ? 'primary' : 'escalation';
    const { secret, ref: providerRef } = candidate.provider;
    const answer = await readJsonAnswer(opened.upstream.body, secret, providerRef, maxJsonDepth, opened.done);
    const verdict = answer ? judgeAnswer(answer, check) : 'the answer is empty';
    const next = decision.escalation[tier];
    const nextModel = next === undefined ? undefined : source.current.models.get(next);
    if (verdict && nextModel) {
      reasons.push(`tier ${tier} (${model.ref}): ${verdict}`);
      events.attempted(vm, model.ref, role, 'invalid_answer');
      exchange.addUsage(usageOf(answer));
      let escalated: OpenCall | null = null;
      try {
        const call = { method: 'POST', path: 'v1/chat/completions', headers, body, requestId, gone, exchange };
        escalated = await caller.open(nextModel, call);
      } catch (error) {
        reasons.push(`tier ${tier + 1} (${next}): ${(error as Error).message}`);
      }
      if (gone.aborted) return;
      if (escalated && escalated.upstream.statusCode < 300) {
        opened = escalated;
        continue;
      }
      if (escalated) {
        reasons.push(`tier ${tier + 1} (${next}): answered ${escalated.upstream.statusCode}`);
        await escalated.upstream.body.text().catch(() => '');
        escalated.done();
      }
    }
    // This answer is the one sent: it passed, or no tier above it could do better.
    if (answer) rewriteModel(answer, model.ref);
    res.setHeader('x-modelplane-route-target', model.ref);
    res.setHeader('x-modelplane-route-tier', String(tier));
    const notes = [...reasons, ...(verdict ? [`kept: ${verdict}`] : [])];
    if (notes.length) res.setHeader('x-modelplane-escalation', headerSafe(notes.join('; ')));
    const status = opened.upstream.statusCode;
    if (!verdict || !nextModel) events.attempted(vm, model.ref, role, status);
    exchange.addUsage(usageOf(answer));
    exchange.pricing = source.current.prices.get(model.ref) ?? null;
    sendJson(res, status, answer ? JSON.stringify(answer) : '', requestId);
    return;
  }
}

/** Header values are Latin-1 without control characters; cut to a readable length. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}
