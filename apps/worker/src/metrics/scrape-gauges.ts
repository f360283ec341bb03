import { Logger } from '@nestjs/common';
import type { DeploymentRepository } from '#db';
import { within } from '#domain';
import type { ReconcileQueue } from '#queue';
import { Gauge, type Registry } from '#telemetry';

/** The queue states counted (BullMQ's names; `prioritized` holds the background re-checks). */
export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'waiting-children',
  'failed',
  'completed',
] as const;

export interface ScrapeSources {
  queue: ReconcileQueue;
  deployments: DeploymentRepository;
  /** HEALTH_CHECK_TIMEOUT_MS: the longest one collection waits; a slower source is left out of that scrape. */
  timeoutMs: number;
}

/**
 * Gauges read when Prometheus scrapes, not kept up to date by the code that changes them: the reconcile
 * queue's job counts (from Redis, or the queue's PostgreSQL schema) and deployments by workspace and
 * status (from PostgreSQL, so every worker replica reports the same numbers; `max by` rather than `sum by`
 * across replicas). A source that fails or hangs leaves its gauge empty for that scrape (absent, not zero),
 * and the scrape still answers.
 */
export function registerScrapeGauges(registry: Registry, { queue, deployments, timeoutMs }: ScrapeSources): void {
  const logger = new Logger('Metrics');
  const read = async <T>(what: string, source: () => Promise<T>): Promise<T | null> => {
    try {
      const answer = await within(source(), timeoutMs);
      if (!answer.timedOut) return answer.value;
      logger.debug(`${what}: no answer within ${timeoutMs} ms; left out of this scrape`);
    } catch (error) {
      logger.debug(`${what}: ${(error as Error).message}; left out of this scrape`);
    }
    return null;
  };
  new Gauge({
    name: 'modelplane_queue_jobs',
    help: 'Reconcile jobs in the queue by state, read at scrape time',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await read('Queue job counts', () => queue.queue.getJobCounts(...QUEUE_STATES));
      this.reset();
      for (const state of QUEUE_STATES) if (counts) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: 'modelplane_deployments',
    help: 'Deployments by workspace and status of their latest version, read at scrape time',
    labelNames: ['workspace', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await read('Deployments by status', () => deployments.countByStatus());
      this.reset();
      for (const { workspace, status, count } of rows ?? []) this.set({ workspace, status }, count);
    },
  });
}
