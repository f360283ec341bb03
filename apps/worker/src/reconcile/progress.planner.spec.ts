import type { InstanceProgress } from '#runtime';
import { planDeployment, type Step } from './deployment.planner.js';
import { ago, NOW, obs, SETTINGS, version } from './planner.harness.js';

const IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3';
const settings = { ...SETTINGS, progressIntervalMs: 5000, waitingRecheckMs: 10_000 };
const pulling = (seconds: number): InstanceProgress => ({
  phase: 'pulling',
  detail: IMAGE,
  since: ago(seconds * 1000),
});

/** The plan of one PENDING version, stored with `message` written `writtenMsAgo`, whose instance reports `progress`. */
function planWaiting(message: string, writtenMsAgo: number, progress: InstanceProgress, extra = {}) {
  const v = version(1, 'PENDING', { isLatest: true, statusMessage: message, messageAt: ago(writtenMsAgo) });
  const observed = new Map([obs(1, 'starting', { progress, ...extra })]);
  return planDeployment([v], observed, NOW, settings);
}

const statusSteps = (steps: Step[]) =>
  steps.filter((s): s is Extract<Step, { kind: 'status' }> => s.kind === 'status').map((s) => s.change);

describe('planDeployment: progress while waiting', () => {
  it('a new phase is written at once, with a history entry, and looked at again after the progress interval', () => {
    const p = planWaiting('Starting instance', 200, pulling(192));
    expect(statusSteps(p.steps)).toEqual([{ status: 'PENDING', statusMessage: `Pulling image ${IMAGE}, 3m12s` }]);
    expect(p.recheckInMs).toBe(5000);
  });

  it('the same phase: the clock is rewritten no sooner than the interval after the last write, without an entry', () => {
    const early = planWaiting(`Pulling image ${IMAGE}, 10s`, 2000, pulling(12));
    expect(statusSteps(early.steps)).toEqual([]);
    expect(early.recheckInMs).toBe(3000);

    const due = planWaiting(`Pulling image ${IMAGE}, 10s`, 5000, pulling(15));
    expect(statusSteps(due.steps)).toEqual([
      { status: 'PENDING', statusMessage: `Pulling image ${IMAGE}, 15s`, history: false },
    ]);
    expect(due.recheckInMs).toBe(5000);
  });

  it('a phase change does not wait for the interval', () => {
    const p = planWaiting(`Pulling image ${IMAGE}, 3m10s`, 100, {
      phase: 'readiness',
      detail: 'model loading',
      since: ago(360_000),
    });
    expect(statusSteps(p.steps)).toEqual([
      { status: 'PENDING', statusMessage: 'Waiting for readiness: model loading, 6m' },
    ]);
  });

  it("a local start continues 'Starting instance' with its last output line, without an entry", () => {
    const starting: InstanceProgress = { phase: 'starting', detail: 'nim-sim: loading model 50%', since: ago(12_000) };
    expect(statusSteps(planWaiting('Starting instance', 1000, starting).steps)).toEqual([]);
    expect(statusSteps(planWaiting('Starting instance', 6000, starting).steps)).toEqual([
      { status: 'PENDING', statusMessage: 'Starting: nim-sim: loading model 50%, 12s', history: false },
    ]);
  });

  it('a version waiting for capacity says so with the scheduler message, keeping the reason', () => {
    const v = version(1, 'PENDING', { isLatest: true, statusMessage: 'Starting instance', messageAt: ago(100) });
    const progress: InstanceProgress = {
      phase: 'unschedulable',
      detail: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
      since: ago(65_000),
    };
    const observed = new Map([obs(1, 'pending', { reason: 'insufficient_capacity', progress })]);
    expect(statusSteps(planDeployment([v], observed, NOW, settings).steps)).toEqual([
      {
        status: 'PENDING',
        statusMessage: 'Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu., 1m5s',
        reason: 'insufficient_capacity',
      },
    ]);
  });

  it("keeps the runtime's own message when it says more (a failing pull), and the restart count after a crash", () => {
    const failingPull = planWaiting('Starting instance', 100, pulling(30), {
      phase: 'pending',
      reason: 'image_pull',
      message: `Pulling ${IMAGE} on node-1 failed (ErrImagePull: denied); the kubelet retries`,
    });
    expect(statusSteps(failingPull.steps)[0].statusMessage).toMatch(/^Waiting to start: Pulling .* failed/);
    const restarted = planWaiting('Starting instance', 100, pulling(30), { restarts: 1, message: 'Exited (Error)' });
    expect(statusSteps(restarted.steps)[0].statusMessage).toBe('Starting instance (restarts: 1): Exited (Error)');
  });

  it('without progress the messages stay as they were', () => {
    const v = version(1, 'PENDING', { isLatest: true, statusMessage: 'Starting instance' });
    const p = planDeployment([v], new Map([obs(1, 'starting')]), NOW, settings);
    expect(statusSteps(p.steps)).toEqual([]);
    expect(p.recheckInMs).toBe(10_000);
  });
});
