import type { DestinationStream, Logger } from 'pino';
import { isoTime } from './iso-time.js';

/** A value of a hot line's field: a number, a short string from a fixed set (ids, names, routes), or null. */
export type LineValue = string | number | null;

/** The levels a hot line is written at. */
export type HotLevel = 'info' | 'warn';

/**
 * Log lines for a hot path (the gateway's one line per request): each line has the same fields, named once, and
 * values that are never credentials (ids, names, route templates, numbers). A line is written in the format of
 * the process's logger (level label, ISO time, service, the fields, msg), on the same stream, at the end of the
 * event loop's turn, with the other lines of that turn: pino serialised a gateway request's line in ~14 µs on the
 * request's turn (cold caches), these ~6 µs in a batch (bench/gateway-telemetry.bench.ts). There is no redaction:
 * never give it a free-form value (a header, a body, an error, a query string); the logger is for those.
 */
export class HotLog {
  private readonly keys: string[];
  /** Per line: level, time (ms), the values, msg. */
  private pending: (HotLevel | number | LineValue[] | string)[] = [];
  private scheduled = false;

  constructor(
    private readonly logger: Logger,
    private readonly stream: DestinationStream,
    private readonly service: string,
    fields: readonly string[],
  ) {
    this.keys = fields.map((name) => `,${JSON.stringify(name)}:`);
  }

  /** Whether a line at `level` would be written (skip building its values when not). */
  enabled(level: HotLevel): boolean {
    return this.logger.isLevelEnabled(level);
  }

  /** Queues a line: `values` in the order of the fields named at construction. */
  write(level: HotLevel, values: LineValue[], msg: string): void {
    if (!this.logger.isLevelEnabled(level)) return;
    this.pending.push(level, Date.now(), values, msg);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the queued lines to the stream now (the end of the turn, and shutdown). */
  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const service = `,"service":${JSON.stringify(this.service)}`;
    for (let i = 0; i < pending.length; i += 4) {
      const values = pending[i + 2] as LineValue[];
      let line = `{"level":"${pending[i] as HotLevel}"${isoTime(pending[i + 1] as number)}${service}`;
      for (let f = 0; f < this.keys.length; f++) line += this.keys[f] + json(values[f]);
      this.stream.write(`${line},"msg":${JSON.stringify(pending[i + 3])}}\n`);
    }
  }
}

function json(value: LineValue | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return value === null || value === undefined ? 'null' : JSON.stringify(value);
}
