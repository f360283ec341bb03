import type { InstanceObservation, InstanceSpec } from '#runtime';
import { missing } from '#runtime';
import {
  FAILURE_REASONS,
  MAKE_ROOM_REASON,
  type PlanSettings,
  type Plan,
  type StatusChange,
  type Step,
  type VersionView,
} from './plan.types.js';
import { progressMessage, progressPhaseOf, STARTING_INSTANCE } from './progress.message.js';

export * from './plan.types.js';

/**
 * The reconcile planner: a pure function from what is stored (the versions
 * of one deployment) and what is observed (their instances) to the next
 * steps. It never talks to anything; the reconciler applies the steps, each
 * idempotently, and runs the planner again until it asks for nothing.
 *
 * Rollouts: only the latest version and the one serving (the newest READY)
 * need instances. When the latest is READY it serves, and every older
 * version is retired (DELETING, then DELETED once its instance is gone). If
 * the latest fails, the serving version keeps serving and the failure says
 * so.
 */
const TAIL_LINES = 10;
const DEFAULT_PROGRESS_INTERVAL_MS = 5000;

/** PENDING reasons of a version that was READY and is coming back. */
const RECOVERING = new Set<string>([FAILURE_REASONS.drift, 'unhealthy', 'exited']);

export function planDeployment(
  versions: VersionView[],
  observed: ReadonlyMap<string, InstanceObservation>,
  now: Date,
  settings: PlanSettings,
): Plan {
  const steps: Step[] = [];
  let recheck = false;
  /** The soonest re-check asked for by versions that only wait on their instance. */
  let waitingFor: number | null = null;
  const live = versions.filter((v) => v.status !== 'DELETED');
  const latest = versions.find((v) => v.isLatest);
  const serving = newest(live.filter((v) => v.status === 'READY'));
  const observe = (v: VersionView) =>
    v.spec ? (observed.get(v.spec.instanceId) ?? missing(v.spec.instanceId)) : missing(v.id);

  for (const v of live) {
    const obs = observe(v);
    const status = (change: StatusChange) =>
      steps.push({ kind: 'status', versionId: v.id, revision: v.revision, change });

    if (v.status === 'DELETING') {
      // A version stopped to make room keeps saying so once DELETED: the latest's start clock reads it (startedWaiting).
      const reason = v.statusReason === MAKE_ROOM_REASON ? { reason: MAKE_ROOM_REASON } : {};
      if (obs.phase === 'missing')
        status({ status: 'DELETED', statusMessage: 'Instance removed', endpoint: null, ...reason });
      else steps.push({ kind: 'delete', instanceId: obs.instanceId });
      recheck = true;
      continue;
    }
    // Only the latest version and the serving one keep instances.
    if (v !== latest && v !== serving) {
      status({ status: 'DELETING', statusMessage: `Superseded by version ${latest?.version}` });
      recheck = true;
      continue;
    }
    if (v.status === 'FAILED') {
      // A failed version keeps no instance; its message holds what the instance printed.
      if (obs.phase !== 'missing') steps.push({ kind: 'delete', instanceId: obs.instanceId });
      continue;
    }
    if (!v.spec) continue;
    const keepsServing = v === latest && serving && serving !== v ? ` Version ${serving.version} keeps serving.` : '';
    const fail = (reason: string, message: string) =>
      status({ status: 'FAILED', statusMessage: message + keepsServing, reason, endpoint: null });

    switch (v.status) {
      case 'CREATED':
        steps.push({ kind: 'apply', spec: v.spec });
        status({ status: 'PENDING', statusMessage: STARTING_INSTANCE, reason: null });
        recheck = true;
        break;
      case 'PENDING': {
        const since = v === latest ? startedWaiting(v, versions) : v.statusChangedAt;
        const waiting = planPending(
          v,
          obs,
          { now, waited: now.getTime() - since.getTime() },
          settings,
          steps,
          status,
          fail,
        );
        if (waiting === null) recheck = true;
        else waitingFor = Math.min(waitingFor ?? Infinity, waiting);
        break;
      }
      case 'READY':
        planReady(v, obs, settings, steps, status, fail, (r) => (recheck ||= r));
        break;
    }
  }

  const room = makeRoom(latest, serving, observe, now, settings);
  if (room.step) steps.push(room.step);
  if (room.inMs !== null) waitingFor = Math.min(waitingFor ?? Infinity, room.inMs);

  // The provider follows the serving version; it goes when nothing is left to serve.
  const active = live.filter((v) => v.status !== 'DELETING');
  if (active.length === 0) {
    steps.push({ kind: 'removeProvider' });
    if (live.length === 0 && removalDue(versions, now, settings)) steps.push({ kind: 'removeDeployment' });
  } else {
    const ready = serving && observe(serving).phase === 'ready' ? serving : null;
    steps.push({
      kind: 'route',
      serving: ready && ready.endpoint ? { version: ready.version, endpoint: ready.endpoint } : null,
    });
  }
  const recheckInMs = recheck
    ? settings.pollIntervalMs
    : waitingFor === null
      ? null
      : Math.max(settings.pollIntervalMs, Math.min(settings.waitingRecheckMs, waitingFor));
  return { steps, recheckInMs };
}

/** Every version DELETED, the last of them at least the retention ago (see PlanSettings.deletedRetentionMs). */
function removalDue(versions: VersionView[], now: Date, settings: PlanSettings): boolean {
  if (settings.deletedRetentionMs === undefined || versions.length === 0) return false;
  const deletedAt = Math.max(...versions.map((v) => v.statusChangedAt.getTime()));
  return now.getTime() - deletedAt >= settings.deletedRetentionMs;
}

/**
 * Whether to stop the serving version so the latest can be scheduled (see
 * PlanSettings.makeRoomAfterMs): only when the latest waits for capacity, the
 * serving version is healthy and holds at least as many GPUs as the latest
 * asks for (stopping it can free enough), and the wait has lasted.
 */
function makeRoom(
  latest: VersionView | undefined,
  serving: VersionView | undefined,
  observe: (v: VersionView) => InstanceObservation,
  now: Date,
  settings: PlanSettings,
): { step: Step | null; inMs: number | null } {
  const after = settings.makeRoomAfterMs ?? 0;
  const none = { step: null, inMs: null };
  if (after <= 0 || !latest || !serving || latest === serving || latest.status !== 'PENDING') return none;
  if (serving.status !== 'READY' || observe(serving).phase !== 'ready') return none;
  const need = latest.spec?.gpu ?? 0;
  if (need === 0 || (serving.spec?.gpu ?? 0) < need) return none;
  const obs = observe(latest);
  if (obs.phase !== 'pending' || obs.reason !== 'insufficient_capacity') return none;
  const waited = now.getTime() - latest.statusChangedAt.getTime();
  if (waited < after) return { step: null, inMs: after - waited + 1 };
  return {
    step: {
      kind: 'status',
      versionId: serving.id,
      revision: serving.revision,
      change: {
        status: 'DELETING',
        statusMessage:
          `Stopped to free its GPUs for version ${latest.version}, which waited ${human(waited)} for capacity ` +
          `the cluster does not have for both (${obs.message})`,
        reason: MAKE_ROOM_REASON,
      },
    },
    inMs: null,
  };
}

/**
 * When the latest version's start clock (pending and health timeouts) began: when it went PENDING,
 * or later, when an older version was stopped to make room for it, or when that one's instance was
 * gone (its DELETED keeps the make_room reason). The wait for room is not charged to the start: with
 * it, a pending timeout close to makeRoomAfterMs failed the new version right after the serving one
 * was stopped for it, and then nothing served.
 */
function startedWaiting(latest: VersionView, versions: VersionView[]): Date {
  let since = latest.statusChangedAt;
  for (const v of versions) {
    if (v.version < latest.version && v.statusReason === MAKE_ROOM_REASON && v.statusChangedAt > since)
      since = v.statusChangedAt;
  }
  return since;
}

type StatusFn = (change: StatusChange) => void;
type FailFn = (reason: string, message: string) => void;

/**
 * Plans a PENDING version that has `waited` ms on its start clock. Returns how
 * long until its next timeout (or progress tick) when it only waits on its
 * instance (the runtime reports when that moves), or null when it needs the
 * regular re-check.
 */
function planPending(
  v: VersionView,
  obs: InstanceObservation,
  { now, waited }: { now: Date; waited: number },
  settings: PlanSettings,
  steps: Step[],
  status: StatusFn,
  fail: FailFn,
): number | null {
  const spec = v.spec as InstanceSpec;
  switch (obs.phase) {
    case 'missing':
      steps.push({ kind: 'apply', spec });
      return null;
    case 'terminating':
      return null;
    case 'pending':
      if (waited > settings.pendingTimeoutMs) {
        fail(
          FAILURE_REASONS.pendingTimeout,
          `The instance could not start within ${human(settings.pendingTimeoutMs)}: ${obs.message}. ` +
            'Free capacity, lower executor_config.gpu, or raise PENDING_TIMEOUT_MS.',
        );
        return null;
      }
      return Math.min(
        settings.pendingTimeoutMs - waited + 1,
        writeWaiting(v, obs, `Waiting to start: ${obs.message}`, now, settings, status, { reason: obs.reason ?? null }),
      );
    case 'ready':
      if (obs.endpoint)
        steps.push({
          kind: 'discover',
          versionId: v.id,
          revision: v.revision,
          version: v.version,
          endpoint: obs.endpoint,
        });
      return null;
    case 'failed':
    case 'starting': {
      const failure = startupFailure(obs, settings);
      if (failure) {
        fail(failure.reason, failure.message);
        return null;
      }
      if (waited > settings.healthTimeoutMs) {
        fail(
          FAILURE_REASONS.healthTimeout,
          `The instance did not become ready within ${human(settings.healthTimeoutMs)}.${tail(obs)} ` +
            'Check its output above; model downloads can take long: raise HEALTH_TIMEOUT_MS if it was still loading.',
        );
        return null;
      }
      const untilTimeout = settings.healthTimeoutMs - waited + 1;
      // While recovering, the message that says why stays; otherwise it tracks restarts.
      if (v.statusReason && RECOVERING.has(v.statusReason)) return untilTimeout;
      if (obs.restarts > 0) {
        const message = `${STARTING_INSTANCE} (restarts: ${obs.restarts}): ${obs.message}`;
        if (v.statusMessage !== message) status({ status: 'PENDING', statusMessage: message });
        return untilTimeout;
      }
      return Math.min(untilTimeout, writeWaiting(v, obs, STARTING_INSTANCE, now, settings, status, {}));
    }
  }
}

/** Runtime reasons whose message says more than the progress would (a failing pull, a missing Secret). */
const OWN_MESSAGE = new Set(['image_pull', 'start_failed']);

/**
 * The message of a version that waits on its instance: the instance's progress (`Pulling image …, 3m12s`)
 * when the runtime reports one, else `fallback`. A new phase is written at once, with a history entry
 * and a log line; the same phase's clock is rewritten at most every progress interval, without either.
 * Returns when to look again for the next tick (Infinity when nothing ticks).
 */
function writeWaiting(
  v: VersionView,
  obs: InstanceObservation,
  fallback: string,
  now: Date,
  settings: PlanSettings,
  status: StatusFn,
  extra: Pick<StatusChange, 'reason'>,
): number {
  const progress = obs.progress && !OWN_MESSAGE.has(obs.reason ?? '') ? obs.progress : undefined;
  const message = progress ? progressMessage(progress, now) : fallback;
  const interval = settings.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const next = progress ? interval : Infinity;
  if (v.statusMessage === message) return next;
  if (!progress || progressPhaseOf(v.statusMessage) !== progress.phase) {
    status({ status: 'PENDING', statusMessage: message, ...extra });
    return next;
  }
  const due = v.messageAt.getTime() + interval - now.getTime();
  if (due > 0) return due;
  status({ status: 'PENDING', statusMessage: message, history: false, ...extra });
  return next;
}

function planReady(
  v: VersionView,
  obs: InstanceObservation,
  settings: PlanSettings,
  steps: Step[],
  status: StatusFn,
  fail: FailFn,
  setRecheck: (recheck: boolean) => void,
): void {
  const spec = v.spec as InstanceSpec;
  switch (obs.phase) {
    case 'ready':
      return;
    case 'missing':
    case 'terminating': {
      setRecheck(true);
      if (v.recoveryAttempts >= settings.driftMaxAttempts) {
        return fail(
          FAILURE_REASONS.drift,
          `The instance disappeared and was recreated ${v.recoveryAttempts} times; giving up. ` +
            'Something removes it (an operator, the node, another controller): find it, then create a new version.',
        );
      }
      if (obs.phase === 'missing') steps.push({ kind: 'apply', spec });
      const attempt = v.recoveryAttempts + 1;
      return status({
        status: 'PENDING',
        statusMessage: `The instance disappeared while READY; recreating it (attempt ${attempt}/${settings.driftMaxAttempts})`,
        reason: FAILURE_REASONS.drift,
        recoveryAttempts: attempt,
      });
    }
    default: {
      setRecheck(true);
      const failure = startupFailure(
        { ...obs, reason: obs.reason === 'start_failed' ? 'exited' : obs.reason },
        settings,
      );
      if (failure) return fail(failure.reason, failure.message);
      return status({
        status: 'PENDING',
        statusMessage: `The instance stopped serving (${obs.message}); waiting for it to become ready again.${tail(obs)}`,
        reason: obs.reason ?? 'unhealthy',
      });
    }
  }
}

/** A start that cannot succeed: the process failed to start, or keeps crashing. */
function startupFailure(obs: InstanceObservation, settings: PlanSettings): { reason: string; message: string } | null {
  if (obs.reason === 'start_failed' || obs.reason === 'image_pull') {
    return {
      reason: obs.reason === 'image_pull' ? 'image_pull' : FAILURE_REASONS.startFailed,
      message:
        `The instance failed to start: ${obs.message}.${tail(obs)} ` +
        'Check the image, the model name and the environment in the deployment config, then create a new version.',
    };
  }
  if (obs.reason === 'crash_loop' || obs.restarts >= settings.crashLoopRestarts || obs.reason === 'oom_killed') {
    const oom = obs.reason === 'oom_killed';
    return {
      reason: oom ? 'oom_killed' : FAILURE_REASONS.crashLoop,
      message:
        `The instance ${oom ? 'ran out of memory' : 'keeps crashing'} (restarts: ${obs.restarts}): ${obs.message}.${tail(obs)} ` +
        (oom
          ? 'Give it more memory or a smaller model.'
          : 'Check its output above, fix the config, and create a new version.'),
    };
  }
  return null;
}

function tail(obs: InstanceObservation): string {
  const lines = obs.logTail.slice(-TAIL_LINES);
  return lines.length ? ` Last output:\n${lines.join('\n')}\n` : '';
}

function newest(versions: VersionView[]): VersionView | undefined {
  return versions.reduce<VersionView | undefined>((a, v) => (!a || v.version > a.version ? v : a), undefined);
}

function human(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
