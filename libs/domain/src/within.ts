/** What `within` saw: the promise's value, or that time ran out first. */
export type Within<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Waits for `promise` at most `ms`. A rejection before then is rethrown; one after it is swallowed,
 * since nobody waits any longer. The promise itself keeps running: this bounds the caller, not the work.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<Within<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Within<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise.then((value): Within<T> => ({ timedOut: false, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A dependency that did not answer in time (as opposed to one that refused). */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}
