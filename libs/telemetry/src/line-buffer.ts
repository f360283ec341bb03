import type { DestinationStream } from 'pino';

/** Where a LineBuffer hands its batches: pino's SonicBoom destination, or anything with the same two calls. */
export interface BatchSink {
  write(chunk: string): unknown;
  flushSync?(): void;
}

/**
 * Log lines gathered in memory and handed on as one string when they reach `batchChars`, or when the owner's
 * timer calls flush(). pino's own `minLength` buffering measures the whole pending buffer's byte length at
 * every line (SonicBoom 4), which cost the gateway ~2 µs per line at 4 KiB and grows with the buffer; here a line
 * costs an array push, and the join runs once per batch (bench/gateway-telemetry.bench.ts measures the effect).
 */
export class LineBuffer implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly sink: BatchSink,
    private readonly batchChars = 16_384,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars) this.flush();
  }

  /**
   * Hands what is gathered to the sink (which writes it asynchronously). `done` (pino's `logger.flush(cb)`) is
   * called once it is handed on.
   */
  flush(done?: (error?: Error) => void): void {
    if (this.chars > 0) {
      const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
      this.lines = [];
      this.chars = 0;
      this.sink.write(chunk);
    }
    done?.();
  }

  /** Hands on what is gathered and has the sink write everything it holds before returning (shutdown). */
  flushSync(): void {
    this.flush();
    this.sink.flushSync?.();
  }
}
