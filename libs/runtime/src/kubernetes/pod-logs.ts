import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { describe } from './cluster-cache.js';

/**
 * The last lines a container printed, read once per container run. Served by
 * the kubelet through the API server (pods/log); when that fails (no kubelet,
 * no permission) the answer says so instead of holding lines.
 */
export class PodLogs {
  /** Log tails already read: `${uid}/${restarts}/${previous}` → lines. */
  private readonly read = new Map<string, string[]>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly options: { namespace: string; logTailLines: number },
  ) {}

  async tail(pod: V1Pod, container: string, previous: boolean): Promise<string[]> {
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    const key = `${pod.metadata?.uid}/${status?.restartCount ?? 0}/${previous}`;
    const cached = this.read.get(key);
    if (cached) return cached;
    let lines: string[];
    try {
      const text = await this.core.readNamespacedPodLog({
        name: pod.metadata!.name!,
        namespace: this.options.namespace,
        container,
        previous,
        tailLines: this.options.logTailLines,
      });
      lines = text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
      if (this.read.size > 1000) this.read.clear();
      this.read.set(key, lines);
    } catch (error) {
      lines = [`(the container log could not be read: ${describe(error)})`];
    }
    return lines;
  }

  /** Drops what was read from a pod that is gone. */
  forget(uid: string): void {
    for (const key of this.read.keys()) if (key.startsWith(`${uid}/`)) this.read.delete(key);
  }
}
