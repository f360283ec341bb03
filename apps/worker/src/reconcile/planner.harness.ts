import type { DeploymentStatus } from '#domain';
import { compileInstanceSpec, type InstanceObservation } from '#runtime';
import type { PlanSettings, VersionView } from './plan.types.js';

/** The planner specs' settings, clock and makers of versions and observations. */
export const SETTINGS: PlanSettings = {
  healthTimeoutMs: 60_000,
  pendingTimeoutMs: 120_000,
  crashLoopRestarts: 3,
  driftMaxAttempts: 2,
  pollIntervalMs: 500,
  waitingRecheckMs: 5000,
};
export const NOW = new Date('2026-11-21T12:00:00Z');
export const ago = (ms: number) => new Date(NOW.getTime() - ms);

export function version(v: number, status: DeploymentStatus, extra: Partial<VersionView> = {}): VersionView {
  return {
    id: `id-${v}`,
    version: v,
    isLatest: false,
    status,
    statusMessage: '',
    statusReason: null,
    statusChangedAt: ago(1000),
    messageAt: ago(1000),
    revision: 3,
    recoveryAttempts: 0,
    endpoint: status === 'READY' ? `http://127.0.0.1:900${v}` : null,
    spec: compileInstanceSpec(
      { workspace: 'ws', deployment: 'd', version: v },
      { engine: 'nim', modelEntityId: null, modelSpec: { model_name: 'm' }, executorConfig: { gpu: 1 } },
    ),
    ...extra,
  };
}

export function obs(
  v: number,
  phase: InstanceObservation['phase'],
  extra: Partial<InstanceObservation> = {},
): [string, InstanceObservation] {
  const instanceId = `ws.d.v${v}`;
  return [
    instanceId,
    {
      instanceId,
      phase,
      message: extra.message ?? phase,
      restarts: 0,
      logTail: [],
      endpoint: `http://127.0.0.1:900${v}`,
      ...extra,
    },
  ];
}
