/**
 * The body of every process's `/health/live` and `/health/ready`: each check is `ok` (or what it
 * reports) or says what failed. Readiness itself is libs/telemetry's Readiness (on @nestjs/terminus).
 */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, string>;
}
