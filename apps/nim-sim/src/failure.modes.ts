/**
 * The simulator's ways of failing that stay inside a request. The ones that
 * end the process (SIM_FAIL_AT_START, SIM_CRASH_AFTER_MS) live in main.ts, so
 * a simulator started in-process by a test can never exit the test runner.
 */
import { ApiError } from './api.error.js';

/**
 * Fails exactly `rate` of the calls, spread evenly (0.25: every fourth), so a
 * test or a benchmark sees the same sequence on every run.
 */
export class ErrorInjector {
  private credit = 0;

  constructor(private readonly rate: number) {}

  shouldFail(): boolean {
    if (this.rate <= 0) return false;
    this.credit += this.rate;
    // The epsilon keeps float sums such as 0.1 * 10 from missing the tenth failure.
    if (this.credit < 1 - 1e-9) return false;
    this.credit -= 1;
    return true;
  }
}

export function simulatedError(): ApiError {
  return new ApiError(500, 'InternalServerError', 'Simulated internal error (SIM_ERROR_RATE)');
}

/** Stream events to send before the socket is destroyed; null: the whole stream. */
export function streamCutPoint(cutAfter: number | null, events: number): number | null {
  return cutAfter !== null && cutAfter < events ? cutAfter : null;
}
