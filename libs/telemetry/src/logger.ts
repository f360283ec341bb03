import type { LoggerService } from '@nestjs/common';
import { pino, stdSerializers, type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { isoTime } from './iso-time.js';
import { LineBuffer } from './line-buffer.js';
import { currentWork } from './request-context.js';

export type { Logger } from 'pino';

/** Nest's level names, as LOG_LEVEL takes them (least to most verbose), and `silent`. */
export type LogLevelName = 'silent' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
/** `json`: one JSON object per line (production, files, log collectors); `pretty`: readable lines; `auto`: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

const PINO_LEVEL: Record<LogLevelName, Level | 'silent'> = {
  silent: 'silent',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Fields never written, wherever they appear in a structured log line (up to two levels down): the
 * names credentials and secret values travel under in requests, headers, job data and errors. A value
 * becomes `[redacted]`. Messages are our own sentences, which never quote a credential; the log-safety
 * test sends credentials everywhere and reads every line.
 */
export const REDACTED_FIELDS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api_key',
  'apiKey',
  'password',
  'secret',
  'secret_value',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'value',
  'data',
];
const REDACT_PATHS = REDACTED_FIELDS.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const dot = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${dot}`, `*.*${dot}`];
});

export interface LogSettings {
  /** The process: `api`, `gateway`, `worker` (the `service` field of every line). */
  service: string;
  level: LogLevelName;
  format: LogFormat;
  /** Where lines go (tests capture them); standard output otherwise. */
  destination?: DestinationStream;
}

/**
 * The process's one logger. Every line carries the service and, inside a request or a job, its
 * request id (and principal, once known), so one `grep <request id>` follows a change from the API
 * through the queue into the worker.
 */
export function createLogger(settings: LogSettings): Logger {
  return createLoggers(settings).log;
}

/**
 * The process's logger and the stream it writes to, where hot lines (HotLog) go too: lines whose fields are
 * a fixed, known set of values that are never credentials (the gateway's one line per request, written by the
 * thousand a second). Redacting by wildcard path costs some 25 times the rest of writing a line (measured:
 * ~210 µs against ~8 µs for a gateway request's line); a hot line pays nothing for it.
 */
export function createLoggers({ service, level, format, destination }: LogSettings): {
  log: Logger;
  stream: DestinationStream;
  /** Writes what the stream holds, synchronously (when it buffers). */
  flushSync(): void;
} {
  const readable = format === 'pretty' || (format === 'auto' && !destination && process.stdout.isTTY === true);
  const stream =
    destination ??
    (readable
      ? pretty({
          sync: true,
          colorize: process.stdout.isTTY === true,
          ignore: 'pid,hostname,service,context',
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          messageFormat: '{if context}[{context}] {end}{msg}',
          hideObject: false,
        })
      : bufferedStdout());
  const common = {
    level: PINO_LEVEL[level],
    base: { service },
    timestamp: isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const log = pino(
    {
      ...common,
      serializers: { err: stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin: () => {
        const work = currentWork();
        if (!work) return {};
        return work.principal
          ? { request_id: work.requestId, principal: work.principal }
          : { request_id: work.requestId };
      },
    },
    stream,
  );
  const buffered = stream as { flushSync?: () => void };
  return {
    log,
    stream,
    flushSync: () => {
      try {
        buffered.flushSync?.();
      } catch {
        // a stream not yet open or already closed: nothing to write
      }
    },
  };
}

/**
 * Standard output through a LineBuffer handed to pino's asynchronous destination when it holds 16 KiB, or every
 * quarter second: a write per line cost the gateway a third of its peak request rate at one line per request
 * (measured, bench/gateway-telemetry.bench.ts), one write per dozens of lines does not. A line is at most 250 ms
 * late on a quiet process; shutdown and exit flush it, a crash can lose the last 16 KiB.
 */
function bufferedStdout(): DestinationStream {
  const lines = new LineBuffer(pino.destination({ dest: 1, sync: false }));
  const timer = setInterval(() => {
    try {
      lines.flush();
    } catch {
      clearInterval(timer); // destroyed
    }
  }, 250).unref();
  // pino writes its destination's buffer out when the process exits (process.exit included); what the
  // LineBuffer holds must reach it first.
  process.on('exit', () => {
    try {
      lines.flushSync();
    } catch {
      // destroyed, or not open: nothing more can be written
    }
  });
  return lines;
}

const STACK = /\n\s+at /;

/**
 * Nest's LoggerService over the process's logger: `Logger('Context').log(…)` anywhere in the code
 * lands in the same lines, with the context as a field. Nest passes `(message, stack?, context?)` to
 * `error`, `(message, context?)` to the rest.
 */
export class NestLogger implements LoggerService {
  constructor(readonly root: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const args = [...rest];
    if (args.length > 0 && typeof args[args.length - 1] === 'string' && !STACK.test(args[args.length - 1] as string)) {
      fields.context = args.pop();
    }
    for (const arg of args) {
      if (typeof arg === 'string' && STACK.test(arg)) fields.stack = arg;
      else if (arg instanceof Error) fields.err = arg;
    }
    if (message instanceof Error) {
      fields.err = message;
      this.root[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.root[level]({ ...fields, ...(message as object) });
    } else {
      this.root[level](fields, String(message));
    }
  }
}
