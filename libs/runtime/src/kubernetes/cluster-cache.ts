/**
 * The runtime's view of the cluster: list-and-watch informers on the four
 * kinds it owns (Deployments, Pods, Services, PersistentVolumeClaims), in one
 * namespace, selected by `app.kubernetes.io/managed-by=modelplane`, indexed
 * by instance id; and on the Events about pods in that namespace (what the
 * scheduler and the kubelet say while a pod starts), indexed by pod name. An informer that fails is restarted with a back-off; a
 * periodic relist (`resync`) replaces each cache with a fresh list, the
 * safety net under a lost watch event.
 */
import {
  AppsV1Api,
  CoreV1Api,
  type CoreV1Event,
  ListWatch,
  Watch,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
  type V1Deployment,
  type V1PersistentVolumeClaim,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import { CoalescedTask } from '#domain';
import type { RuntimeLogger } from '../local/local-runtime.options.js';
import type { InstanceObjects } from './instance-status.js';
import { ANNOTATIONS, LABELS, MANAGED_BY } from './nim.compiler.js';

export type Kind = 'deployment' | 'pod' | 'service' | 'persistentVolumeClaim';
export const KINDS: readonly Kind[] = ['deployment', 'pod', 'service', 'persistentVolumeClaim'];
/** What the cache watches: the owned kinds, and Events about pods (they carry no labels of ours). */
type Watched = Kind | 'event';
const WATCHED: readonly Watched[] = [...KINDS, 'event'];

type ObjectOf<K extends Kind> = {
  deployment: V1Deployment;
  pod: V1Pod;
  service: V1Service;
  persistentVolumeClaim: V1PersistentVolumeClaim;
}[K];

export interface CacheChange {
  kind: Watched;
  verb: 'add' | 'update' | 'delete';
  instanceId: string;
  object: KubernetesObject;
}

export interface ClusterCacheOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  logger: RuntimeLogger;
  /** First wait before restarting a failed informer; doubles up to 30 s. */
  retryMs?: number;
}

const SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;
const POD_EVENTS = 'involvedObject.kind=Pod';

/**
 * client-node's ListWatch checks whether it was stopped before it lists, not after: a stop() that comes
 * while it lists (at start, or when it lists again after a watch ended) lets it open a watch that nothing
 * will close, which holds a connection to the API server (and kept a test run's process alive). This Watch
 * opens nothing once its informer is stopped, and closes a watch that opens after the stop.
 */
export class StoppableWatch extends Watch {
  stopped = false;

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.stopped) return new AbortController();
    const controller = await super.watch(path, queryParams, callback, done);
    if (this.stopped) controller.abort();
    return controller;
  }
}
const MAX_RETRY_MS = 30_000;

export class ClusterCache {
  /** instance id → kind → object name → object. */
  private readonly index = new Map<string, Record<Kind, Map<string, KubernetesObject>>>();
  /** Pod name → event name → event. */
  private readonly podEvents = new Map<string, Map<string, CoreV1Event>>();
  private readonly informers = new Map<Watched, Informer<KubernetesObject> & ObjectCache<KubernetesObject>>();
  private readonly listeners = new Set<(change: CacheChange) => void>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Informers replaced or being restarted: stopping one makes it report an error, which is not news. */
  private readonly retired = new WeakSet<object>();
  /** Each informer's watch, stopped with it (see StoppableWatch). */
  private readonly watches = new WeakMap<object, StoppableWatch>();
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private stopped = false;
  private readonly resyncs = new CoalescedTask(
    () => this.relistAll(),
    () => this.stopped,
  );

  constructor(private readonly options: ClusterCacheOptions) {
    this.apps = options.kubeConfig.makeApiClient(AppsV1Api);
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /**
   * Lists and starts watching every kind; rejects, naming the kind and the cause, when a first list
   * of an owned kind fails. Events only add detail: without them (a Role that does not grant them)
   * the runtime works, says so once, and tries again at each resync.
   */
  async start(): Promise<void> {
    await Promise.all(WATCHED.map((kind) => this.startInformer(kind, true)));
  }

  /** Replaces every cache with a fresh list (changes found are reported as if watched). */
  resync(): Promise<void> {
    // One at a time: two resyncs under way would each replace the informers, and one set was never stopped.
    return this.resyncs.run();
  }

  private async relistAll(): Promise<void> {
    await Promise.all(
      WATCHED.map(async (kind) => {
        if (this.stopped) return;
        const old = this.informers.get(kind);
        await this.startInformer(kind, false);
        if (old && this.informers.get(kind) !== old) await this.retire(old);
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    await Promise.all([...this.informers.values()].map((informer) => this.retire(informer)));
    this.listeners.clear();
  }

  onChange(listener: (change: CacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  objectsOf(instanceId: string): InstanceObjects {
    const entry = this.index.get(instanceId);
    const first = <K extends Kind>(kind: K) =>
      entry ? (entry[kind].values().next().value as ObjectOf<K> | undefined) : undefined;
    const pods = entry ? ([...entry.pod.values()] as V1Pod[]) : [];
    return {
      instanceId,
      deployment: first('deployment'),
      pods,
      service: first('service'),
      persistentVolumeClaim: first('persistentVolumeClaim'),
      events: pods.flatMap((pod) => [...(this.podEvents.get(pod.metadata?.name ?? '')?.values() ?? [])]),
    };
  }

  /** Every object of these kinds that the instance has, whatever its name. */
  objectsOfKinds(instanceId: string, kinds: readonly Kind[]): KubernetesObject[] {
    const entry = this.index.get(instanceId);
    return entry ? kinds.flatMap((kind) => [...entry[kind].values()]) : [];
  }

  instanceIds(): string[] {
    return [...this.index.keys()];
  }

  private async startInformer(kind: Watched, first: boolean): Promise<void> {
    const { namespace } = this.options;
    const informer = this.makeInformer(kind, namespace);
    let failure: unknown = null;
    /** Names this informer's first list holds; the rest of the index for this kind is stale. */
    let listed = false;
    informer.on('add', (object) => this.upsert(kind, object, 'add'));
    informer.on('update', (object) => this.upsert(kind, object, 'update'));
    informer.on('delete', (object) => this.remove(kind, object));
    informer.on('error', (error: unknown) => {
      failure = error;
      if (!listed || this.stopped || this.retired.has(informer)) return;
      this.options.logger.warn(`Watching ${kind}s in ${namespace} failed (${describe(error)}); restarting`);
      this.restart(kind, informer, this.options.retryMs ?? 1000);
    });
    await informer.start();
    // Stopped while this one listed (a resync or a restart under way at shutdown): its watch would
    // outlive the cache, holding a connection to the API server.
    if (this.stopped) {
      await this.retire(informer);
      return;
    }
    if (failure !== null) {
      await this.retire(informer);
      const message = `Cannot list ${kind}s in namespace ${namespace}: ${describe(failure)}`;
      if (first && kind !== 'event') throw new Error(message);
      this.options.logger.warn(`${message}; keeping the previous view`);
      return;
    }
    listed = true;
    // Whatever this one replaces is stopped, whoever started it (a restart and a resync can cross).
    const replaced = this.informers.get(kind);
    this.informers.set(kind, informer);
    if (replaced && replaced !== informer && !this.retired.has(replaced)) await this.retire(replaced);
    this.dropMissing(kind, informer);
  }

  /** After a fresh list: objects the index holds that the list does not were deleted unseen. */
  private dropMissing(kind: Watched, informer: ObjectCache<KubernetesObject>): void {
    if (kind === 'event') {
      for (const events of [...this.podEvents.values()])
        for (const event of [...events.values()])
          if (informer.get(event.metadata?.name ?? '', this.options.namespace) === undefined) this.remove(kind, event);
      return;
    }
    for (const [instanceId, entry] of [...this.index]) {
      for (const [name, object] of [...entry[kind]]) {
        if (informer.get(name, this.options.namespace) === undefined) this.remove(kind, object, instanceId);
      }
    }
  }

  private restart(kind: Watched, informer: Informer<KubernetesObject>, delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.stopped || this.informers.get(kind) !== informer) return;
      void this.retire(informer).then(async () => {
        await this.startInformer(kind, false);
        // Still the failed one: the new list failed too; try again later.
        if (this.informers.get(kind) === informer && !this.stopped)
          this.restart(kind, informer, Math.min(delayMs * 2, MAX_RETRY_MS));
      });
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async retire(informer: Informer<KubernetesObject>): Promise<void> {
    this.retired.add(informer);
    const watch = this.watches.get(informer);
    if (watch) watch.stopped = true;
    await informer.stop();
  }

  private upsert(kind: Watched, object: KubernetesObject, verb: 'add' | 'update'): void {
    if (kind === 'event') return this.upsertEvent(object as CoreV1Event, verb);
    const instanceId = object.metadata?.annotations?.[ANNOTATIONS.instanceId];
    const name = object.metadata?.name;
    if (!instanceId || !name) return;
    let entry = this.index.get(instanceId);
    if (!entry) {
      entry = { deployment: new Map(), pod: new Map(), service: new Map(), persistentVolumeClaim: new Map() };
      this.index.set(instanceId, entry);
    }
    entry[kind].set(name, object);
    this.emit({ kind, verb, instanceId, object });
  }

  private remove(kind: Watched, object: KubernetesObject, knownId?: string): void {
    if (kind === 'event') return this.removeEvent(object as CoreV1Event);
    const instanceId = knownId ?? object.metadata?.annotations?.[ANNOTATIONS.instanceId];
    const name = object.metadata?.name;
    const entry = instanceId ? this.index.get(instanceId) : undefined;
    if (!instanceId || !name || !entry?.[kind].delete(name)) return;
    if (KINDS.every((k) => entry[k].size === 0)) this.index.delete(instanceId);
    this.emit({ kind, verb: 'delete', instanceId, object });
  }

  /** Events of every pod in the namespace (they carry no labels); reported for the pods of an instance. */
  private upsertEvent(event: CoreV1Event, verb: 'add' | 'update'): void {
    const pod = event.involvedObject?.name;
    const name = event.metadata?.name;
    if (!pod || !name) return;
    let events = this.podEvents.get(pod);
    if (!events) this.podEvents.set(pod, (events = new Map()));
    events.set(name, event);
    const instanceId = this.instanceOfPod(pod);
    if (instanceId) this.emit({ kind: 'event', verb, instanceId, object: event });
  }

  private removeEvent(event: CoreV1Event): void {
    const pod = event.involvedObject?.name ?? '';
    const events = this.podEvents.get(pod);
    if (!events?.delete(event.metadata?.name ?? '')) return;
    if (events.size === 0) this.podEvents.delete(pod);
  }

  private instanceOfPod(pod: string): string | undefined {
    for (const [instanceId, entry] of this.index) if (entry.pod.has(pod)) return instanceId;
    return undefined;
  }

  private emit(change: CacheChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error(`A cache listener failed on ${change.instanceId}: ${(error as Error).message}`);
      }
    }
  }

  private informer(
    path: string,
    listFn: () => Promise<KubernetesListObject<KubernetesObject>>,
    selector: string | undefined,
    fieldSelector?: string,
  ): Informer<KubernetesObject> & ObjectCache<KubernetesObject> {
    const watch = new StoppableWatch(this.options.kubeConfig);
    const informer = new ListWatch(path, watch, listFn, false, selector, fieldSelector);
    this.watches.set(informer, watch);
    return informer;
  }

  private makeInformer(kind: Watched, namespace: string): Informer<KubernetesObject> & ObjectCache<KubernetesObject> {
    const list = <T extends KubernetesObject>(fn: () => Promise<KubernetesListObject<T>>) =>
      fn as () => Promise<KubernetesListObject<KubernetesObject>>;
    switch (kind) {
      case 'deployment':
        return this.informer(
          `/apis/apps/v1/namespaces/${namespace}/deployments`,
          list(() => this.apps.listNamespacedDeployment({ namespace, labelSelector: SELECTOR })),
          SELECTOR,
        );
      case 'pod':
        return this.informer(
          `/api/v1/namespaces/${namespace}/pods`,
          list(() => this.core.listNamespacedPod({ namespace, labelSelector: SELECTOR })),
          SELECTOR,
        );
      case 'service':
        return this.informer(
          `/api/v1/namespaces/${namespace}/services`,
          list(() => this.core.listNamespacedService({ namespace, labelSelector: SELECTOR })),
          SELECTOR,
        );
      case 'persistentVolumeClaim':
        return this.informer(
          `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
          list(() => this.core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector: SELECTOR })),
          SELECTOR,
        );
      case 'event':
        return this.informer(
          `/api/v1/namespaces/${namespace}/events`,
          list(() => this.core.listNamespacedEvent({ namespace, fieldSelector: POD_EVENTS })),
          undefined,
          POD_EVENTS,
        );
    }
  }
}

/** An API error as one line: HTTP status and the server's message, never a request header. */
export function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: number; statusCode?: number; body?: unknown; message?: string };
    const status = e.code ?? e.statusCode;
    let detail: string | undefined;
    if (typeof e.body === 'string') {
      try {
        detail = (JSON.parse(e.body) as { message?: string }).message;
      } catch {
        detail = e.body.slice(0, 300);
      }
    } else if (e.body && typeof e.body === 'object') detail = (e.body as { message?: string }).message;
    if (typeof status === 'number' && status >= 100) return `HTTP ${status}${detail ? `: ${detail}` : ''}`;
    return e.message ?? String(error);
  }
  return String(error);
}
