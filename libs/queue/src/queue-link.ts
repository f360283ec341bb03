import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * Whether this process reaches the queue's store (Redis, or PostgreSQL with QUEUE_BACKEND=postgres), logged
 * once per change of state: one line when it is lost (the address and why), one when it is back, nothing
 * per retry or per failed command in between.
 */
export class QueueLink {
  private readonly logger = new Logger(QueueLink.name);
  private up = true;

  /** `store`: what log lines call it (`Redis`); `address`: where, never with credentials. */
  constructor(
    private readonly store: string,
    private readonly address: string,
  ) {}

  get reachable(): boolean {
    return this.up;
  }

  /** Follows a connection: any error means lost (a reconnect or a command failed), `ready` means back. */
  watch(connection: Redis): void {
    connection.on('error', (error: Error) => this.lost(error.message));
    connection.on('ready', () => this.back());
  }

  lost(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.logger.warn(
      `${this.store} at ${this.address} is unreachable (${reason.split('\n')[0]}); reconnecting with back-off. ` +
        `Deployment changes meanwhile are enqueued by the worker's resync.`,
    );
  }

  back(): void {
    if (this.up) return;
    this.up = true;
    this.logger.log(`${this.store} at ${this.address} is reachable again`);
  }
}
