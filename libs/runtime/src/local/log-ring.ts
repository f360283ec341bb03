import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept; a server that prints a megabyte without a newline must not fill memory. */
const MAX_LINE = 4096;
/** The most read in one poll; anything older than this in a burst is skipped. */
const MAX_READ = 256 * 1024;

/** The last `size` lines, oldest first. */
export class LogRing {
  private readonly lines: string[] = [];

  constructor(readonly size: number) {}

  push(line: string): void {
    this.lines.push(line.length > MAX_LINE ? line.slice(0, MAX_LINE) + '…' : line);
    if (this.lines.length > this.size) this.lines.splice(0, this.lines.length - this.size);
  }

  tail(): string[] {
    return [...this.lines];
  }
}

/**
 * Follows an instance's log file into a LogRing. The server writes straight
 * to the file (no pipe through the worker, so it never blocks on or dies
 * with the worker); the ring catches up on each poll. The first poll after
 * construction reads only the end of a file that already exists, so a
 * re-adopted instance shows its last lines, not its whole history.
 */
export class LogFollower {
  private readonly ring: LogRing;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private offset: number | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    size: number,
  ) {
    this.ring = new LogRing(size);
  }

  /** The last lines, including a final line the server has not ended yet. */
  tail(): string[] {
    const lines = this.ring.tail();
    if (this.partial !== '') lines.push(this.partial.replace(/\r$/, ''));
    return lines.slice(-this.ring.size);
  }

  poll(): Promise<void> {
    this.polling ??= this.read().finally(() => (this.polling = null));
    return this.polling;
  }

  private async read(): Promise<void> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      let from = this.offset ?? Math.max(0, size - MAX_READ);
      let skipFirstLine = this.offset === null && from > 0;
      if (size < from) {
        // Truncated or replaced: start again from the top.
        from = 0;
        this.resetDecoder();
      }
      if (size - from > MAX_READ) {
        from = size - MAX_READ;
        skipFirstLine = true;
        this.resetDecoder();
      }
      if (size === from) {
        this.offset = size;
        return;
      }
      const buffer = Buffer.alloc(size - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      this.offset = from + bytesRead;
      this.consume(this.decoder.write(buffer.subarray(0, bytesRead)), skipFirstLine);
    } finally {
      await handle.close();
    }
  }

  private consume(text: string, skipFirstLine: boolean): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = this.partial.slice(0, MAX_LINE);
    for (const [i, line] of lines.entries()) {
      if (i === 0 && skipFirstLine) continue;
      this.ring.push(line.replace(/\r$/, ''));
    }
  }

  private resetDecoder(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
  }
}
