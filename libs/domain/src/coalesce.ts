/**
 * A task that coalesces: run while a run is under way, it returns that run's promise and makes one more
 * run follow it (so a change that arrives mid-run is never missed, and a burst costs two runs). Used by
 * the in-memory tables reloaded on NOTIFY (routing, access). `stopped` ends the loop (a closing source).
 */
export class CoalescedTask {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly stopped: () => boolean = () => false,
  ) {}

  /** The run under way, if any (to wait for it on close). */
  get pending(): Promise<void> | null {
    return this.running;
  }

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again && !this.stopped());
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
