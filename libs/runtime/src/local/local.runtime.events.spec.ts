import { readFileSync } from 'node:fs';
import type { InstanceEvent } from '../runtime.js';
import { LocalRuntime } from './local.runtime.js';
import { cleanUp, makeStateDir, specFor, testOptions, waitFor } from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

/** Field 19 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

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
      const spec = specFor('exits', { env: { SIM_CRASH_AFTER_MS: '400' } });
      await runtime.apply(spec);
      const pid = runtime.describe(spec.instanceId)?.pid as number;
      expect(niceOf(pid)).toBe(19);
      await waitFor(
        async () => changesOf(spec.instanceId),
        (changes) => changes.includes('exited'),
      );
      expect(changesOf(spec.instanceId).slice(0, 3)).toEqual(['started', 'ready', 'exited']);
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
