import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { WorkerConfig } from '#config';
import { within } from '#domain';
import { JOBS, RECONCILE_QUEUE, ReconcileQueue, type Consumer, type ReconcileJob } from '#queue';
import { runAsWork, SpanKind, Telemetry, Tracing } from '#telemetry';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { WorkerMetrics, type PassResult } from '../metrics/worker-metrics.js';
import { DeploymentReconciler } from '../reconcile/deployment.reconciler.js';

/**
 * The longest a stopping worker waits for its running jobs: within the 10 s a stopping worker has
 * (see main.ts), leaving time for the rest of the shutdown.
 */
const SHUTDOWN_GRACE_MS = 5000;

/** Backoff after a reconcile that threw (a database or runtime hiccup). */
const ERROR_RETRY_MS = 5000;

/**
 * Runs reconcile jobs. A job carries only which deployment; the reconciler
 * reads everything else. When the reconciler asks to look again later, the
 * job re-enqueues itself (deduplicated, so a change made meanwhile is picked
 * up at once instead).
 */
@Injectable()
export class ReconcileWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconcileWorker.name);
  private consumer?: Consumer<ReconcileJob>;

  constructor(
    private readonly reconciler: DeploymentReconciler,
    private readonly queue: ReconcileQueue,
    private readonly metrics: WorkerMetrics,
    private readonly telemetry: Telemetry,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const consumer = this.queue.backend.consumer<ReconcileJob>(RECONCILE_QUEUE, (job) => this.process(job), {
      concurrency: this.config.WORKER_CONCURRENCY,
      // A worker that dies mid-job leaves the job active, and every re-enqueue of that
      // deployment (the resync's, the API's) is deduplicated behind it until the stalled-job
      // check hands it on: run that check as often as the resync (never less often than
      // BullMQ's 30 s default), with a lock that lapses as soon after its holder died.
      stalledInterval: Math.min(this.config.RESYNC_INTERVAL_MS, 30_000),
      lockDuration: Math.min(Math.max(this.config.RESYNC_INTERVAL_MS, 10_000), 30_000),
    });
    // BullMQ reports each failed reconnect of each of its connections here. The queue's link says
    // once that the store is gone and once that it is back; anything else gets its line.
    consumer.worker.on('error', (error) => {
      if (isConnectionError(error)) this.queue.link.lost(error.message);
      else this.logger.warn(`Queue: ${error.message}`);
    });
    // On PostgreSQL a worker that cannot reach the queue now never would (see Consumer.started): fail the start.
    await consumer.started().catch(async (error: unknown) => {
      await consumer.worker.close(true).catch(() => undefined);
      throw error;
    });
    this.consumer = consumer;
    this.logger.log(`Processing ${RECONCILE_QUEUE} with concurrency ${this.config.WORKER_CONCURRENCY}`);
  }

  /**
   * One job, as part of the request that caused it: every line it logs carries that request's id (a
   * new one for the resync's and the runtime's own jobs), its re-checks carry it on, and its span is a
   * child of the request's trace context.
   */
  private async process(job: Job<ReconcileJob>): Promise<void> {
    if (job.name !== JOBS.reconcile) throw new Error(`No handler for job '${job.name}' in ${RECONCILE_QUEUE}`);
    const { requestId = randomUUID(), traceparent, tracestate } = job.data;
    const due = job.timestamp + (job.delay ?? 0);
    this.metrics.waited(((job.processedOn ?? Date.now()) - due) / 1000);
    await runAsWork({ requestId, traceparent, tracestate }, () => this.reconcile(job.data));
  }

  private async reconcile({ workspace, name, traceparent, tracestate }: ReconcileJob): Promise<void> {
    const span = this.telemetry.tracing.startSpan(
      'reconcile deployment',
      SpanKind.CONSUMER,
      { 'modelplane.workspace': workspace, 'modelplane.deployment': name },
      traceparent ? { traceparent, tracestate } : undefined,
    );
    const started = performance.now();
    let again: number | null;
    let result: PassResult;
    try {
      again = await this.reconciler.reconcile(workspace, name);
      result = again === null ? 'settled' : 'recheck';
    } catch (error) {
      this.logger.error(
        `Reconcile of ${workspace}/${name} failed: ${(error as Error).message}`,
        (error as Error).stack,
      );
      Tracing.fail(span, (error as Error).message);
      again = ERROR_RETRY_MS;
      result = 'error';
    }
    this.metrics.pass(result, (performance.now() - started) / 1000);
    span.setAttribute('modelplane.reconcile.result', result);
    span.end();
    if (again !== null) await this.queue.enqueue(workspace, name, { delayMs: again, background: true });
  }

  /**
   * Lets running jobs finish, when it can. Without Redis a graceful close never ends (BullMQ waits
   * for a blocking read that cannot finish, even once Redis is back, and a hung Redis never answers
   * its QUIT), and a worker that will not stop is killed by its supervisor anyway: so unless the store
   * (Redis, or the queue's PostgreSQL) answers a ping it stops at once, and otherwise it waits at most
   * SHUTDOWN_GRACE_MS. Cutting a job short is safe: reconciles are idempotent, and the job is handed on
   * by the stalled-job check or re-enqueued by the resync.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const { worker } = consumer;
    const reachable = await this.queue.ping().then(
      () => true,
      () => false,
    );
    if (!reachable)
      this.logger.warn(`${this.queue.backend.store} is unreachable: stopping without waiting for running jobs`);
    const closing = worker.close(!reachable);
    if ((await within(closing, SHUTDOWN_GRACE_MS)).timedOut) {
      this.logger.warn(`Running jobs did not finish within ${SHUTDOWN_GRACE_MS} ms; stopping without them`);
      void worker.disconnect().catch(() => undefined);
    }
    consumer.disconnect();
  }
}

/**
 * Errors of the link to the store (refused, reset, closed, timed out; Redis's or PostgreSQL's wording), as
 * opposed to errors of BullMQ's work.
 */
function isConnectionError(error: Error & { code?: string }): boolean {
  return (
    /^E[A-Z]+$/.test(error.code ?? '') ||
    /Connection is closed|Connection terminated|terminating connection|Stream isn't writeable|Command timed out|ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE/.test(
      error.message,
    )
  );
}
