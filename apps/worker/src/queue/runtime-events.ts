import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ReconcileQueue } from '#queue';
import type { InstanceEvent, Runtime } from '#runtime';
import { runOutsideWork } from '#telemetry';
import { RUNTIME } from '../tokens.js';

/**
 * Turns the runtime's change hints (an instance started, became ready, lost
 * readiness, exited) into immediate reconciles of the deployment that owns
 * the instance, so a deployment moves as soon as its instance does rather
 * than at its next re-check. Re-checks and the resync stay as the safety net
 * for a hint that is lost (a worker restart, a Redis outage).
 */
@Injectable()
export class RuntimeEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RuntimeEvents.name);
  private unsubscribe?: () => void;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly queue: ReconcileQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.runtime.watch((event) => this.onChange(event));
  }

  private onChange({ instanceId, change, workspace, deployment }: InstanceEvent): void {
    this.logger.debug(`${instanceId}: ${change}; reconciling ${workspace}/${deployment}`);
    // A hint is the runtime's own news, not part of the request whose job happened to start the instance.
    void runOutsideWork(() => this.queue.enqueue(workspace, deployment));
  }

  beforeApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
