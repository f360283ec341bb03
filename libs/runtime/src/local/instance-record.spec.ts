import type { InstanceSpec } from '../runtime.js';
import { newInstanceRecord, recordExit } from './instance-record.js';

const spec: InstanceSpec = {
  instanceId: 'ws.llama.v1',
  workspace: 'ws',
  deployment: 'llama',
  version: 1,
  engine: 'nim',
  image: null,
  gpu: 1,
  env: {},
  args: [],
  readinessPath: '/v1/health/ready',
  livenessPath: '/v1/health/live',
  specHash: 'h1',
};
const backoff = { initialMs: 1000, maxMs: 5000, resetAfterMs: 60_000 };
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('instance records', () => {
  it('a new record is pending, labelled from its spec, with nothing run yet', () => {
    const r = newInstanceRecord(spec, new Date(T0));
    expect(r).toMatchObject({
      instanceId: 'ws.llama.v1',
      labels: { workspace: 'ws', deployment: 'llama', version: 1 },
      createdAt: '2026-01-01T00:00:00.000Z',
      state: 'pending',
      pid: null,
      restarts: 0,
      consecutiveFailures: 0,
      lastExit: null,
    });
  });

  it('an exit doubles the back-off up to its cap and records when the restart is due', () => {
    const r = { ...newInstanceRecord(spec, new Date(T0)), state: 'running' as const, pid: 42, pgid: 42 };
    const delays = [1, 2, 3, 4].map((i) => {
      r.startedAt = new Date(T0 + i * 10_000).toISOString();
      return recordExit(r, { code: 1, signal: null }, backoff, T0 + i * 10_000 + 500);
    });
    expect(delays).toEqual([1000, 2000, 4000, 5000]);
    expect(r).toMatchObject({ state: 'exited', pid: null, pgid: 42, readySince: null, consecutiveFailures: 4 });
    expect(r.lastExit).toEqual({ code: 1, signal: null, at: new Date(T0 + 40_500).toISOString(), ranMs: 500 });
    expect(r.nextRestartAt).toBe(new Date(T0 + 45_500).toISOString());
  });

  it('a process that ran past resetAfterMs starts the back-off over; an unknown exit does not', () => {
    const r = {
      ...newInstanceRecord(spec, new Date(T0)),
      consecutiveFailures: 3,
      startedAt: new Date(T0).toISOString(),
    };
    expect(recordExit(r, { code: null, signal: null, unknown: true }, backoff, T0 + 120_000)).toBe(5000);
    expect(r.lastExit?.ranMs).toBeNull();
    r.startedAt = new Date(T0).toISOString();
    expect(recordExit(r, { code: null, signal: 'SIGKILL' }, backoff, T0 + 120_000)).toBe(1000);
    expect(r.consecutiveFailures).toBe(1);
  });
});
