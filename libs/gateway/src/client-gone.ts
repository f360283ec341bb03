import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * Aborts the upstream request when the client goes away before its answer is
 * complete. undici takes an EventEmitter as its signal: an AbortController per
 * request costs several times more (measured: the largest item of the
 * gateway's own CPU profile before).
 */
export class ClientGone extends EventEmitter {
  /** One error for all: an Error per request would capture a stack trace per request. */
  private static readonly REASON = new Error('the client disconnected');
  aborted = false;

  /** What undici rejects the upstream request with. */
  get reason(): Error {
    return ClientGone.REASON;
  }

  /** Without a response: a call the gateway makes itself (a classifier), aborted by `abort()`. */
  constructor(res?: ServerResponse) {
    super();
    res?.once('close', () => {
      if (res.writableFinished) return;
      this.abort();
    });
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }

  /** Resolves after `ms`, or at once when the client goes. */
  wait(ms: number): Promise<void> {
    if (this.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.once('abort', done);
    });
  }
}
