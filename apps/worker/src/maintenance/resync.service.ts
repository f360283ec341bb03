import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { WorkerConfig } from '#config';
import { DeploymentRepository } from '#db';
import { ReconcileQueue } from '#queue';
import type { Runtime } from '#runtime';
import { RUNTIME } from '../tokens.js';

/**
 * The safety net. Every RESYNC_INTERVAL_MS (and at start) each deployment
 * that is not settled is enqueued again, so a lost job, a flushed Redis or a
 * crashed worker heals by itself; instances that no live deployment version
 * owns are removed; and deployments DELETED for longer than
 * DELETED_DEPLOYMENT_RETENTION_SECONDS are removed (their history kept in the
 * audit log). Runs from a timer in each worker: it needs nothing in Redis to
 * survive a flush, reconcile jobs are deduplicated, and a removal locks the
 * deployment's row, so several workers doing it at once cost only a few
 * queries and remove each deployment once.
 */
@Injectable()
export class ResyncService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ResyncService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly queue: ReconcileQueue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.RESYNC_INTERVAL_MS);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.resync()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`Resync failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Re-enqueues unsettled deployments, removes orphaned instances and expired DELETED deployments. */
  async resync(): Promise<{ enqueued: number; orphans: number; removed: number }> {
    const unsettled = await this.deployments.unsettled();
    for (const d of unsettled) {
      // Redis is away (each try would wait out the enqueue timeout, and hold a stopping worker): next time.
      if (!(await this.queue.enqueue(d.workspace, d.name, { background: true }))) break;
    }
    let orphans = 0;
    for (const instance of await this.runtime.list()) {
      const { workspace, deployment, version } = instance;
      if (!workspace || !deployment || version === undefined) continue;
      if (await this.deployments.isLive(workspace, deployment, version)) continue;
      this.logger.log(`Removing orphaned instance ${instance.instanceId}: no live deployment version owns it`);
      await this.runtime.delete(instance.instanceId);
      orphans++;
    }
    return { enqueued: unsettled.length, orphans, removed: await this.removeExpired() };
  }

  /** The records of deployments DELETED longer than the retention (with 0, those a reconcile missed: a crash between). */
  private async removeExpired(): Promise<number> {
    const retentionMs = this.config.DELETED_DEPLOYMENT_RETENTION_SECONDS * 1000;
    let removed = 0;
    for (const d of await this.deployments.expiredDeleted(retentionMs)) {
      if (await this.deployments.removeIfSettled(d.workspace, d.name, retentionMs)) removed++;
    }
    if (removed > 0) this.logger.log(`Removed ${removed} deployment(s) DELETED for longer than the retention`);
    return removed;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
