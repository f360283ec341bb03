/**
 * Virtual GPUs, counted like a node's `nvidia.com/gpu` capacity and handed
 * out as device indices (which become CUDA_VISIBLE_DEVICES). A total of 0
 * means unlimited: nothing is counted and no indices are assigned.
 */
export class GpuPool {
  /** Device index → the instance holding it. */
  private readonly owners = new Map<number, string>();

  constructor(readonly total: number) {}

  get unlimited(): boolean {
    return this.total === 0;
  }

  get free(): number {
    if (this.unlimited) return Infinity;
    let free = 0;
    for (let i = 0; i < this.total; i++) if (!this.owners.has(i)) free++;
    return free;
  }

  /** Device indices for `count` GPUs, or null when they are not free. */
  tryAllocate(instanceId: string, count: number): number[] | null {
    if (this.unlimited || count === 0) return [];
    const ids: number[] = [];
    for (let i = 0; i < this.total && ids.length < count; i++) if (!this.owners.has(i)) ids.push(i);
    if (ids.length < count) return null;
    for (const id of ids) this.owners.set(id, instanceId);
    return ids;
  }

  /** Takes back indices an instance held before a worker restart, even past a capacity that has since shrunk. */
  restore(instanceId: string, ids: readonly number[]): void {
    for (const id of ids) this.owners.set(id, instanceId);
  }

  release(instanceId: string): void {
    for (const [id, owner] of this.owners) if (owner === instanceId) this.owners.delete(id);
  }

  /** The scheduler's message for an instance left waiting, e.g. "0/4 GPUs free; needs 1". */
  shortfall(count: number): string {
    const head = `${this.free}/${this.total} GPUs free; needs ${count}`;
    return count > this.total ? `${head} (more than this runtime has)` : head;
  }
}
