import { Logger } from '@nestjs/common';
import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { DomainError } from '#domain';
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
import { ClusterCache, describe, type CacheChange } from './cluster-cache.js';
import { instanceStatus, type InstanceObjects, type InstanceStatus } from './instance-status.js';
import { ANNOTATIONS, compileNimWorkload, OverrideError, PORT, type NimWorkload } from './nim.compiler.js';

export const FIELD_MANAGER = 'modelplane';
/** The spec a Deployment was compiled from, so a restarted worker can restore what was changed behind its back. */
export const SPEC_ANNOTATION = 'modelplane.io/instance-spec';
const APPLIED_TTL_MS = 30_000;
export const DEFAULT_ENDPOINT_TEMPLATE = 'http://{service}.{namespace}.svc.cluster.local:{port}';

export interface KubernetesRuntimeOptions {
  kubeConfig: KubeConfig;
  /** Where the NIM objects live (one namespace; the worker's Role is namespaced). */
  namespace: string;
  /** The Secret holding NGC_API_KEY (referenced by name, never read). */
  ngcSecretName?: string;
  /** Image pull secrets for configs that name none. */
  imagePullSecrets?: string[];
  /**
   * The URL of a ready instance. Placeholders: `{service}`, `{namespace}`,
   * `{port}` (8000) and `{podIP}` (a ready pod's IP, for control planes
   * outside the cluster on a network that routes pod IPs). Default: the
   * Service's cluster DNS name.
   */
  endpointTemplate?: string;
  /**
   * Rolling updates within one version's Deployment: `auto` (default) lets a
   * new pod start before the old one stops only when it needs no GPU (a
   * second GPU copy may not fit, and the rollout would then wait forever);
   * `always` or `never` decide for every instance.
   */
  surge?: 'auto' | 'always' | 'never';
  /** The model cache: a PersistentVolumeClaim of `disk_size` (default), or an emptyDir (re-downloaded at each start). */
  modelCache?: 'pvc' | 'empty-dir';
  /** Restarts after which a container that keeps exiting is a crash loop. */
  crashLoopRestarts?: number;
  /** How long an image pull or container configuration error may last before the instance is FAILED (default 3 min). */
  startErrorGraceMs?: number;
  /** How often every cache is relisted and every instance checked for drift (default 5 min). */
  resyncMs?: number;
  /** Log lines read from a failing container (default 20). */
  logTailLines?: number;
  logger?: RuntimeLogger;
}

type Resolved = Required<Omit<KubernetesRuntimeOptions, 'logger'>>;

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
  private readonly core: CoreV1Api;
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
  /** Log tails already read: `${uid}/${restarts}/${previous}` → lines. */
  private readonly logs = new Map<string, string[]>();
  /** Deployment generations our own applies produced; any other is someone else's change. */
  private readonly ownGenerations = new Map<string, number>();
  private readonly pendingChecks = new Set<string>();
  private starting: Promise<void> | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: KubernetesRuntimeOptions) {
    this.options = {
      ngcSecretName: 'ngc-api',
      imagePullSecrets: [],
      endpointTemplate: DEFAULT_ENDPOINT_TEMPLATE,
      surge: 'auto',
      modelCache: 'pvc',
      crashLoopRestarts: 3,
      startErrorGraceMs: 180_000,
      resyncMs: 300_000,
      logTailLines: 20,
      ...stripUndefined(options),
    } as Resolved;
    this.logger = options.logger ?? new Logger(KubernetesRuntime.name);
    this.events = new InstanceChanges(this.logger);
    reuseConnections(options.kubeConfig);
    this.cache = new ClusterCache({
      kubeConfig: options.kubeConfig,
      namespace: options.namespace,
      logger: this.logger,
    });
    this.objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Fills the caches (one list per kind) and starts watching. Every other method awaits it. */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('KubernetesRuntime is closed'));
    this.starting ??= this.start();
    return this.starting;
  }

  async apply(spec: InstanceSpec): Promise<InstanceObservation> {
    await this.init();
    const workload = this.compile(spec);
    await this.locks.run(spec.instanceId, async () => {
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
      observation.logTail = await this.logTail(logFrom.pod, logFrom.container, logFrom.previous);
    }
    return observation;
  }

  async delete(instanceId: string): Promise<void> {
    await this.init();
    await this.locks.run(instanceId, async () => {
      this.deleting.add(instanceId);
      this.desired.delete(instanceId);
      this.applied.delete(instanceId);
      const objects = this.cache.objectsOf(instanceId);
      const targets: KubernetesObject[] = [];
      // Background propagation: the garbage collector removes the ReplicaSet, then the pods. The
      // instance stays `terminating` until its pods are gone too (the GPUs are free). Foreground
      // deletion said the same through the Deployment, but the collector re-checks a waiting owner
      // with a growing back-off: 20 deletions took 21 s that way, 100 took 109 s (bench:kubernetes).
      const propagation = (object: KubernetesObject) => (kindName(object) === 'Deployment' ? 'Background' : undefined);
      if (objects.deployment && !objects.deployment.metadata?.deletionTimestamp) targets.push(objects.deployment);
      if (objects.service && !objects.service.metadata?.deletionTimestamp) targets.push(objects.service);
      if (objects.persistentVolumeClaim && !objects.persistentVolumeClaim.metadata?.deletionTimestamp)
        targets.push(objects.persistentVolumeClaim);
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

  private compile(spec: InstanceSpec): NimWorkload {
    validateSpec(spec);
    const cacheless = this.options.modelCache === 'empty-dir';
    try {
      const workload = compileNimWorkload(spec, {
        namespace: this.options.namespace,
        ngcSecretName: this.options.ngcSecretName,
        imagePullSecrets: this.options.imagePullSecrets,
        surge: this.options.surge === 'always' || (this.options.surge === 'auto' && spec.gpu === 0),
        modelCache: cacheless ? 'empty-dir' : 'pvc',
      });
      const annotations = (workload.deployment.metadata!.annotations ??= {});
      annotations[SPEC_ANNOTATION] = JSON.stringify(spec);
      return workload;
    } catch (error) {
      if (error instanceof OverrideError) throw new DomainError('invalid', 'runtime/invalid_spec', error.message);
      throw error;
    }
  }

  /**
   * Server-side apply, field manager `modelplane`, forced: our fields are
   * ours (another manager's change to them is reverted); fields we do not
   * set stay whoever's they are. The cache claim first, the Deployment last,
   * so a pod never waits on objects that do not exist yet.
   */
  private async write(instanceId: string, workload: NimWorkload, which: 'all' | 'drifted'): Promise<void> {
    const live = this.cache.objectsOf(instanceId);
    const plan: [KubernetesObject | null, KubernetesObject | undefined][] = [
      [workload.persistentVolumeClaim, live.persistentVolumeClaim],
      [workload.service, live.service],
      [workload.deployment, live.deployment],
    ];
    for (const [object, current] of plan) {
      if (object === null) continue;
      if (which === 'drifted') {
        if (current && contains(current, object)) continue;
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
    return instanceStatus(objects, {
      now: new Date(),
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
  }

  private endpointOf(objects: InstanceObjects, pod: V1Pod): string {
    const service = objects.service?.metadata?.name ?? objects.deployment?.metadata?.name ?? '';
    return this.options.endpointTemplate
      .replaceAll('{service}', service)
      .replaceAll('{namespace}', this.options.namespace)
      .replaceAll('{port}', String(PORT))
      .replaceAll('{podIP}', pod.status?.podIP ?? '');
  }

  /**
   * The last lines a container printed. Served by the kubelet through the
   * API server (pods/log); when that fails (no kubelet, no permission) the
   * observation says so instead of holding lines.
   */
  private async logTail(pod: V1Pod, container: string, previous: boolean): Promise<string[]> {
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    const key = `${pod.metadata?.uid}/${status?.restartCount ?? 0}/${previous}`;
    const cached = this.logs.get(key);
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
      if (this.logs.size > 1000) this.logs.clear();
      this.logs.set(key, lines);
    } catch (error) {
      lines = [`(the container log could not be read: ${describe(error)})`];
    }
    return lines;
  }

  private onCacheChange(change: CacheChange): void {
    const { instanceId, kind, verb, object } = change;
    if (kind === 'deployment' && verb !== 'delete') this.applied.delete(instanceId);
    if (kind === 'pod' && verb === 'delete') this.forgetPod(object as V1Pod);
    this.settleDeleting(instanceId);
    this.report(instanceId);
    if (kind === 'pod' || this.deleting.has(instanceId)) return;
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

  /** Emits a hint when the instance's state moved (phase, reason, restarts). */
  private report(instanceId: string): void {
    const { observation } = this.statusOf(instanceId);
    const key = `${observation.phase}|${observation.reason ?? ''}|${observation.restarts}|${observation.message}`;
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
    await this.write(instanceId, this.compile(spec), 'drifted');
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
    for (const key of this.logs.keys()) if (key.startsWith(`${uid}/`)) this.logs.delete(key);
  }
}

/**
 * client-node 1.4.0 builds a new `https.Agent` for every request
 * (kubernetes-client/javascript#2893): each call pays a TCP and TLS
 * handshake on both sides, and every watch restart leaves an agent behind.
 * One keep-alive agent per KubeConfig instead (its TLS options do not change;
 * credentials travel in headers). Measured with `npm run bench:kubernetes`.
 */
export function reuseConnections(kubeConfig: KubeConfig): void {
  type CreateAgent = (cluster: unknown, options: Record<string, unknown>) => unknown;
  const target = kubeConfig as unknown as { createAgent: CreateAgent; [REUSED]?: true };
  if (target[REUSED]) return;
  const create = target.createAgent.bind(kubeConfig);
  let agent: unknown;
  target.createAgent = (cluster, options) => (agent ??= create(cluster, { ...options, keepAlive: true }));
  target[REUSED] = true;
}
const REUSED = Symbol('modelplane.reuseConnections');

/**
 * True when every field `desired` sets has that value in `live` (which also
 * holds the server's defaults and other managers' fields). Lists are
 * compared item by item; an empty list or object matches an absent one.
 */
export function contains(live: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    if (desired.length === 0) return live === undefined || live === null || (Array.isArray(live) && live.length === 0);
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => contains(live[i], d));
  }
  if (desired && typeof desired === 'object') {
    const entries = Object.entries(desired as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return true;
    if (!live || typeof live !== 'object') return false;
    return entries.every(([key, value]) => contains((live as Record<string, unknown>)[key], value));
  }
  if (typeof desired === 'number' || typeof live === 'number') return String(live) === String(desired);
  return live === desired;
}

function specFromAnnotation(deployment: V1Deployment): InstanceSpec | undefined {
  const raw = deployment.metadata?.annotations?.[SPEC_ANNOTATION];
  if (!raw) return undefined;
  try {
    const spec = JSON.parse(raw) as InstanceSpec;
    return spec.instanceId === deployment.metadata?.annotations?.[ANNOTATIONS.instanceId] ? spec : undefined;
  } catch {
    return undefined;
  }
}

function header(object: KubernetesObject, namespace: string): KubernetesObject {
  return {
    apiVersion: object.apiVersion ?? kindApiVersion(object),
    kind: object.kind ?? kindName(object),
    metadata: { name: object.metadata?.name, namespace },
  };
}

/** Objects from typed lists carry no apiVersion/kind; from watches they do. */
function kindName(object: KubernetesObject): string {
  if (object.kind) return object.kind;
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  if ('template' in spec) return 'Deployment';
  if ('accessModes' in spec) return 'PersistentVolumeClaim';
  return 'Service';
}

function kindApiVersion(object: KubernetesObject): string {
  return kindName(object) === 'Deployment' ? 'apps/v1' : 'v1';
}

function statusOf(error: unknown): number | undefined {
  const e = error as { code?: number; statusCode?: number };
  return e?.code ?? e?.statusCode;
}

/** A refusal of the object itself (400, 422) is for good: a DomainError the reconciler fails the version on. */
function apiError(action: string, error: unknown): Error {
  const status = statusOf(error);
  if (status === 400 || status === 422) {
    return new DomainError(
      'invalid',
      'runtime/rejected',
      `Kubernetes refused to ${action}: ${describe(error)} (check the config's k8s_nim_operator_config and override_config)`,
    );
  }
  const hint = status === 403 ? " (the worker's ServiceAccount lacks the permission: see k8s/base/rbac.yaml)" : '';
  return new Error(`Kubernetes: cannot ${action}: ${describe(error)}${hint}`);
}

function validateSpec(spec: InstanceSpec): void {
  const problems: string[] = [];
  if (!spec.image) problems.push('a container image is required on Kubernetes');
  if (!Number.isInteger(spec.gpu) || spec.gpu < 0) problems.push(`gpu must be a whole number ≥ 0, got ${spec.gpu}`);
  if (!spec.specHash) problems.push('specHash is empty');
  if (problems.length > 0) {
    throw new DomainError('invalid', 'runtime/invalid_spec', `Invalid instance spec: ${problems.join('; ')}`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
