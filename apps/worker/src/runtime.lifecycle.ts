import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Runtime } from '#runtime';
import { RUNTIME } from './tokens.js';

/** Stops the runtime's background work when the worker stops; instances keep running. */
@Injectable()
export class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}
