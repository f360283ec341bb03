import { Logger } from '@nestjs/common';
import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  type InstanceChange,
  type InstanceListener,
  type InstanceObservation,
  type InstanceSpec,
  type Runtime,
} from '../runtime.js';
import { InstanceChanges } from '../instance-changes.js';
import { KeyedMutex } from '../local/keyed-mutex.js';
import type { RuntimeLogger } from '../local/local-runtime.options.js';
import { ClusterCache, type CacheChange } from './cluster-cache.js';
import { instanceStatus, type InstanceObjects, type InstanceStatus } from './instance-status.js';
import { PodLogs } from './pod-logs.js';
import { withProgress } from './pod-progress.js';
import {
  apiError,
  assertOwnName,
  contains,
  header,
  kindName,
  recordedName,
  reuseConnections,
  statusOf,
} from './kube-objects.js';
import { compileWorkload, specFromAnnotation } from './instance-workload.js';
import {
  resolveOptions,
  type KubernetesRuntimeOptions,
  type ResolvedKubernetesOptions as Resolved,
} from './kubernetes-runtime.options.js';
import { PORT, type NimWorkload } from './nim.compiler.js';

export { contains, reuseConnections } from './kube-objects.js';
export { DEFAULT_ENDPOINT_TEMPLATE, type KubernetesRuntimeOptions } from './kubernetes-runtime.options.js';
export { SPEC_ANNOTATION } from './instance-workload.js';

export const FIELD_MANAGER = 'modelplane';
const APPLIED_TTL_MS = 30_000;
/** Remembered while the informer has not seen our own write yet. */
interface Applied {
  deployment: V1Deployment;
  at: number;
}

/**
 * Runs each instance as NIM containers on Kubernetes: the NIM compiler's
 * Deployment, Service and model cache claim, applied server-side with field
 * manager `modelplane` (applying again changes nothing), observed through
 * informers (no polling), deleted with everything it owns. What users or
 * other controllers change in our objects is put back; a Service or cache
 * claim deleted behind our back is recreated. A deleted Deployment is the
 * planner's to recreate (it counts such recoveries).
 */
export class KubernetesRuntime implements Runtime {
  readonly kind = 'kubernetes' as const;
  private readonly options: Resolved;
  private readonly logger: RuntimeLogger;
  private readonly cache: ClusterCache;
  private readonly objects: KubernetesObjectApi;
  private readonly version: VersionApi;
  private readonly locks = new KeyedMutex();
  private readonly events: InstanceChanges;
  /** What each instance should be, from apply or recovered from its Deployment's annotation. */
  private readonly desired = new Map<string, InstanceSpec>();
  private readonly applied = new Map<string, Applied>();
  private readonly deleting = new Set<string>();
  /** Last state reported per instance, so a hint goes out only when something moved. */
  private readonly lastKey = new Map<string, string>();
  /** Since when a pod has been stuck on a waiting reason: `${uid}/${reason}` → time. */
  private readonly stuck = new Map<string, Date>();
  private readonly logs: PodLogs;
  /** Deployment generations our own applies produced; any other is someone else's change. */
  private readonly ownGenerations = new Map<string, number>();
  private readonly pendingChecks = new Set<string>();
  private starting: Promise<void> | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: KubernetesRuntimeOptions) {
    this.options = resolveOptions(options);
    this.logger = options.logger ?? new Logger(KubernetesRuntime.name);
    this.events = new InstanceChanges(this.logger);
    reuseConnections(options.kubeConfig);
    this.cache = new ClusterCache({
      kubeConfig: options.kubeConfig,
      namespace: options.namespace,
      logger: this.logger,
    });
    this.objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
    this.version = options.kubeConfig.makeApiClient(VersionApi);
    this.logs = new PodLogs(options.kubeConfig.makeApiClient(CoreV1Api), this.options);
  }

  /** The API server's `/version`: authenticated, readable by every account, and cheap. */
  async ping(): Promise<void> {
    await this.version.getCode();
  }

  /** Fills the caches (one list per kind) and starts watching. Every other method awaits it. */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('KubernetesRuntime is closed'));
    this.starting ??= this.start();
    return this.starting;
  }

  async apply(spec: InstanceSpec): Promise<InstanceObservation> {
    await this.init();
    await this.locks.run(spec.instanceId, async () => {
      const workload = this.compile(spec, recordedName(this.cache.objectsOf(spec.instanceId)));
      this.deleting.delete(spec.instanceId);
      this.desired.set(spec.instanceId, structuredClone(spec));
      await this.write(spec.instanceId, workload, 'all');
    });
    return this.observe(spec.instanceId);
  }

  async observe(instanceId: string): Promise<InstanceObservation> {
    await this.init();
    const status = this.statusOf(instanceId);
    const { observation, logFrom } = status;
    if (logFrom && (observation.phase === 'failed' || observation.restarts > 0 || observation.phase === 'starting')) {
      observation.logTail = await this.logs.tail(logFrom.pod, logFrom.container, logFrom.previous);
    }
    return observation;
  }

  async delete(instanceId: string): Promise<void> {
    await this.init();
    await this.locks.run(instanceId, async () => {
      this.deleting.add(instanceId);
      this.desired.delete(instanceId);
      this.applied.delete(instanceId);
      // Every object of the instance, not one per kind: an instance seen under two names leaves neither behind.
      const targets = this.cache
        .objectsOfKinds(instanceId, ['deployment', 'service', 'persistentVolumeClaim'])
        .filter((object) => !object.metadata?.deletionTimestamp);
      // Background propagation: the garbage collector removes the ReplicaSet, then the pods. The
      // instance stays `terminating` until its pods are gone too (the GPUs are free). Foreground
      // deletion said the same through the Deployment, but the collector re-checks a waiting owner
      // with a growing back-off: 20 deletions took 21 s that way, 100 took 109 s (bench:kubernetes).
      const propagation = (object: KubernetesObject) => (kindName(object) === 'Deployment' ? 'Background' : undefined);
      await Promise.all(
        targets.map((object) =>
          this.objects
            .delete(
              header(object, this.options.namespace),
              undefined,
              undefined,
              undefined,
              undefined,
              propagation(object),
            )
            .catch((error: unknown) => {
              if (statusOf(error) !== 404) throw apiError(`delete ${kindName(object)} ${object.metadata?.name}`, error);
            }),
        ),
      );
      if (targets.length > 0) this.logger.log(`${instanceId}: deleting ${targets.map(kindName).join(', ')}`);
      this.settleDeleting(instanceId);
    });
  }

  async list(): Promise<InstanceObservation[]> {
    await this.init();
    const ids = new Set([...this.cache.instanceIds(), ...this.applied.keys()]);
    return [...ids].map((id) => this.statusOf(id).observation);
  }

  watch(listener: InstanceListener): () => void {
    return this.events.watch(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.starting?.catch(() => undefined);
    await this.locks.drain();
    await this.cache.stop();
    this.events.close();
  }

  /** The relist and drift check the resync timer runs; exposed for tests and tooling. */
  async resync(): Promise<void> {
    await this.init();
    await this.cache.resync();
    for (const instanceId of this.cache.instanceIds()) this.scheduleCheck(instanceId);
  }

  private async start(): Promise<void> {
    this.cache.onChange((change) => this.onCacheChange(change));
    await this.cache.start();
    if (this.closed) return;
    for (const instanceId of this.cache.instanceIds()) this.scheduleCheck(instanceId);
    this.resyncTimer = setInterval(() => {
      this.resync().catch((error: Error) => this.logger.warn(`Resync failed: ${error.message}`));
    }, this.options.resyncMs);
    this.resyncTimer.unref();
  }

  /** `name`: what the instance's live objects are called (adopted), else the current scheme's name. */
  private compile(spec: InstanceSpec, name: string | undefined): NimWorkload {
    return compileWorkload(spec, name, this.options);
  }

  /**
   * Server-side apply, field manager `modelplane`, forced: our fields are
   * ours (another manager's change to them is reverted); fields we do not
   * set stay whoever's they are. The cache claim first, the Deployment last,
   * so a pod never waits on objects that do not exist yet. A name the cache
   * does not show as this instance's is checked first: never applied over
   * when it is someone else's.
   */
  private async write(instanceId: string, workload: NimWorkload, which: 'all' | 'drifted'): Promise<void> {
    const live = this.cache.objectsOf(instanceId);
    const plan: [KubernetesObject, KubernetesObject | undefined][] = [];
    for (const [object, current] of [
      [workload.persistentVolumeClaim, live.persistentVolumeClaim],
      [workload.service, live.service],
      [workload.deployment, live.deployment],
    ] as const) {
      if (object === null || (which === 'drifted' && current && contains(current, object))) continue;
      plan.push([object, current]);
    }
    // Every name first, so a refused version leaves no object of its own behind either.
    for (const [object, current] of plan) {
      if (current?.metadata?.name !== object.metadata?.name)
        await assertOwnName(this.objects, this.options.namespace, instanceId, object, (m) => this.logger.warn(m));
    }
    for (const [object, current] of plan) {
      if (which === 'drifted') {
        this.logger.warn(
          `${instanceId}: ${kindName(object)} ${object.metadata?.name} was ${current ? 'changed' : 'deleted'} outside Modelplane; restoring it`,
        );
      }
      let result: KubernetesObject;
      try {
        result = await this.objects.patch(
          object,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
      } catch (error) {
        throw apiError(`apply ${kindName(object)} ${object.metadata?.name}`, error);
      }
      if (object.kind === 'Deployment') {
        const deployment = result as V1Deployment;
        if (deployment.metadata?.uid && deployment.metadata.generation !== undefined)
          this.ownGenerations.set(deployment.metadata.uid, deployment.metadata.generation);
        if (!live.deployment) this.applied.set(instanceId, { deployment, at: Date.now() });
      }
    }
  }

  private statusOf(instanceId: string): InstanceStatus {
    const objects = this.cache.objectsOf(instanceId);
    const applied = this.applied.get(instanceId);
    // Until the informer shows our write (normally milliseconds); an entry it never confirms expires.
    if (applied && !objects.deployment && Date.now() - applied.at < APPLIED_TTL_MS)
      objects.deployment = applied.deployment;
    const now = new Date();
    const status = instanceStatus(objects, {
      now,
      settings: {
        crashLoopRestarts: this.options.crashLoopRestarts,
        startErrorGraceMs: this.options.startErrorGraceMs,
      },
      deleting: this.deleting.has(instanceId),
      stuckSince: (pod, reason) => {
        const key = `${pod.metadata?.uid}/${reason}`;
        let since = this.stuck.get(key);
        if (!since) this.stuck.set(key, (since = new Date()));
        return since;
      },
      endpoint: (objs, pod) => this.endpointOf(objs, pod),
    });
    return { ...status, observation: withProgress(status.observation, objects, now) };
  }

  private endpointOf(objects: InstanceObjects, pod: V1Pod): string {
    const service = objects.service?.metadata?.name ?? objects.deployment?.metadata?.name ?? '';
    return this.options.endpointTemplate
      .replaceAll('{service}', service)
      .replaceAll('{namespace}', this.options.namespace)
      .replaceAll('{port}', String(PORT))
      .replaceAll('{podIP}', pod.status?.podIP ?? '');
  }

  private onCacheChange(change: CacheChange): void {
    const { instanceId, kind, verb, object } = change;
    if (kind === 'deployment' && verb !== 'delete') this.applied.delete(instanceId);
    if (kind === 'pod' && verb === 'delete') this.forgetPod(object as V1Pod);
    this.settleDeleting(instanceId);
    this.report(instanceId);
    if (kind === 'pod' || kind === 'event' || this.deleting.has(instanceId)) return;
    if (kind === 'deployment') {
      if (verb === 'delete') {
        this.ownGenerations.delete(object.metadata?.uid ?? '');
        return; // the planner's to recreate (and to count)
      }
      const deployment = object as V1Deployment;
      const uid = deployment.metadata?.uid ?? '';
      if (this.ownGenerations.get(uid) === deployment.metadata?.generation) return;
    }
    this.scheduleCheck(instanceId);
  }

  /** Emits a hint when the instance's state moved (phase, reason, restarts, what a start waits on). */
  private report(instanceId: string): void {
    const { observation } = this.statusOf(instanceId);
    const { phase, reason, restarts, message, progress } = observation;
    const key = `${phase}|${reason ?? ''}|${restarts}|${message}|${progress?.phase ?? ''}|${progress?.detail ?? ''}`;
    const previous = this.lastKey.get(instanceId);
    if (previous === key) return;
    if (observation.phase === 'missing') this.lastKey.delete(instanceId);
    else this.lastKey.set(instanceId, key);
    const { workspace, deployment, version } = observation;
    if (!workspace || !deployment || version === undefined) return;
    const wasReady = previous?.startsWith('ready|') ?? false;
    const change: InstanceChange =
      observation.phase === 'ready'
        ? 'ready'
        : wasReady
          ? 'unready'
          : observation.phase === 'missing' || observation.phase === 'terminating' || observation.phase === 'failed'
            ? 'exited'
            : 'started';
    this.events.emit({ instanceId, change, workspace, deployment, version });
  }

  /** Checks an instance for drift once the current burst of events has passed. */
  private scheduleCheck(instanceId: string): void {
    if (this.closed || this.pendingChecks.has(instanceId)) return;
    this.pendingChecks.add(instanceId);
    setTimeout(() => {
      this.pendingChecks.delete(instanceId);
      void this.locks
        .run(instanceId, () => this.restoreDrift(instanceId))
        .catch((error: Error) => this.logger.warn(`${instanceId}: cannot restore its objects: ${error.message}`));
    }, 50).unref();
  }

  /** Puts back what was changed or deleted behind our back, for an instance we run (not one being deleted). */
  private async restoreDrift(instanceId: string): Promise<void> {
    if (this.closed || this.deleting.has(instanceId)) return;
    const live = this.cache.objectsOf(instanceId);
    if (!live.deployment || live.deployment.metadata?.deletionTimestamp) return;
    const spec = this.desired.get(instanceId) ?? specFromAnnotation(live.deployment);
    if (!spec) return;
    this.desired.set(instanceId, spec);
    await this.write(instanceId, this.compile(spec, recordedName(live)), 'drifted');
  }

  private settleDeleting(instanceId: string): void {
    if (!this.deleting.has(instanceId)) return;
    const objects = this.cache.objectsOf(instanceId);
    if (!objects.deployment && objects.pods.length === 0 && !objects.service && !objects.persistentVolumeClaim) {
      this.deleting.delete(instanceId);
    }
  }

  private forgetPod(pod: V1Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    for (const key of this.stuck.keys()) if (key.startsWith(`${uid}/`)) this.stuck.delete(key);
    this.logs.forget(uid);
  }
}
