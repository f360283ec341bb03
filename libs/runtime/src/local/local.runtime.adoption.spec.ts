import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalRuntimeOptions } from './local-runtime.options.js';
import { LocalRuntime } from './local.runtime.js';
import {
  cleanUp,
  isGone,
  makeStateDir,
  specFor,
  testOptions,
  waitFor,
  waitGone,
} from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

/** A worker restart: runtime A starts instances and closes; runtime B opens the same state directory. */
describe('LocalRuntime: surviving a worker restart', () => {
  let stateDir: string;
  let current: LocalRuntime | null = null;
  const seen = new Set<number>();

  const open = (overrides: Partial<LocalRuntimeOptions> = {}) =>
    (current = new LocalRuntime(testOptions(stateDir, overrides)));
  const ready = (runtime: LocalRuntime, instanceId: string) =>
    waitFor(
      () => runtime.observe(instanceId),
      (o) => o.phase === 'ready',
    );
  const pidOf = (runtime: LocalRuntime, instanceId: string): number => {
    const pid = runtime.describe(instanceId)?.pid;
    if (pid == null) throw new Error(`${instanceId} has no process`);
    seen.add(pid);
    return pid;
  };

  beforeEach(async () => {
    stateDir = await makeStateDir();
  });

  afterEach(async () => {
    expect(await cleanUp(current, stateDir)).toEqual([]);
    current = null;
  }, SLOW);

  afterAll(() => {
    for (const pid of seen) expect(isGone(pid)).toBe(true);
  });

  it(
    'leaves instances running on close; a new runtime lists, observes, adopts and deletes them',
    async () => {
      const a = open();
      const spec = specFor('adopted');
      await a.apply(spec);
      const before = await ready(a, spec.instanceId);
      const pid = pidOf(a, spec.instanceId);
      await a.close();
      await expect(a.observe(spec.instanceId)).rejects.toThrow('LocalRuntime is closed');
      await sleep(300);
      expect(isGone(pid)).toBe(false);

      const b = open();
      const listed = await b.list();
      expect(listed).toEqual([
        expect.objectContaining({ instanceId: spec.instanceId, phase: 'ready', specHash: 'hash-1', restarts: 0 }),
      ]);
      expect(listed[0].logTail.join('\n')).toContain('fake-server: listening on port');
      const after = await ready(b, spec.instanceId);
      expect(after.endpoint).toBe(before.endpoint);
      expect(after.readySince).toEqual(before.readySince);
      expect(b.describe(spec.instanceId)).toMatchObject({ pid, adopted: true });

      // Same spec: adopted, not restarted.
      expect(await b.apply(spec)).toMatchObject({ phase: 'ready', restarts: 0 });
      expect(pidOf(b, spec.instanceId)).toBe(pid);

      await b.delete(spec.instanceId);
      expect(await waitGone(pid, 1000)).toBe(true);
      expect(await b.list()).toEqual([]);
    },
    SLOW,
  );

  it(
    'restarts, after the back-off, an instance whose process was SIGKILLed while no runtime ran',
    async () => {
      const a = open();
      const spec = specFor('killed');
      await a.apply(spec);
      await ready(a, spec.instanceId);
      const pid = pidOf(a, spec.instanceId);
      await a.close();
      process.kill(pid, 'SIGKILL');
      expect(await waitGone(pid)).toBe(true);

      const b = open();
      const restarting = await b.observe(spec.instanceId);
      expect(restarting).toMatchObject({ phase: 'starting', reason: 'exited', restarts: 0 });
      expect(restarting.message).toContain('exit status unknown');

      const back = await ready(b, spec.instanceId);
      expect(back.restarts).toBe(1);
      expect(pidOf(b, spec.instanceId)).not.toBe(pid);
      expect(b.describe(spec.instanceId)?.adopted).toBe(false);
    },
    SLOW,
  );

  it(
    'notices by polling when an adopted process exits, and restarts it',
    async () => {
      const a = open();
      const spec = specFor('adopted-crash', { env: { SIM_CRASH_AFTER_MS: '1500' } });
      await a.apply(spec);
      await ready(a, spec.instanceId);
      const pid = pidOf(a, spec.instanceId);
      await a.close();

      const b = open();
      expect(b.describe(spec.instanceId)).toBeUndefined(); // nothing is read before first use
      expect((await b.observe(spec.instanceId)).phase).toBe('ready');
      const exited = await waitFor(
        () => b.observe(spec.instanceId),
        (o) => o.reason === 'exited',
      );
      expect(exited.message).toContain('exit status unknown');
      expect(exited.logTail).toContain('fake-server: crashing on purpose');
      const back = await waitFor(
        () => b.observe(spec.instanceId),
        (o) => o.restarts === 1 && o.phase === 'ready',
      );
      expect(back.restarts).toBe(1);
      expect(pidOf(b, spec.instanceId)).not.toBe(pid);
    },
    SLOW,
  );

  it(
    'keeps a pending instance pending across the restart, and starts it when capacity frees',
    async () => {
      const a = open({ gpus: 1 });
      await a.apply(specFor('holder', { gpu: 1 }));
      expect((await a.apply(specFor('waiter', { gpu: 1 }))).phase).toBe('pending');
      await ready(a, 'ws.holder.v1');
      pidOf(a, 'ws.holder.v1');
      await a.close();

      const b = open({ gpus: 1 });
      expect(await b.observe('ws.waiter.v1')).toMatchObject({ phase: 'pending', message: '0/1 GPUs free; needs 1' });
      expect(b.describe('ws.holder.v1')).toMatchObject({ adopted: true, gpuIds: [0] });
      await b.delete('ws.holder.v1');
      await ready(b, 'ws.waiter.v1');
      pidOf(b, 'ws.waiter.v1');
    },
    SLOW,
  );
});
