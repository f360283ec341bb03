/**
 * Slows credential guessing: after `limit` failed authentications from one client address within a
 * minute, that address is answered 429 until the minute is over. Per process (each replica counts its
 * own); the map is bounded, dropping the oldest windows first.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 50_000,
  ) {}

  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs || w.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  fail(address: string, now = Date.now()): void {
    let w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(address);
      w = { start: now, failures: 0 };
      this.windows.set(address, w);
      if (this.windows.size > this.maxAddresses) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
    }
    w.failures++;
  }
}
