import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { UsageRepository } from '#db';
import type { OutcomeSink, RequestOutcome } from '../request-outcome.js';
import { DEFAULT_MAX_KEYS, UsageTally } from '../usage-tally.js';

export interface UsageRecorderOptions {
  /** GATEWAY_USAGE_ACCOUNTING: off, `record` does nothing and nothing is written. */
  enabled: boolean;
  /** GATEWAY_USAGE_FLUSH_INTERVAL_MS. */
  flushIntervalMs: number;
  /** Distinct keys held while writes fail (DEFAULT_MAX_KEYS). */
  maxKeys?: number;
}

/**
 * Usage accounting off the request path: `record` adds a finished request to a tally in memory (never
 * waits, never throws), and a timer adds the tally to PostgreSQL in one statement at most once per
 * interval. A failed write keeps the tally for the next tick (bounded by `maxKeys`, drops counted in the
 * log). On a clean shutdown what was counted is written before the server closes, and what the requests
 * it cut counted after, before the database pool closes.
 */
export class UsageRecorder
  implements OutcomeSink, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(UsageRecorder.name);
  private readonly tally: UsageTally;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly repository: UsageRepository,
    private readonly options: UsageRecorderOptions,
  ) {
    this.tally = new UsageTally(options.maxKeys ?? DEFAULT_MAX_KEYS);
  }

  record(outcome: RequestOutcome): void {
    if (!this.options.enabled) return;
    try {
      this.tally.add(outcome);
    } catch (error) {
      // A malformed outcome must not fail the request that produced it.
      this.logger.warn(`Usage of request ${outcome.requestId} not counted: ${String(error)}`);
    }
  }

  /** Distinct keys waiting to be written. */
  get pending(): number {
    return this.tally.size;
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what was counted while the server still runs. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /**
   * Writes what the requests cut by the server's close (after `beforeApplicationShutdown`) counted. The
   * database pool is still open: DatabaseModule is global, and Nest shuts global modules down last.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    this.stopped = true;
    const left = this.tally.take().rows;
    if (left.length > 0) {
      const requests = left.reduce((n, row) => n + row.requests, 0);
      this.logger.error(`Usage of ${requests} request(s) was not written before shutdown`);
    }
  }

  /** Writes what was counted (waits for a write under way first, so writes never overlap). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.stopped) return;
    this.flushing = this.write().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async write(): Promise<void> {
    const { rows, dropped } = this.tally.take();
    if (dropped > 0) {
      this.logger.warn(
        `Usage of ${dropped} request(s) dropped: more than ${this.options.maxKeys ?? DEFAULT_MAX_KEYS} ` +
          'distinct usage keys were waiting to be written',
      );
    }
    if (rows.length === 0) return;
    try {
      await this.repository.add(rows);
      if (this.failing) this.logger.log('Usage is written again');
      this.failing = false;
    } catch (error) {
      this.tally.restore(rows);
      // Once per outage, not once a tick.
      if (!this.failing) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(`Usage not written (${message}); kept in memory and retried every tick`);
      }
      this.failing = true;
    }
  }
}
