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
 * crashed worker heals by itself; and instances that no live deployment
 * version owns are removed. Runs from a timer in each worker: it needs
 * nothing in Redis to survive a flush, and reconcile jobs are deduplicated,
 * so several workers doing it at once cost only a few queries.
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

  /** Re-enqueues unsettled deployments and removes orphaned instances. */
  async resync(): Promise<{ enqueued: number; orphans: number }> {
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
    return { enqueued: unsettled.length, orphans };
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
