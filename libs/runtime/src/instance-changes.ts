import { EventEmitter } from 'node:events';
import type { InstanceEvent, InstanceListener } from './runtime.js';

/**
 * The runtimes' change hints to their watchers (Runtime.watch). A watcher
 * that throws is logged and never breaks the code that reported the change.
 */
export class InstanceChanges {
  private readonly emitter = new EventEmitter<{ change: [InstanceEvent] }>();

  constructor(private readonly logger: { error(message: string): void }) {
    this.emitter.setMaxListeners(0);
  }

  emit(event: InstanceEvent): void {
    this.emitter.emit('change', event);
  }

  watch(listener: InstanceListener): () => void {
    const safe = (event: InstanceEvent): void => {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`An instance watcher failed on ${event.instanceId}: ${(error as Error).message}`);
      }
    };
    this.emitter.on('change', safe);
    return () => this.emitter.off('change', safe);
  }

  close(): void {
    this.emitter.removeAllListeners();
  }
}
