import { Logger } from '@nestjs/common';
import { TimeoutError, within } from '#domain';
import { JOBS, RECONCILE_QUEUE, reconcileKey, type JobOrigin, type ReconcileJob } from './queues.js';
import type { JobQueue, Producer, QueueBackend } from './queue-backend.js';
import type { QueueLink } from './queue-link.js';

/** BullMQ runs jobs without a priority before any with one; background jobs take this one. */
export const BACKGROUND_PRIORITY = 10;

/**
 * Enqueues reconcile jobs. Deduplicated per deployment with
 * `keepLastIfActive`: while a job for a deployment runs, one more is kept and
 * runs after it, so a change made during a run is never lost and a
 * deployment never runs twice at once. `replace` lets a request for now take
 * the place of a delayed re-check. The same on both backends (Redis, BullMQ's
 * PostgreSQL backend): see QueueBackend and reconcile-queue.spec.ts.
 */
export class ReconcileQueue {
  private readonly logger = new Logger(ReconcileQueue.name);
  /** This process's view of the store: the API's and the worker's one line per outage. */
  readonly link: QueueLink;
  private readonly producer: Producer<ReconcileJob>;
  private readonly timeoutMs: number;
  private readonly origin: () => JobOrigin | undefined;
  private closed = false;

  /**
   * `backend`: where the queue lives (see queueBackend). `timeoutMs`: QUEUE_ENQUEUE_TIMEOUT_MS, the longest an
   * enqueue or a ping waits for the store. `origin`: the request being served when a job is enqueued (the
   * process's request context), written into the job.
   */
  constructor(
    readonly backend: QueueBackend,
    { timeoutMs, origin }: { timeoutMs: number; origin?: () => JobOrigin | undefined },
  ) {
    this.timeoutMs = timeoutMs;
    this.origin = origin ?? (() => undefined);
    this.link = backend.link;
    this.producer = backend.producer<ReconcileJob>(RECONCILE_QUEUE, {
      timeoutMs,
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000, attempts: 1 },
    });
  }

  /** The BullMQ queue (on PostgreSQL, a new one after a first connect that failed: see PostgresBackend). */
  get queue(): JobQueue<ReconcileJob> {
    return this.producer.queue;
  }

  /** The readiness check's name: `redis` on Redis, `queue` on PostgreSQL. */
  get check(): 'redis' | 'queue' {
    return this.backend.check;
  }

  /**
   * Asks for a reconcile of one deployment, now or after `delayMs`. Never throws, and answers within
   * the timeout whatever the store does: false when the job may not be queued (the worker's resync
   * enqueues every unsettled deployment, so it is only late).
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
    // Known lost and not reconnected since: BullMQ would wait for a first connection (never made, if
    // Redis was gone when this process started) until the timeout. Answer now.
    if (!this.link.reachable && !this.producer.connected()) {
      this.logger.debug(`Reconcile of ${workspace}/${name} left to the resync: the queue is unreachable`);
      return false;
    }
    const added = this.queue.add(
      JOBS.reconcile,
      { workspace, name, ...this.origin() },
      {
        // replace: an immediate request takes the place of a delayed re-check.
        deduplication: { id: reconcileKey(workspace, name), keepLastIfActive: true, replace: true },
        ...(delayMs > 0 ? { delay: delayMs } : {}),
        ...(background ? { priority: BACKGROUND_PRIORITY } : {}),
      },
    );
    // Bounded here too: before its first connection BullMQ waits for one, commandTimeout or not.
    const outcome = await this.attempt(added, `Reconcile of ${workspace}/${name} left to the resync`);
    return outcome === 'ok';
  }

  /**
   * Resolves when the store answers (Redis: PING on this queue's connection, rejected at once while it is
   * away; PostgreSQL: a read of the queue's tables); rejects with a TimeoutError while it hangs.
   */
  async ping(): Promise<void> {
    const outcome = await this.attempt(this.producer.ping(), 'PING failed');
    if (outcome === 'timeout')
      throw new TimeoutError(`${this.backend.store} did not answer within ${this.timeoutMs} ms`);
    if (outcome !== 'ok') throw outcome;
  }

  /** Waits for a command at most the timeout, telling the link how it went: one line per outage, not per command. */
  private async attempt(command: Promise<unknown>, what: string): Promise<'ok' | 'timeout' | Error> {
    let outcome: 'timeout' | Error;
    try {
      if (!(await within(command, this.timeoutMs)).timedOut) {
        this.link.back();
        return 'ok';
      }
      outcome = 'timeout';
    } catch (error) {
      outcome = error as Error;
    }
    const reason = outcome === 'timeout' ? `no answer within ${this.timeoutMs} ms` : outcome.message;
    this.link.lost(reason);
    this.logger.debug(`${what}: ${reason}`);
    return outcome;
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
    await this.producer.close();
  }
}
