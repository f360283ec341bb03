import { existsSync, readFileSync } from 'node:fs';
import type { InstanceEvent } from '../runtime.js';
import { LocalRuntime } from './local.runtime.js';
import { cleanUp, makeStateDir, specFor, testOptions, waitFor } from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

/** Fields of /proc/<pid>/stat after the parenthesised command name (which may hold spaces). */
function statOf(pid: number): { ppid: number; pgrp: number; session: number; nice: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { ppid: fields[1], pgrp: fields[2], session: fields[3], nice: fields[16] };
}

const niceOf = (pid: number): number => statOf(pid).nice;

describe('LocalRuntime: change events and priority', () => {
  let stateDir: string;
  let runtime: LocalRuntime;
  const events: InstanceEvent[] = [];
  let unsubscribe: () => void;

  beforeAll(async () => {
    stateDir = await makeStateDir();
    // The tick is slow here, so "ready" can only come this fast from the start-up probes.
    runtime = new LocalRuntime(testOptions(stateDir, { probeIntervalMs: 5000, nice: 19 }));
    unsubscribe = runtime.watch((event) => events.push(event));
  }, SLOW);

  afterAll(async () => {
    unsubscribe();
    expect(await cleanUp(runtime, stateDir)).toEqual([]);
  }, SLOW);

  const changesOf = (instanceId: string) => events.filter((e) => e.instanceId === instanceId).map((e) => e.change);

  it(
    'reports started, then ready from a start-up probe long before the tick, with the identity labels',
    async () => {
      const spec = specFor('events', { env: { SIM_START_DELAY_MS: '300' } });
      const appliedAt = Date.now();
      await runtime.apply(spec);
      await waitFor(
        async () => changesOf(spec.instanceId),
        (changes) => changes.includes('ready'),
      );
      expect(Date.now() - appliedAt).toBeLessThan(2500); // the next tick would come after 5000 ms
      expect(changesOf(spec.instanceId)).toEqual(['started', 'ready']);
      expect(events.find((e) => e.instanceId === spec.instanceId)).toMatchObject({
        workspace: 'ws',
        deployment: 'events',
        version: 1,
      });
      expect((await runtime.observe(spec.instanceId)).phase).toBe('ready');
    },
    SLOW,
  );

  it(
    'reports an exit, and runs instances at the configured niceness',
    async () => {
      const spec = specFor('exits', { env: { SIM_CRASH_AFTER_MS: '1500' } });
      await runtime.apply(spec);
      const pid = runtime.describe(spec.instanceId)?.pid as number;
      // The process sets its niceness as it starts (before it execs the instance): on a loaded machine the
      // first read can come before that.
      expect(
        await waitFor(
          async () => niceOf(pid),
          (nice) => nice === 19,
        ),
      ).toBe(19);
      await waitFor(
        async () => changesOf(spec.instanceId),
        (changes) => changes.includes('exited'),
      );
      expect(changesOf(spec.instanceId).slice(0, 3)).toEqual(['started', 'ready', 'exited']);
    },
    SLOW,
  );

  it(
    'starts every instance from one launcher, in one session apart from the worker, each in its own process group',
    async () => {
      const specs = [specFor('session-a'), specFor('session-b')];
      for (const spec of specs) await runtime.apply(spec);
      const pids = specs.map((spec) => runtime.describe(spec.instanceId)?.pid as number);
      // The wrapper sets the group just before it execs the server: a moment after the spawn.
      const [a, b] = await waitFor(
        async () => pids.map(statOf),
        (stats) => stats.every((stat, i) => stat.pgrp === pids[i]),
      );
      expect(a.ppid).toBe(b.ppid); // the launcher
      expect(a.ppid).not.toBe(process.pid);
      expect(a.session).toBe(b.session);
      expect(a.session).toBe(a.ppid); // the launcher leads the session
      expect(a.session).not.toBe(statOf(process.pid).session);
      expect(statOf(a.ppid).nice).toBe(0); // the launcher itself is not niced: it keeps starting instances
      for (const spec of specs) await runtime.delete(spec.instanceId);
    },
    SLOW,
  );

  it(
    'keeps instances running when the launcher dies, notices their exits by polling, and starts a new launcher',
    async () => {
      const spec = specFor('launcher-dies');
      await runtime.apply(spec);
      const first = runtime.describe(spec.instanceId)?.pid as number;
      const launcher = statOf(first).ppid;
      process.kill(launcher, 'SIGKILL');
      // Its parent (this process, the runtime's) reaps it at once.
      await waitFor(
        async () => existsSync(`/proc/${launcher}`),
        (exists) => !exists,
      );
      expect(statOf(first).nice).toBe(19); // still running
      process.kill(first, 'SIGKILL');
      const restarted = await waitFor(
        async () => runtime.describe(spec.instanceId)?.pid ?? null,
        (pid) => pid !== null && pid !== first,
        { timeoutMs: 15_000 }, // the exit is seen by the tick's poll (every 5 s here), then the back-off
      );
      expect(statOf(restarted as number).ppid).not.toBe(launcher);
      expect((await runtime.observe(spec.instanceId)).restarts).toBe(1);
      await runtime.delete(spec.instanceId);
    },
    SLOW,
  );

  it(
    'probes a starting instance as soon as it writes to its log, not only on the probe schedule',
    async () => {
      // No start-up probe before 4.9 s and no tick before 5 s: only the log watch can see it ready sooner.
      const dir = stateDir + '-logwatch';
      const watching = new LocalRuntime(testOptions(dir, { probeIntervalMs: 5000, startupProbeInitialMs: 4900 }));
      try {
        const spec = specFor('log-watch', { env: { SIM_START_DELAY_MS: '1200' } });
        // Observing probes a starting instance too, so this waits on the change event alone.
        let readyAt = 0;
        watching.watch((event) => {
          if (event.change === 'ready') readyAt = Date.now();
        });
        const appliedAt = Date.now();
        await watching.apply(spec);
        await waitFor(
          async () => readyAt,
          (at) => at > 0,
        );
        const took = readyAt - appliedAt;
        expect(took).toBeGreaterThanOrEqual(1200);
        expect(took).toBeLessThan(3000);
      } finally {
        await cleanUp(watching, dir);
      }
    },
    SLOW,
  );

  it(
    'still reports a program that does not exist as a start failure naming it, with a niceness set',
    async () => {
      const missing = new LocalRuntime(
        testOptions(stateDir + '-missing', { nice: 19, command: ['/nonexistent/model-server'] }),
      );
      try {
        const spec = specFor('missing');
        await missing.apply(spec);
        const observed = await waitFor(
          () => missing.observe(spec.instanceId),
          (o) => o.reason === 'start_failed',
        );
        expect(observed.message).toMatch(/could not be started.*model-server.*ENOENT/);
      } finally {
        await cleanUp(missing, stateDir + '-missing');
      }
    },
    SLOW,
  );
});
