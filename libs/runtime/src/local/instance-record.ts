import type { InstanceSpec } from '../runtime.js';
import type { InstanceExit, InstanceRecord } from './instance-store.js';
import type { RestartBackoff } from './local-runtime.options.js';

/** The record of an instance just created: pending, waiting for the runtime to assign it GPUs. */
export function newInstanceRecord(spec: InstanceSpec, now: Date): InstanceRecord {
  return {
    schema: 1,
    instanceId: spec.instanceId,
    specHash: spec.specHash,
    spec,
    labels: { workspace: spec.workspace, deployment: spec.deployment, version: spec.version },
    createdAt: now.toISOString(),
    state: 'pending',
    gpuIds: [],
    pid: null,
    pgid: null,
    port: null,
    argv: [],
    startedAt: null,
    readySince: null,
    everReady: false,
    restarts: 0,
    consecutiveFailures: 0,
    lastExit: null,
    nextRestartAt: null,
  };
}

/**
 * Records that the instance's process is gone and when it restarts: the
 * back-off doubles with each exit in a row, from `initialMs` up to `maxMs`,
 * and starts over after a process that ran `resetAfterMs`. Returns the delay.
 */
export function recordExit(
  r: InstanceRecord,
  exit: Omit<InstanceExit, 'at' | 'ranMs'>,
  { initialMs, maxMs, resetAfterMs }: Required<RestartBackoff>,
  now: number,
): number {
  const ranMs = exit.unknown || r.startedAt === null ? null : now - Date.parse(r.startedAt);
  if (ranMs !== null && ranMs >= resetAfterMs) r.consecutiveFailures = 0;
  r.consecutiveFailures += 1;
  const delay = Math.min(initialMs * 2 ** (r.consecutiveFailures - 1), maxMs);
  r.lastExit = { ...exit, at: new Date(now).toISOString(), ranMs };
  r.state = 'exited';
  r.pid = null;
  r.readySince = null;
  r.nextRestartAt = new Date(now + delay).toISOString();
  return delay;
}
