import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WorkerConfig } from '#config';
import type { Runtime } from '#runtime';
import { runOutsideWork } from '#telemetry';
import { RUNTIME } from './tokens.js';

/**
 * Starts the runtime's background work (its first list loads state and starts its timers and watches)
 * when the worker starts, outside any job: begun inside the first reconcile job, every line that work
 * logs later would carry that job's request id. Stops it when the worker stops; instances keep running,
 * unless LOCAL_RUNTIME_STOP_INSTANCES_ON_EXIT asks the local runtime to stop them too (`npm start`).
 */
@Injectable()
export class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Failures are the resync's to report (it lists again at once).
    void runOutsideWork(() => this.runtime.list()).catch(() => undefined);
  }

  /** Runs after the reconcile jobs and the resync have stopped (beforeApplicationShutdown), so nothing restarts them. */
  async onApplicationShutdown(): Promise<void> {
    if (this.config.MODELPLANE_RUNTIME === 'local' && this.config.LOCAL_RUNTIME_STOP_INSTANCES_ON_EXIT) {
      const instances = await this.runtime.list().catch(() => []);
      const stopped = await Promise.allSettled(instances.map((i) => this.runtime.delete(i.instanceId)));
      const failed = stopped.filter((s) => s.status === 'rejected').length;
      this.logger.log(
        `Stopped ${instances.length - failed} local instance(s)${failed ? `; ${failed} did not stop` : ''} ` +
          '(LOCAL_RUNTIME_STOP_INSTANCES_ON_EXIT); their deployments start them again when the worker next starts',
      );
    }
    await this.runtime.close();
  }
}
