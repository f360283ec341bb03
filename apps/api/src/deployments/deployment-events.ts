import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ApiConfig } from '#config';
import { EventEmitter } from 'node:events';
import pg from 'pg';

export interface StatusEvent {
  workspace: string;
  name: string;
  version: number;
  status: string;
  status_message: string;
}

const CHANNEL = 'deployment_status';
const RECONNECT_MS = 1000;

/**
 * Status changes of deployments, as they are written: one LISTEN connection
 * per API process (a trigger NOTIFYs on every history entry), fanned out to
 * in-process subscribers. Long-polls and event streams wait on this instead
 * of polling the database. Reconnects by itself; a subscriber that may have
 * missed events while disconnected re-reads the state anyway.
 */
@Injectable()
export class DeploymentEvents implements OnModuleDestroy {
  private readonly logger = new Logger(DeploymentEvents.name);
  private readonly emitter = new EventEmitter();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;

  constructor(@Inject(ApiConfig) private readonly config: ApiConfig) {
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` on each status change of `workspace/name`; returns the unsubscribe function. */
  async subscribe(workspace: string, name: string, listener: (event: StatusEvent) => void): Promise<() => void> {
    await this.connect();
    const key = `${workspace}/${name}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as StatusEvent;
        this.emitter.emit(`${event.workspace}/${event.name}`, event);
      } catch {
        this.logger.warn('Ignored a malformed status notification');
      }
    });
    client.on('error', (error) => {
      this.logger.warn(`Status listener lost its connection (${error.message}); reconnecting`);
      this.client = undefined;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.connect().catch(() => undefined), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
