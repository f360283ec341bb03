import { ClientGone } from './client-gone.js';
import { GatewayError } from './gateway-error.js';
import { readJsonAnswer } from './model-answer.js';
import type { ModelCaller } from './model-call.js';
import type { RoutingSource } from './routing-source.js';

/**
 * Calls the gateway makes itself, to model entities of the routing table:
 * a virtual model's classifier and embedder, its shadow. A JSON answer, or
 * an Error that says why not (no provider, a status, a timeout), never a
 * GatewayError: these failures are the policy's to handle (fail open), not
 * the client's.
 */
export class InternalCalls {
  constructor(
    private readonly caller: ModelCaller,
    private readonly source: RoutingSource,
    private readonly maxJsonDepth: number,
  ) {}

  async json(
    ref: string,
    path: string,
    body: Record<string, unknown>,
    requestId: string,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    const model = this.source.current.models.get(ref);
    if (!model) throw new Error(`no provider serves ${ref}`);
    const gone = new ClientGone();
    const timer = setTimeout(() => gone.abort(), timeoutMs);
    try {
      const opened = await this.caller.open(model, { method: 'POST', path, headers: {}, body, requestId, gone });
      if (!opened) throw new Error('timed out');
      if (opened.upstream.statusCode >= 400) {
        await opened.upstream.body.text().catch(() => '');
        opened.done();
        throw new Error(`${ref} answered ${opened.upstream.statusCode}`);
      }
      const { provider } = opened.candidate;
      const answer = await readJsonAnswer(
        opened.upstream.body,
        provider.secret,
        provider.ref,
        this.maxJsonDepth,
        opened.done,
      );
      if (!answer) throw new Error(`${ref} answered nothing`);
      return answer;
    } catch (error) {
      if (gone.aborted) throw new Error(`timed out after ${timeoutMs} ms`, { cause: error });
      throw error instanceof GatewayError ? new Error(error.message, { cause: error }) : error;
    } finally {
      clearTimeout(timer);
    }
  }
}
