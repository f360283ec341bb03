import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { PgNotifications } from '#db';

export interface StatusEvent {
  workspace: string;
  name: string;
  version: number;
  status: string;
  status_message: string;
}

/** Where a trigger announces every status history entry (see the deployment_status migration). */
export const DEPLOYMENT_STATUS_CHANNEL = 'deployment_status';

/**
 * Status changes of deployments, as they are written, fanned out from the
 * application's one LISTEN connection to in-process waiters. Long-polls and
 * event streams wait on this instead of polling the database. A waiter is
 * called with no details ("look again"): each re-reads the deployment, which
 * is also what happens when the connection comes back after a loss, since the
 * notifications sent meanwhile are gone.
 */
@Injectable()
export class DeploymentEvents implements OnModuleDestroy {
  private readonly logger = new Logger(DeploymentEvents.name);
  private readonly waiters = new Map<string, Set<() => void>>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly notifications: PgNotifications) {}

  /**
   * Calls `listener` after each status change of `workspace/name` (and after a
   * reconnection); returns the unsubscribe function. Resolves once listening,
   * so a caller that reads the state afterwards misses no change.
   */
  async subscribe(workspace: string, name: string, listener: () => void): Promise<() => void> {
    // Subscribed on first use, not at boot: the OpenAPI generator builds the app without a database.
    this.unsubscribe ??= this.notifications.subscribe(DEPLOYMENT_STATUS_CHANNEL, {
      notify: (payload) => this.notify(payload),
      reconnected: () => this.wakeAll(),
    });
    const key = `${workspace}/${name}`;
    let waiters = this.waiters.get(key);
    if (!waiters) this.waiters.set(key, (waiters = new Set()));
    // A wrapper per subscription: the same function subscribed twice is two waiters.
    const waiter = () => listener();
    waiters.add(waiter);
    const unsubscribe = () => {
      if (waiters.delete(waiter) && waiters.size === 0 && this.waiters.get(key) === waiters) this.waiters.delete(key);
    };
    try {
      await this.notifications.start();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.waiters.clear();
  }

  private notify(payload: string): void {
    let event: StatusEvent;
    try {
      event = JSON.parse(payload) as StatusEvent;
    } catch {
      this.logger.warn('Ignored a malformed status notification');
      return;
    }
    for (const waiter of [...(this.waiters.get(`${event.workspace}/${event.name}`) ?? [])]) waiter();
  }

  private wakeAll(): void {
    for (const waiters of [...this.waiters.values()]) for (const waiter of [...waiters]) waiter();
  }
}
