import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Runtime } from '#runtime';
import { runOutsideWork } from '#telemetry';
import { RUNTIME } from './tokens.js';

/**
 * Starts the runtime's background work (its first list loads state and starts its timers and watches)
 * when the worker starts, outside any job: begun inside the first reconcile job, every line that work
 * logs later would carry that job's request id. Stops it when the worker stops; instances keep running.
 */
@Injectable()
export class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  onApplicationBootstrap(): void {
    // Failures are the resync's to report (it lists again at once).
    void runOutsideWork(() => this.runtime.list()).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}
