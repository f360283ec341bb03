import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What a log line says about the work it belongs to: the request id (an HTTP request's, or the one an
 * API request handed to the queue job it caused), and, where known, who asked. Carried through async
 * calls by AsyncLocalStorage, so code far from the request logs with its id without being handed it.
 */
export interface WorkContext {
  requestId: string;
  /** The principal's id (`key:…`, `user:…`) once authenticated; never a credential. */
  principal?: string;
  /** The W3C trace context the work arrived with (a request's headers, a job's data), handed on to jobs it enqueues. */
  traceparent?: string;
  tracestate?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export function currentWork(): WorkContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** What a job enqueued now carries of the current work: its request id and trace context (see JobOrigin). */
export function currentOrigin(): Pick<WorkContext, 'requestId' | 'traceparent' | 'tracestate'> | undefined {
  const work = storage.getStore();
  if (!work) return undefined;
  const { requestId, traceparent, tracestate } = work;
  return { requestId, ...(traceparent ? { traceparent } : {}), ...(tracestate ? { tracestate } : {}) };
}

/** Runs `fn` (and everything it starts) as part of `work`. */
export function runAsWork<T>(work: WorkContext, fn: () => T): T {
  return storage.run(work, fn);
}

/**
 * Runs `fn` as part of no work: for what a process does on its own (a runtime's change hints, timers
 * started on first use), which must not carry on the id of whatever request happened to come first.
 */
export function runOutsideWork<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The longest request id taken from a client; a longer (or empty) one is replaced by a new id. */
const MAX_REQUEST_ID = 200;
const PRINTABLE = /^[\x21-\x7e]+$/;

/** The client's `x-request-id` when it is reasonable (printable ASCII, at most 200 characters), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given.length <= MAX_REQUEST_ID && PRINTABLE.test(given) ? given : randomUUID();
}

/** A W3C `traceparent` (version 00): anything else is not handed on. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const MAX_TRACESTATE = 512;

/** The trace context of a request's headers when well-formed (it travels on into job data). */
export function traceContextOf(headers: IncomingMessage['headers']): Pick<WorkContext, 'traceparent' | 'tracestate'> {
  const { traceparent, tracestate } = headers;
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) return {};
  return typeof tracestate === 'string' && tracestate.length <= MAX_TRACESTATE && PRINTABLE_OR_SPACE.test(tracestate)
    ? { traceparent, tracestate }
    : { traceparent };
}
const PRINTABLE_OR_SPACE = /^[\x20-\x7e]*$/;
