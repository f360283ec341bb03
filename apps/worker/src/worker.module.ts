import { currentOrigin, ReadinessModule, TelemetryModule, type Telemetry } from '#telemetry';
import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from '#auth';
import { secretKeys, WorkerConfig } from '#config';
import { DatabaseModule, DeploymentRepository, NotificationsModule, SecretCipher } from '#db';
import { EgressPolicy } from '#egress';
import { queueBackend, ReconcileQueue } from '#queue';
import type { Runtime } from '#runtime';
import { ModelDiscovery } from './discovery/model-discovery.js';
import { ProviderDiscoveryService } from './discovery/provider-discovery.service.js';
import { WorkerHealthServer } from './health/worker-health.server.js';
import { ResyncService } from './maintenance/resync.service.js';
import { instrumentRuntime } from './metrics/instrumented-runtime.js';
import { registerScrapeGauges } from './metrics/scrape-gauges.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { ReconcileWorker } from './queue/reconcile.worker.js';
import { RuntimeEvents } from './queue/runtime-events.js';
import { DeploymentReconciler } from './reconcile/deployment.reconciler.js';
import type { PlanSettings } from './reconcile/deployment.planner.js';
import { RuntimeLifecycle } from './runtime.lifecycle.js';
import { PLAN_SETTINGS, RUNTIME } from './tokens.js';

/** The worker process: reconcile jobs, the resync, and the runtime they drive. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, runtime: Runtime, telemetry: Telemetry): DynamicModule {
    const settings: PlanSettings = {
      healthTimeoutMs: config.HEALTH_TIMEOUT_MS,
      pendingTimeoutMs: config.PENDING_TIMEOUT_MS,
      crashLoopRestarts: config.CRASH_LOOP_RESTARTS,
      driftMaxAttempts: config.DRIFT_MAX_ATTEMPTS,
      pollIntervalMs: config.POLL_INTERVAL_MS,
      waitingRecheckMs: config.WAITING_RECHECK_MS,
      makeRoomAfterMs: config.ROLLOUT_MAKE_ROOM_AFTER_MS,
      deletedRetentionMs: config.DELETED_DEPLOYMENT_RETENTION_SECONDS * 1000,
      progressIntervalMs: config.PROGRESS_INTERVAL_MS,
    };
    // `/metrics` is on the health port and takes API keys: access control (keys and bindings, kept
    // current through notifications) only comes along when it is served.
    const metricsServed = config.METRICS_ENABLED && config.WORKER_HEALTH_PORT !== 0;
    return {
      module: WorkerModule,
      imports: [
        TelemetryModule.forRoot(telemetry, { metricsRoute: false }),
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        ReadinessModule.forRoot({ timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS }),
        ...(metricsServed
          ? [NotificationsModule.forRoot({ databaseUrl: config.DATABASE_URL }), AccessModule.forChecks(config)]
          : []),
      ],
      providers: [
        { provide: WorkerConfig, useValue: config },
        {
          provide: WorkerMetrics,
          inject: [ReconcileQueue, DeploymentRepository],
          useFactory: (queue: ReconcileQueue, deployments: DeploymentRepository) => {
            const { registry } = telemetry;
            if (registry)
              registerScrapeGauges(registry, { queue, deployments, timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS });
            return new WorkerMetrics(registry);
          },
        },
        {
          provide: RUNTIME,
          inject: [WorkerMetrics],
          useFactory: (metrics: WorkerMetrics) => instrumentRuntime(runtime, metrics),
        },
        { provide: PLAN_SETTINGS, useValue: settings },
        {
          provide: ModelDiscovery,
          useFactory: () =>
            new ModelDiscovery({
              timeoutMs: config.DISCOVERY_TIMEOUT_MS,
              maxBytes: config.DISCOVERY_MAX_BYTES,
              egress: EgressPolicy.fromAllowList(config.PROVIDER_EGRESS_ALLOW),
            }),
        },
        {
          provide: ReconcileQueue,
          useFactory: () =>
            new ReconcileQueue(queueBackend(config), {
              timeoutMs: config.QUEUE_ENQUEUE_TIMEOUT_MS,
              origin: currentOrigin,
            }),
        },
        // First: the runtime starts before the workers take jobs (see RuntimeLifecycle).
        RuntimeLifecycle,
        DeploymentReconciler,
        ReconcileWorker,
        RuntimeEvents,
        ResyncService,
        { provide: SecretCipher, useValue: new SecretCipher(secretKeys(config)) },
        ProviderDiscoveryService,
        WorkerHealthServer,
      ],
    };
  }
}
