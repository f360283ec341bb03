import type { LogOptions } from '#telemetry';

const NEST_LEVEL: Record<string, string> = {
  trace: 'verbose',
  debug: 'debug',
  info: 'log',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/**
 * A process's log lines, kept for a test: `lines` as `level [context] message` followed by the line's
 * JSON as written (every field, so a test that looks for a credential reads all of it); `records` parsed.
 */
export class LogCapture {
  readonly lines: string[] = [];
  readonly records: Record<string, unknown>[] = [];

  /** Log options for createApp/createGateway/createWorker: everything from `level` up comes here. */
  options(level: LogOptions['level'] = 'verbose'): LogOptions {
    return { level, destination: { write: (line: string) => this.add(line) } };
  }

  private add(line: string): void {
    const record = JSON.parse(line) as Record<string, unknown>;
    this.records.push(record);
    const level = NEST_LEVEL[String(record.level)] ?? String(record.level);
    const context = typeof record.context === 'string' ? ` [${record.context}]` : '';
    this.lines.push(`${level}${context} ${String(record.msg ?? '')} ${line.trimEnd()}`);
  }
}

/** Nothing logged. */
export const SILENT: LogOptions = { level: 'silent' };
