import { TimeoutError, within } from './within.js';

/** Longest one readiness check may take: a dependency that hangs reads as down before the probe gives up. */
export const HEALTH_CHECK_TIMEOUT_MS = 2000;

/** The body of every process's `/health/live` and `/health/ready`: each check is `ok` or says what failed. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, string>;
}

/**
 * `ok` when `probe` resolves, `timeout` when it does not answer within `timeoutMs` (or rejects with a
 * TimeoutError: it has a shorter bound of its own), `unreachable` when it rejects otherwise.
 */
export async function healthCheck(probe: () => Promise<unknown>, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<string> {
  try {
    return (await within(probe(), timeoutMs)).timedOut ? 'timeout' : 'ok';
  } catch (error) {
    return error instanceof TimeoutError ? 'timeout' : 'unreachable';
  }
}

/** Ready only when every check is `ok`. */
export function healthReport(checks: Record<string, string>): HealthReport {
  return { status: Object.values(checks).every((v) => v === 'ok') ? 'ok' : 'unavailable', checks };
}
