import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOBS, RECONCILE_QUEUE, reconcileKey, type ReconcileJob } from './queues.js';

/** BullMQ runs jobs without a priority before any with one; background jobs take this one. */
export const BACKGROUND_PRIORITY = 10;

/**
 * Enqueues reconcile jobs. Deduplicated per deployment with
 * `keepLastIfActive`: while a job for a deployment runs, one more is kept and
 * runs after it, so a change made during a run is never lost and a
 * deployment never runs twice at once. `replace` lets a request for now take
 * the place of a delayed re-check.
 */
export class ReconcileQueue {
  private readonly logger = new Logger(ReconcileQueue.name);
  readonly queue: Queue<ReconcileJob>;
  private readonly connection: Redis;
  private closed = false;

  constructor(redisUrl: string, prefix: string, connection?: Redis) {
    // Producers fail fast when Redis is away (the periodic resync catches up); they never block a request.
    this.connection =
      connection ?? new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<ReconcileJob>(RECONCILE_QUEUE, {
      connection: this.connection,
      prefix,
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000, attempts: 1 },
    });
  }

  /**
   * Asks for a reconcile of one deployment, now or after `delayMs`. Never throws.
   * `background` (the worker's own re-checks, the resync) runs after every
   * waiting foreground request (a user's change, a runtime event), so those are
   * picked up at once however many re-checks are due.
   */
  async enqueue(
    workspace: string,
    name: string,
    { delayMs = 0, background = false }: { delayMs?: number; background?: boolean } = {},
  ): Promise<boolean> {
    // A closed queue's add() waits for a connection that never comes back: a job finishing
    // during shutdown would hold its worker's close() forever.
    if (this.closed) return false;
    try {
      await this.queue.add(
        JOBS.reconcile,
        { workspace, name },
        {
          // replace: an immediate request takes the place of a delayed re-check.
          deduplication: { id: reconcileKey(workspace, name), keepLastIfActive: true, replace: true },
          ...(delayMs > 0 ? { delay: delayMs } : {}),
          ...(background ? { priority: BACKGROUND_PRIORITY } : {}),
        },
      );
      return true;
    } catch (error) {
      this.logger.warn(
        `Could not enqueue a reconcile of ${workspace}/${name} (${(error as Error).message}); the periodic resync will pick it up`,
      );
      return false;
    }
  }

  /** Resolves when Redis answers PING on this queue's connection; rejects at once while it is away (no offline queue). */
  async ping(): Promise<void> {
    await this.connection.ping();
  }

  /**
   * Closed in the last shutdown phase: workers, the resync and discovery stop in
   * `beforeApplicationShutdown` and may still enqueue until then.
   */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close();
    this.connection.disconnect();
  }
}
