import { observeInstance, type ObservationInput } from './instance-observation.js';
import type { InstanceRecord } from './instance-store.js';
import { specFor } from './__fixtures__/runtime-harness.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function input(record: Partial<InstanceRecord>, rest: Partial<ObservationInput> = {}): ObservationInput {
  const spec = specFor('rules');
  return {
    record: {
      schema: 1,
      instanceId: spec.instanceId,
      specHash: spec.specHash,
      spec,
      labels: { workspace: 'ws', deployment: 'rules', version: 1 },
      createdAt: new Date(NOW - 60_000).toISOString(),
      state: 'exited',
      gpuIds: [],
      pid: null,
      pgid: 100,
      port: 4000,
      argv: [],
      startedAt: new Date(NOW - 5_000).toISOString(),
      readySince: null,
      everReady: false,
      restarts: 0,
      consecutiveFailures: 1,
      lastExit: { code: 1, signal: null, at: new Date(NOW).toISOString(), ranMs: 5_000 },
      nextRestartAt: new Date(NOW + 1_500).toISOString(),
      ...record,
    },
    stage: 'backoff',
    readiness: { ready: false, lost: false, failures: 0, detail: 'answered HTTP 503' },
    endpoint: 'http://127.0.0.1:4000',
    probeUrl: 'http://127.0.0.1:4000/v1/health/ready',
    logTail: ['boom'],
    pendingMessage: '0/4 GPUs free; needs 1',
    crashLoopRestarts: 3,
    now: NOW,
    ...rest,
  };
}

describe('observeInstance', () => {
  it('reports a first run that failed before readiness as start_failed, naming the code and the wait', () => {
    expect(observeInstance(input({}))).toMatchObject({
      phase: 'starting',
      reason: 'start_failed',
      message: 'The process exited with code 1 before becoming ready; restarting in 1.5 s',
      logTail: ['boom'],
      restarts: 0,
    });
  });

  it('reports exited for a clean exit, an exit after readiness, and an unknown exit status', () => {
    expect(observeInstance(input({ lastExit: { code: 0, signal: null, at: '', ranMs: 1 } })).reason).toBe('exited');
    expect(observeInstance(input({ everReady: true, restarts: 2, consecutiveFailures: 3 }))).toMatchObject({
      reason: 'exited',
      message: 'The process exited with code 1; restarting in 1.5 s',
    });
    const unknown = {
      code: null,
      signal: null,
      at: '',
      ranMs: null,
      unknown: true,
      detail: 'exited (exit status unknown)',
    };
    expect(observeInstance(input({ lastExit: unknown })).message).toBe(
      'The process exited (exit status unknown); restarting in 1.5 s',
    );
  });

  it('reports crash_loop from 3 restarts in a row, not from 3 restarts spread over a long life', () => {
    const killed = { code: null, signal: 'SIGKILL' as const, at: '', ranMs: 10 };
    expect(observeInstance(input({ restarts: 3, consecutiveFailures: 4, lastExit: killed }))).toMatchObject({
      reason: 'crash_loop',
      message: 'Back-off restarting: the process was killed by SIGKILL (restarted 3 times); restarting in 1.5 s',
    });
    expect(observeInstance(input({ everReady: true, restarts: 7, consecutiveFailures: 1 })).reason).toBe('exited');
  });

  it('maps a running process to starting or ready by its readiness', () => {
    const running = { state: 'running' as const, pid: 100, lastExit: null, nextRestartAt: null };
    expect(observeInstance(input(running, { stage: 'running' }))).toMatchObject({
      phase: 'starting',
      endpoint: 'http://127.0.0.1:4000',
      message: 'Waiting for the readiness probe: GET http://127.0.0.1:4000/v1/health/ready answered HTTP 503',
    });
    const readySince = new Date(NOW - 1_000).toISOString();
    const ready = observeInstance(
      input(
        { ...running, readySince },
        { stage: 'running', readiness: { ready: true, lost: false, failures: 0, detail: 'answered HTTP 200' } },
      ),
    );
    expect(ready).toMatchObject({ phase: 'ready', readySince: new Date(readySince) });
    expect(ready.reason).toBeUndefined();
    const lost = { ready: false, lost: true, failures: 3, detail: 'answered HTTP 503' };
    expect(observeInstance(input(running, { stage: 'running', readiness: lost }))).toMatchObject({
      phase: 'starting',
      reason: 'unhealthy',
    });
  });

  it('reports pending with the scheduler message, and terminating while deleting', () => {
    expect(observeInstance(input({ state: 'pending' }, { stage: 'pending' }))).toMatchObject({
      phase: 'pending',
      reason: 'insufficient_capacity',
      message: '0/4 GPUs free; needs 1',
    });
    expect(observeInstance(input({}, { stage: 'terminating' })).phase).toBe('terminating');
  });
});
