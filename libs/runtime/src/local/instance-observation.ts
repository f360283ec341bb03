import type { InstanceObservation } from '../runtime.js';
import type { InstanceExit, InstanceRecord } from './instance-store.js';

/** Where a supervisor stands, as far as an observation cares. */
export type SupervisorStage = 'pending' | 'launching' | 'running' | 'backoff' | 'stopped' | 'terminating';

export interface ReadinessView {
  ready: boolean;
  /** Was ready during this run, then failed `readinessFailureThreshold` probes in a row. */
  lost: boolean;
  failures: number;
  /** The last probe's outcome, worded to follow `GET <url>`. */
  detail: string;
}

export interface ObservationInput {
  record: InstanceRecord;
  stage: SupervisorStage;
  readiness: ReadinessView;
  endpoint: string;
  probeUrl: string;
  logTail: string[];
  /** The scheduler's message, used while pending. */
  pendingMessage: string;
  crashLoopRestarts: number;
  now: number;
}

/**
 * The observation rules, kubelet-style: waiting for GPUs → `pending`; a
 * process running but not (or no longer) ready → `starting`; ready → `ready`;
 * exited and waiting to restart → `starting` with `start_failed` (never ready,
 * exited abnormally), `exited`, or `crash_loop` once the current streak of
 * quick restarts reaches `crashLoopRestarts`. Restarts go on in the
 * background in every case; giving up is the reconciler's decision.
 */
export function observeInstance(input: ObservationInput): InstanceObservation {
  const { record: r, stage } = input;
  const base: InstanceObservation = {
    instanceId: r.instanceId,
    phase: 'starting',
    message: '',
    restarts: r.restarts,
    specHash: r.specHash,
    logTail: input.logTail,
    workspace: r.labels.workspace,
    deployment: r.labels.deployment,
    version: r.labels.version,
  };
  switch (stage) {
    case 'terminating':
      return { ...base, phase: 'terminating', message: 'Stopping the process group' };
    case 'pending':
      return { ...base, phase: 'pending', reason: 'insufficient_capacity', message: input.pendingMessage };
    case 'launching':
      return { ...base, message: 'Starting the process' };
    case 'stopped':
      return { ...base, message: 'Not supervised' };
    case 'running':
      return observeRunning(base, input);
    case 'backoff':
      return observeBackoff(base, input);
  }
}

function observeRunning(
  base: InstanceObservation,
  { record: r, readiness, endpoint, probeUrl, now }: ObservationInput,
) {
  const running: InstanceObservation = {
    ...base,
    endpoint,
    startedAt: r.startedAt ? new Date(r.startedAt) : undefined,
  };
  const probe = `GET ${probeUrl} ${readiness.detail}`;
  if (readiness.ready) {
    return {
      ...running,
      phase: 'ready' as const,
      readySince: new Date(r.readySince ?? now),
      message: `Ready (${probe})`,
    };
  }
  if (readiness.lost) {
    return {
      ...running,
      reason: 'unhealthy' as const,
      message: `Readiness probe failed ${readiness.failures} times in a row: ${probe}`,
    };
  }
  return { ...running, message: `Waiting for the readiness probe: ${probe}`, ...startProgress(running) };
}

/** A process that runs and is not ready yet: what it printed last says how far it got. */
function startProgress({ logTail, startedAt }: InstanceObservation): Pick<InstanceObservation, 'progress'> {
  const last = logTail.findLast((line) => line.trim() !== '');
  if (last === undefined || !startedAt) return {};
  const line = last.trim();
  return {
    progress: { phase: 'starting', detail: line.length > 240 ? `${line.slice(0, 240)}…` : line, since: startedAt },
  };
}

function observeBackoff(base: InstanceObservation, { record: r, crashLoopRestarts, now }: ObservationInput) {
  const exit = describeExit(r.lastExit);
  const wait = Math.max(0, Date.parse(r.nextRestartAt ?? '') - now || 0);
  const next = `restarting in ${formatMs(wait)}`;
  // Restarts in the current streak: a server that crashed three times in a month is not crash-looping.
  const streak = Math.min(r.restarts, r.consecutiveFailures - 1);
  if (streak >= crashLoopRestarts) {
    return {
      ...base,
      reason: 'crash_loop' as const,
      message: `Back-off restarting: the process ${exit} (restarted ${r.restarts} times); ${next}`,
    };
  }
  if (!r.everReady && r.lastExit !== null && !r.lastExit.unknown && r.lastExit.code !== 0) {
    return { ...base, reason: 'start_failed' as const, message: `The process ${exit} before becoming ready; ${next}` };
  }
  return { ...base, reason: 'exited' as const, message: `The process ${exit}; ${next}` };
}

/** `exited with code 3`, `was killed by SIGKILL`, or why the status is unknown. */
export function describeExit(exit: InstanceExit | null): string {
  if (exit === null) return 'exited';
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return exit.detail ?? 'exited';
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
