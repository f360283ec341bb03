/**
 * What a pod that is not ready yet waits on, from its Events (written by the
 * scheduler and the kubelet) and its status: a pure function, so each
 * mapping is unit-tested without a cluster. The planner turns the answer
 * into the deployment's status message (`Pulling image …, 3m12s`).
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { InstanceObservation, InstanceProgress, ProgressPhase } from '../runtime.js';
import { mainContainer, type InstanceObjects } from './instance-status.js';

/** Event reasons that say where a start stands, and the phase each one begins. */
const PHASE_OF: Record<string, ProgressPhase> = {
  FailedScheduling: 'unschedulable',
  Scheduled: 'scheduled',
  FailedMount: 'mounting',
  FailedAttachVolume: 'mounting',
  Pulling: 'pulling',
  Pulled: 'creating',
  Created: 'creating',
  Started: 'readiness',
  Unhealthy: 'readiness',
  BackOff: 'backoff',
};

/**
 * The order of a start: of two events in the same second, the later step is the news. Whole seconds:
 * the kubelet's events carry `lastTimestamp` in seconds, the scheduler's `eventTime` in microseconds.
 */
const ORDER = [
  'FailedScheduling',
  'Scheduled',
  'FailedAttachVolume',
  'FailedMount',
  'Pulling',
  'Pulled',
  'Created',
  'Started',
  'Unhealthy',
];

/** Longest detail kept: scheduler messages list every node's reason. */
const MAX_DETAIL = 240;

/**
 * Adds the progress of the instance's newest live pod to an observation of a start
 * (`pending` or `starting`); any other observation is returned as it is.
 */
export function withProgress(
  observation: InstanceObservation,
  objects: InstanceObjects,
  now: Date,
): InstanceObservation {
  if (observation.phase !== 'pending' && observation.phase !== 'starting') return observation;
  const pod = objects.pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort(
      (a, b) =>
        (at(b.metadata?.creationTimestamp)?.getTime() ?? 0) - (at(a.metadata?.creationTimestamp)?.getTime() ?? 0),
    )[0];
  const found = pod ? podProgress(pod, objects.events ?? [], now) : undefined;
  return found ? { ...observation, progress: found } : observation;
}

/**
 * `events` are the pod's (any order; events of other pods are ignored by uid).
 * Undefined when nothing is known yet (no event, not scheduled).
 */
export function podProgress(pod: V1Pod, events: readonly CoreV1Event[], now: Date): InstanceProgress | undefined {
  const uid = pod.metadata?.uid;
  const own = events
    .filter(
      (e) =>
        e.involvedObject?.name === pod.metadata?.name &&
        (!uid || !e.involvedObject.uid || e.involvedObject.uid === uid),
    )
    .filter((e) => e.reason !== undefined && PHASE_OF[e.reason] !== undefined)
    .sort((a, b) => second(lastAt(a, now)) - second(lastAt(b, now)) || rank(a) - rank(b));
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const created = at(pod.metadata?.creationTimestamp) ?? now;

  if (scheduled?.status === 'False' || (!pod.spec?.nodeName && own.at(-1)?.reason === 'FailedScheduling')) {
    const failed = own.filter((e) => e.reason === 'FailedScheduling');
    const detail = scheduled?.message || failed.at(-1)?.message || scheduled?.reason || 'no node fits';
    return progress('unschedulable', detail, failed.length ? firstAt(failed[0], now) : created);
  }
  if (!pod.spec?.nodeName) return undefined;

  const container = pod.status?.containerStatuses?.find((s) => s.name === mainContainer(pod));
  const running = container?.state?.running;
  if (running) {
    const startedAt = at(running.startedAt) ?? now;
    const unhealthy = own
      .filter((e) => e.reason === 'Unhealthy' && second(lastAt(e, now)) >= second(startedAt.getTime()))
      .at(-1);
    return progress('readiness', unhealthy ? probeDetail(unhealthy.message ?? '') : 'server starting', startedAt);
  }
  // Only events after the last restart's exit speak for the current attempt.
  const latest = own.filter((e) => e.reason !== 'FailedScheduling').at(-1);
  if (!latest?.reason) {
    return progress('scheduled', pod.spec.nodeName, at(scheduled?.lastTransitionTime) ?? created);
  }
  const phase = PHASE_OF[latest.reason];
  // A phase begins with the first of its run of events (Pulled after Pulling: creating since Pulled).
  let since = firstAt(latest, now);
  for (let i = own.length - 2; i >= 0 && PHASE_OF[own[i].reason!] === phase; i--) since = firstAt(own[i], now);
  switch (phase) {
    case 'pulling':
      return progress(phase, /image "([^"]+)"/.exec(latest.message ?? '')?.[1] ?? containerImage(pod), since);
    case 'creating':
      return progress(phase, mainContainer(pod), since);
    case 'scheduled':
      return progress(phase, pod.spec.nodeName, since);
    case 'readiness':
      return progress(
        phase,
        latest.reason === 'Unhealthy' ? probeDetail(latest.message ?? '') : 'server starting',
        since,
      );
    default:
      return progress(phase, latest.message ?? latest.reason, since);
  }
}

/** A readiness probe's failure in a reader's words: NIM answers 503 while it loads the model. */
function probeDetail(message: string): string {
  if (/statuscode: 503/.test(message)) return 'model loading';
  if (/connection refused|connect: /.test(message)) return 'server starting';
  return message.replace(/^Readiness probe failed: /, '') || 'model loading';
}

function progress(phase: ProgressPhase, detail: string, since: Date): InstanceProgress {
  const line = detail.replace(/\s+/g, ' ').trim();
  return { phase, detail: line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}…` : line, since };
}

function containerImage(pod: V1Pod): string {
  return pod.spec?.containers.find((c) => c.name === mainContainer(pod))?.image ?? 'the image';
}

function second(ms: number): number {
  return Math.floor(ms / 1000);
}

function rank(event: CoreV1Event): number {
  const i = ORDER.indexOf(event.reason ?? '');
  return i === -1 ? ORDER.length : i;
}

/** Dates arrive as Date from a list and as strings from a watch. */
function at(value: Date | string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function firstAt(event: CoreV1Event, now: Date): Date {
  return at(event.firstTimestamp) ?? at(event.eventTime) ?? at(event.metadata?.creationTimestamp) ?? now;
}

function lastAt(event: CoreV1Event, now: Date): number {
  return (
    at(event.series?.lastObservedTime) ??
    at(event.lastTimestamp) ??
    at(event.eventTime) ??
    at(event.metadata?.creationTimestamp) ??
    now
  ).getTime();
}
