import { Counter, Histogram, LATENCY_BUCKETS, type Registry } from '#telemetry';
import { FAILURE_REASONS, MAKE_ROOM_REASON } from '../reconcile/deployment.planner.js';

/** How a reconcile pass ended: nothing more to do, a look again later, or an error (retried). */
export type PassResult = 'settled' | 'recheck' | 'error';

/**
 * Why a version FAILED, as a label: the planner's reasons and the runtime's (InstanceReason); anything
 * else is `other`, a write without one `unknown`, so the label set stays bounded whatever is stored.
 */
export const FAILURE_REASON_LABELS: ReadonlySet<string> = new Set([
  ...Object.values(FAILURE_REASONS),
  MAKE_ROOM_REASON,
  'image_pull',
  'oom_killed',
  'insufficient_capacity',
  'exited',
  'unhealthy',
]);

/** PENDING reasons of a version that was READY and is coming back (the planner's): its READY is a recovery. */
const RECOVERY_REASONS: ReadonlySet<string> = new Set([FAILURE_REASONS.drift, 'unhealthy', 'exited']);

/** Create to READY: from seconds (an image and a model already cached) to the hours a large download takes. */
const READY_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200];

/**
 * The worker's own metrics (names and labels as k8s/monitoring reads them). Without a registry
 * (METRICS_ENABLED=false) every method does nothing.
 */
export class WorkerMetrics {
  private readonly passes?: Counter<'result'>;
  private readonly passSeconds?: Histogram;
  private readonly queueWait?: Histogram;
  private readonly transitions?: Counter<'from' | 'to'>;
  private readonly readySeconds?: Histogram;
  private readonly failures?: Counter<'reason'>;
  private readonly runtimeErrors?: Counter<'operation' | 'code'>;

  constructor(registry: Registry | null) {
    if (!registry) return;
    const registers = [registry];
    this.passes = new Counter({
      name: 'modelplane_reconcile_passes_total',
      help: 'Reconcile jobs run, by how they ended (settled, recheck: looked at again later, error: retried)',
      labelNames: ['result'] as const,
      registers,
    });
    this.passSeconds = new Histogram({
      name: 'modelplane_reconcile_duration_seconds',
      help: 'Time one reconcile job took (database reads, runtime calls, status writes)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.queueWait = new Histogram({
      name: 'modelplane_queue_wait_seconds',
      help: 'Time a reconcile job waited from when it was due (enqueued, or its delay ran out) to when a worker took it',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.transitions = new Counter({
      name: 'modelplane_deployment_transitions_total',
      help: 'Deployment version status changes the worker wrote, by old and new status',
      labelNames: ['from', 'to'] as const,
      registers,
    });
    this.readySeconds = new Histogram({
      name: 'modelplane_deployment_ready_seconds',
      help: 'Time from a deployment version being created to it being READY',
      buckets: READY_BUCKETS,
      registers,
    });
    this.failures = new Counter({
      name: 'modelplane_deployment_failures_total',
      help: 'Deployment versions the worker marked FAILED, by reason',
      labelNames: ['reason'] as const,
      registers,
    });
    this.runtimeErrors = new Counter({
      name: 'modelplane_runtime_api_errors_total',
      help: 'Failed calls to the runtime (the Kubernetes API, local processes), by operation and error code',
      labelNames: ['operation', 'code'] as const,
      registers,
    });
  }

  pass(result: PassResult, seconds: number): void {
    this.passes?.inc({ result });
    this.passSeconds?.observe(seconds);
  }

  waited(seconds: number): void {
    this.queueWait?.observe(Math.max(0, seconds));
  }

  /**
   * A status write: a transition when the status changed; a FAILED is counted by its reason, and a
   * version's first READY observed as its time from creation (not a READY after a recovery, which would
   * read as a start of days).
   */
  statusWritten(
    from: { status: string; reason?: string | null; createdAt: Date },
    to: { status: string; reason?: string | null },
  ): void {
    if (from.status === to.status) return;
    this.transitions?.inc({ from: from.status, to: to.status });
    if (to.status === 'READY' && !(from.reason && RECOVERY_REASONS.has(from.reason))) {
      this.readySeconds?.observe(Math.max(0, (Date.now() - from.createdAt.getTime()) / 1000));
    }
    if (to.status === 'FAILED') this.failures?.inc({ reason: failureLabel(to.reason) });
  }

  runtimeError(operation: string, code: string): void {
    this.runtimeErrors?.inc({ operation, code });
  }
}

function failureLabel(reason: string | null | undefined): string {
  if (!reason) return 'unknown';
  return FAILURE_REASON_LABELS.has(reason) ? reason : 'other';
}
