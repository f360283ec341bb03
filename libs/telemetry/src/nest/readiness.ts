import { Inject, Injectable, Module, ServiceUnavailableException, type DynamicModule } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { TimeoutError, type HealthReport } from '#domain';

/**
 * One dependency's check: resolves when it is usable (with a string to show instead of `ok`), rejects
 * when not. A rejection with NotReadyError says why in its own words; any other reads `unreachable`, a
 * TimeoutError (the dependency's own bound) or no answer within the limit `timeout`.
 */
export type ReadinessCheck = () => Promise<unknown>;

/** A dependency that answered, and is not usable yet (migrations pending, no routing table): the message is shown. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

const READINESS_TIMEOUT_MS = Symbol('ReadinessTimeoutMs');

/**
 * Readiness for every process (API, worker, gateway), on @nestjs/terminus: each process names the checks
 * it needs; each runs with the HEALTH_CHECK_TIMEOUT_MS limit, all at once. The report keeps the shape the
 * probes and clients read: `{status: 'ok' | 'unavailable', checks: {database: 'ok', redis: 'timeout', …}}`.
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async report(checks: Record<string, ReadinessCheck>): Promise<HealthReport> {
    const names = Object.keys(checks);
    /** What each check said, as it said it (a check cut by the limit says nothing). */
    const said = new Map<string, string>();
    const indicators: HealthIndicatorFunction[] = names.map(
      (name) => () =>
        this.indicators
          .check(name)
          .attempt(async () => {
            try {
              const value = await checks[name]();
              said.set(name, typeof value === 'string' && value !== '' ? value : 'ok');
            } catch (error) {
              said.set(name, failureOf(error));
              throw error;
            }
          })
          .withTimeout(this.timeoutMs),
    );
    let result: HealthCheckResult;
    try {
      result = await this.health.check(indicators);
    } catch (error) {
      // Terminus answers a failed check with an HTTP exception; it is read here as the result it carries.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const report: Record<string, string> = {};
    for (const name of names) {
      const up = result.details?.[name]?.status === 'up';
      const value = said.get(name);
      report[name] = up ? (value ?? 'ok') : value === undefined || value === 'ok' ? 'timeout' : value;
    }
    if (result.status === 'shutting_down') report.process = 'shutting down';
    return { status: result.status === 'ok' ? 'ok' : 'unavailable', checks: report };
  }
}

function failureOf(error: unknown): string {
  if (error instanceof NotReadyError) return error.message;
  if (error instanceof TimeoutError) return 'timeout';
  return 'unreachable';
}

/** Readiness for a process; `timeoutMs` is HEALTH_CHECK_TIMEOUT_MS. */
@Module({})
export class ReadinessModule {
  static forRoot({ timeoutMs }: { timeoutMs: number }): DynamicModule {
    return {
      module: ReadinessModule,
      // Its failures are answered (503 naming the check) and logged once per request by the probe's line.
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [{ provide: READINESS_TIMEOUT_MS, useValue: timeoutMs }, Readiness],
      exports: [Readiness],
    };
  }
}
