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
}

const storage = new AsyncLocalStorage<WorkContext>();

export function currentWork(): WorkContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` (and everything it starts) as part of `work`. */
export function runAsWork<T>(work: WorkContext, fn: () => T): T {
  return storage.run(work, fn);
}

/** The longest request id taken from a client; a longer (or empty) one is replaced by a new id. */
const MAX_REQUEST_ID = 200;
const PRINTABLE = /^[\x21-\x7e]+$/;

/** The client's `x-request-id` when it is reasonable (printable ASCII, at most 200 characters), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given.length <= MAX_REQUEST_ID && PRINTABLE.test(given) ? given : randomUUID();
}
