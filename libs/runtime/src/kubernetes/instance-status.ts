/**
 * What the cluster says about one instance, in the lifecycle's terms. A pure
 * function of the instance's objects (from the informer caches) and the
 * clock, so every mapping is unit-tested without a cluster; the runtime adds
 * the log tail.
 */
import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Deployment,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodCondition,
  V1Service,
} from '@kubernetes/client-node';
import type { InstanceObservation, InstanceReason } from '../runtime.js';
import { ANNOTATIONS } from './nim.compiler.js';

/** Everything of one instance the caches hold. */
export interface InstanceObjects {
  instanceId: string;
  deployment?: V1Deployment;
  /** Its pods, terminating ones included. */
  pods: V1Pod[];
  service?: V1Service;
  persistentVolumeClaim?: V1PersistentVolumeClaim;
  /** Events about its pods (scheduler, kubelet), when the runtime watches them. */
  events?: CoreV1Event[];
}

export interface StatusSettings {
  /** Restarts after which a container that keeps exiting is a crash loop (CRASH_LOOP_RESTARTS). */
  crashLoopRestarts: number;
  /** How long an image pull or container configuration error may last before the instance is FAILED. */
  startErrorGraceMs: number;
}

export interface StatusInput {
  now: Date;
  settings: StatusSettings;
  /** When the runtime first saw this pod stuck with this waiting reason (it remembers; the pod does not say). */
  stuckSince: (pod: V1Pod, waitingReason: string) => Date;
  /** The instance's URL for a ready pod. */
  endpoint: (objects: InstanceObjects, readyPod: V1Pod) => string;
  /** True while this runtime is deleting the instance. */
  deleting: boolean;
}

/** The observation, and the pod whose log explains it (a crash loop, an exit), if any. */
export interface InstanceStatus {
  observation: InstanceObservation;
  logFrom?: { pod: V1Pod; container: string; previous: boolean };
}

/** Waiting reasons of a container whose image cannot be pulled. */
const IMAGE_PULL = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
]);
/** Waiting reasons of a container the kubelet cannot create (a missing Secret, a bad command). */
const CONTAINER_CONFIG = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
/** Retrying will not help. */
const PERMANENT = new Set(['InvalidImageName', 'ErrImageNeverPull']);

export function instanceStatus(objects: InstanceObjects, input: StatusInput): InstanceStatus {
  const { instanceId, deployment, pods } = objects;
  const identity = identityOf(objects);
  const base = { instanceId, restarts: 0, logTail: [] as string[], ...identity };
  const anything = deployment || pods.length > 0 || objects.service || objects.persistentVolumeClaim;
  if (!anything) return { observation: { ...base, phase: 'missing', message: 'No such instance' } };

  if (input.deleting || deployment?.metadata?.deletionTimestamp) {
    return { observation: { ...base, phase: 'terminating', message: leftovers(objects) } };
  }
  if (!deployment) {
    // Its Deployment was deleted (not by us) and its pods are still going: they will not come back.
    if (pods.length > 0) return { observation: { ...base, phase: 'terminating', message: leftovers(objects) } };
    // A Service or a cache volume without the Deployment (an apply cut short): applying again completes it.
    return { observation: { ...base, phase: 'missing', message: `Incomplete: ${leftovers(objects)}` } };
  }

  const live = pods
    .filter((pod) => !pod.metadata?.deletionTimestamp)
    .sort((a, b) => created(b) - created(a) || name(a).localeCompare(name(b)));
  const restarts = Math.max(0, ...live.map((pod) => restartsOf(pod)));
  const withRestarts = { ...base, restarts };
  const ready = live
    .filter((pod) => condition(pod, 'Ready')?.status === 'True')
    .sort((a, b) => name(a).localeCompare(name(b)));
  if (ready.length > 0) {
    const since = ready
      .map((pod) => condition(pod, 'Ready')?.lastTransitionTime)
      .filter((t): t is Date => t !== undefined)
      .map((t) => new Date(t))
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const replicas = deployment.spec?.replicas ?? 1;
    return {
      observation: {
        ...withRestarts,
        phase: 'ready',
        message: `${ready.length}/${replicas} pod${replicas === 1 ? '' : 's'} ready`,
        endpoint: input.endpoint(objects, ready[0]),
        readySince: since,
        startedAt: runningSince(ready[0]),
      },
    };
  }
  const pod = live[0];
  if (!pod) {
    return {
      observation: {
        ...withRestarts,
        phase: 'pending',
        message: 'Waiting for the Deployment controller to create a pod',
      },
    };
  }
  return describePod(pod, withRestarts, input);
}

function describePod(
  pod: V1Pod,
  base: Omit<InstanceObservation, 'phase' | 'message'>,
  input: StatusInput,
): InstanceStatus {
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    const message = scheduled.message || scheduled.reason || 'not schedulable';
    // Only a shortage is `insufficient_capacity` (freeing GPUs may help: see the planner's make-room);
    // a selector, affinity or taint that no node satisfies is not, and the message says which.
    const reason: InstanceReason | undefined = /Insufficient /.test(message) ? 'insufficient_capacity' : undefined;
    return { observation: { ...base, phase: 'pending', reason, message: `Unschedulable: ${message}` } };
  }
  if (!pod.spec?.nodeName) return { observation: { ...base, phase: 'pending', message: 'Waiting for the scheduler' } };

  // An init container that has not finished (the LoRA directory, an override's) speaks for the pod.
  const init = pod.status?.initContainerStatuses?.find((s) => !(s.state?.terminated?.exitCode === 0));
  const container = init?.name ?? mainContainer(pod);
  const status = init ?? pod.status?.containerStatuses?.find((s) => s.name === container);
  const node = pod.spec.nodeName;
  if (!status) {
    return {
      observation: {
        ...base,
        phase: 'pending',
        message: `Scheduled on ${node}; pulling the image and creating the container`,
      },
    };
  }
  const waiting = status.state?.waiting;
  const oom = status.lastState?.terminated?.reason === 'OOMKilled';
  const lastExit = describeExit(status);
  const logFrom = { pod, container, previous: status.restartCount > 0 };

  if (waiting?.reason && (IMAGE_PULL.has(waiting.reason) || CONTAINER_CONFIG.has(waiting.reason))) {
    const pull = IMAGE_PULL.has(waiting.reason);
    const detail = `${waiting.reason}: ${waiting.message ?? 'no detail'}`;
    const stuckMs = input.now.getTime() - input.stuckSince(pod, waiting.reason).getTime();
    const reason: InstanceReason = pull ? 'image_pull' : 'start_failed';
    if (PERMANENT.has(waiting.reason) || stuckMs >= input.settings.startErrorGraceMs) {
      const advice = pull
        ? `Check the image name and tag (${status.image}) and that an image pull secret grants access to its registry`
        : 'Check that the Secrets and ConfigMaps the pod references exist (NGC_API_KEY comes from a Secret), and the container command';
      return { observation: { ...base, phase: 'failed', reason, message: `${detail}. ${advice}` } };
    }
    return {
      observation: {
        ...base,
        phase: 'pending',
        reason,
        message: `${pull ? `Pulling ${status.image}` : 'Creating the container'} on ${node} failed (${detail}); the kubelet retries`,
      },
    };
  }
  if (waiting?.reason === 'CrashLoopBackOff' || base.restarts >= input.settings.crashLoopRestarts) {
    return {
      observation: {
        ...base,
        phase: 'failed',
        reason: oom ? 'oom_killed' : 'crash_loop',
        message: oom
          ? `The container was OOMKilled ${base.restarts} time${base.restarts === 1 ? '' : 's'} (memory limit ${memoryLimit(pod) ?? 'none'})`
          : `CrashLoopBackOff: the container keeps exiting (${lastExit})`,
      },
      logFrom,
    };
  }
  const restarted = base.restarts > 0 ? ` (restarted ${base.restarts}×, last ${lastExit})` : '';
  if (status.state?.running) {
    return {
      observation: {
        ...base,
        phase: 'starting',
        startedAt: new Date(status.state.running.startedAt ?? pod.status?.startTime ?? input.now),
        message: `Running on ${node}; waiting for ${pod.spec.containers.find((c) => c.name === container)?.readinessProbe?.httpGet?.path ?? 'readiness'}${restarted}`,
      },
      ...(base.restarts > 0 ? { logFrom } : {}),
    };
  }
  if (status.state?.terminated) {
    return {
      observation: {
        ...base,
        phase: 'starting',
        message: `Exited (${describeTerminated(status.state.terminated)}) on ${node}${restarted}`,
      },
      logFrom: { pod, container, previous: false },
    };
  }
  return {
    observation: {
      ...base,
      phase: 'pending',
      message: `${waiting?.reason ?? 'Waiting'} on ${node}${waiting?.message ? `: ${waiting.message}` : ''}${restarted}`,
    },
  };
}

/** The model server's container: the compiler names it `nim` or `model-server`; an override may add others. */
export function mainContainer(pod: V1Pod): string {
  const names = pod.spec?.containers.map((c) => c.name) ?? [];
  return names.find((n) => n === 'nim' || n === 'model-server') ?? names[0] ?? 'nim';
}

function identityOf(
  objects: InstanceObjects,
): Pick<InstanceObservation, 'workspace' | 'deployment' | 'version' | 'specHash'> {
  const annotations =
    objects.deployment?.metadata?.annotations ??
    objects.service?.metadata?.annotations ??
    objects.persistentVolumeClaim?.metadata?.annotations ??
    objects.pods[0]?.metadata?.annotations ??
    {};
  const version = Number(annotations[ANNOTATIONS.version]);
  return {
    workspace: annotations[ANNOTATIONS.workspace],
    deployment: annotations[ANNOTATIONS.deployment],
    version: Number.isInteger(version) ? version : undefined,
    specHash: annotations[ANNOTATIONS.specHash],
  };
}

function leftovers(objects: InstanceObjects): string {
  const parts: string[] = [];
  if (objects.deployment) parts.push('Deployment');
  if (objects.pods.length > 0) parts.push(`${objects.pods.length} pod${objects.pods.length === 1 ? '' : 's'}`);
  if (objects.service) parts.push('Service');
  if (objects.persistentVolumeClaim) parts.push('PersistentVolumeClaim');
  return parts.length > 0 ? `removing ${parts.join(', ')}` : 'removed';
}

function condition(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

function restartsOf(pod: V1Pod): number {
  const container = mainContainer(pod);
  return pod.status?.containerStatuses?.find((s) => s.name === container)?.restartCount ?? 0;
}

function runningSince(pod: V1Pod): Date | undefined {
  const status = pod.status?.containerStatuses?.find((s) => s.name === mainContainer(pod));
  const at = status?.state?.running?.startedAt ?? pod.status?.startTime;
  return at ? new Date(at) : undefined;
}

function describeExit(status: V1ContainerStatus): string {
  const last = status.lastState?.terminated;
  return last ? describeTerminated(last) : 'no exit recorded';
}

function describeTerminated(t: { reason?: string; exitCode: number; signal?: number }): string {
  return `${t.reason ?? 'exited'}, exit code ${t.exitCode}${t.signal ? `, signal ${t.signal}` : ''}`;
}

function memoryLimit(pod: V1Pod): string | undefined {
  const container = pod.spec?.containers.find((c) => c.name === mainContainer(pod));
  return container?.resources?.limits?.memory;
}

function created(pod: V1Pod): number {
  const at = pod.metadata?.creationTimestamp;
  return at ? new Date(at).getTime() : 0;
}

function name(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}
