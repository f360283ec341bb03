import type { OnApplicationShutdown } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { HotLog } from './hot-log.js';
import { createLoggers, NestLogger, type LogFormat, type Logger, type LogLevelName } from './logger.js';
import { createRegistry, type Registry } from './metrics.js';
import { Tracing } from './tracing.js';

/** How a test (or an embedding program) overrides where and how much a process logs. */
export interface LogOptions {
  level?: LogLevelName;
  destination?: DestinationStream;
}

/** The settings every process reads (PlatformConfig has them). */
export interface TelemetrySettings {
  LOG_LEVEL: Exclude<LogLevelName, 'silent'>;
  LOG_FORMAT: LogFormat;
  METRICS_ENABLED: boolean;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_TRACES_SAMPLE_RATIO: number;
}

export type ServiceName = 'api' | 'gateway' | 'worker';

/**
 * A process's logger, metrics registry and tracer, made once by its factory before Nest starts (Nest's
 * own lines go through the logger from the first one) and injected where they are used.
 */
export class Telemetry implements OnApplicationShutdown {
  readonly nest: NestLogger;
  private readonly hotLogs: HotLog[] = [];

  private constructor(
    readonly service: ServiceName,
    readonly log: Logger,
    /** Where the logger writes (hot lines go there too). */
    private readonly stream: DestinationStream,
    /** Null when METRICS_ENABLED is off: nothing is counted and `/metrics` answers 404. */
    readonly registry: Registry | null,
    readonly tracing: Tracing,
    private readonly flushSync: () => void,
  ) {
    this.nest = new NestLogger(log);
  }

  static create(service: ServiceName, config: TelemetrySettings, options: LogOptions = {}): Telemetry {
    const { log, stream, flushSync } = createLoggers({
      service,
      level: options.level ?? config.LOG_LEVEL,
      format: config.LOG_FORMAT,
      destination: options.destination,
    });
    const tracing = new Tracing({
      service: `modelplane-${service}`,
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      sampleRatio: config.OTEL_TRACES_SAMPLE_RATIO,
    });
    return new Telemetry(service, log, stream, config.METRICS_ENABLED ? createRegistry() : null, tracing, flushSync);
  }

  /**
   * Lines of these fields, beside the logger's (HotLog): for a hot path whose line has fixed fields of values
   * that are never credentials. Written at the end of each turn of the event loop, and at shutdown.
   */
  hotLog(fields: readonly string[]): HotLog {
    const hot = new HotLog(this.log, this.stream, this.service, fields);
    this.hotLogs.push(hot);
    return hot;
  }

  /** Hands the hot lines queued to the stream. */
  private flushHotLogs(): void {
    for (const hot of this.hotLogs) hot.flush();
  }

  /**
   * For a process's main: Nest stops the application on SIGTERM or SIGINT and then raises the signal
   * again to end the process, which would end it before the log's last asynchronous writes (the
   * shutdown's own lines). This takes that second signal: it writes what is buffered, synchronously,
   * and exits as the signal would have (128 + its number). A second Ctrl-C also lands here: exit now.
   * A signal before Nest listens (during start-up) ends the process at once, as it would without this.
   */
  exitOnSecondSignal(): void {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      let received = 0;
      process.on(signal, () => {
        // The first one is Nest's to handle, once it listens (before that, as during start-up, end now).
        if (++received < 2 && process.listenerCount(signal) > 1) return;
        this.flushHotLogs();
        this.flushSync();
        process.exit(code);
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
    this.flushHotLogs();
    this.log.flush();
  }
}
