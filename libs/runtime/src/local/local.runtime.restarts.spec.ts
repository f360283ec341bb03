import type { InstanceObservation } from '../runtime.js';
import { LocalRuntime } from './local.runtime.js';
import { cleanUp, isGone, makeStateDir, specFor, testOptions, waitFor } from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

describe('LocalRuntime: exits and restarts', () => {
  let stateDir: string;
  let runtime: LocalRuntime;
  const seen = new Set<number>();

  /** Observes every 20 ms until `done`, recording each pid and each (phase, reason) seen on the way. */
  async function watch(instanceId: string, done: (o: InstanceObservation) => boolean) {
    const states: string[] = [];
    const last = await waitFor(
      async () => {
        const observed = await runtime.observe(instanceId);
        const pid = runtime.describe(instanceId)?.pid;
        if (pid != null) seen.add(pid);
        const state = `${observed.phase}${observed.reason ? `/${observed.reason}` : ''}`;
        if (states.at(-1) !== state) states.push(state);
        return observed;
      },
      done,
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    return { last, states };
  }

  beforeAll(async () => {
    stateDir = await makeStateDir();
    runtime = new LocalRuntime(testOptions(stateDir));
  }, SLOW);

  afterAll(async () => {
    expect(await cleanUp(runtime, stateDir)).toEqual([]);
    for (const pid of seen) expect(isGone(pid)).toBe(true);
  }, SLOW);

  it(
    'reports start_failed with the exit code and the output, then crash_loop once restarted 3 times',
    async () => {
      const spec = specFor('fails', { env: { SIM_FAIL_AT_START: 'model weights not found in /models' } });
      await runtime.apply(spec);

      const failed = await watch(spec.instanceId, (o) => o.reason === 'start_failed');
      expect(failed.last).toMatchObject({ phase: 'starting', restarts: 0 });
      expect(failed.last.message).toMatch(/exited with code 1 before becoming ready/);
      expect(failed.last.logTail).toContain('model weights not found in /models');
      expect(failed.last.endpoint).toBeUndefined();

      const looping = await watch(spec.instanceId, (o) => o.reason === 'crash_loop');
      expect(looping.last.phase).toBe('starting');
      expect(looping.last.restarts).toBeGreaterThanOrEqual(3);
      expect(looping.last.message).toMatch(/exited with code 1 \(restarted \d+ times\)/);
      expect(looping.states).not.toContain('ready');
    },
    SLOW,
  );

  it(
    'restarts a server that crashes after becoming ready: exited, counted, then crash_loop',
    async () => {
      const spec = specFor('crashes', { env: { SIM_CRASH_AFTER_MS: '500' } });
      await runtime.apply(spec);

      const { last, states } = await watch(spec.instanceId, (o) => o.reason === 'crash_loop');
      expect(states.slice(0, 3)).toEqual(['starting', 'ready', 'starting/exited']);
      expect(states).not.toContain('starting/start_failed');
      expect(last.restarts).toBeGreaterThanOrEqual(3);
      expect(last.message).toMatch(/exited with code 3/);
      expect(last.logTail).toContain('fake-server: crashing on purpose');
      expect(last.logTail.some((line) => line.startsWith('[modelplane] the process exited with code 3'))).toBe(true);

      // Kubelet keeps restarting in crash loop; whether to give up is the reconciler's call.
      const again = await watch(spec.instanceId, (o) => o.phase === 'ready' && o.restarts > last.restarts);
      expect(again.last.readySince).toBeInstanceOf(Date);
      expect(again.last.readySince!.getTime()).toBeGreaterThanOrEqual(again.last.startedAt!.getTime());
    },
    SLOW,
  );

  it(
    'counts a command that cannot be spawned as a start failure',
    async () => {
      const otherDir = await makeStateDir();
      const broken = new LocalRuntime(
        testOptions(otherDir, { command: ['/nonexistent/model-server', '--port', '{port}'] }),
      );
      try {
        await broken.apply(specFor('missing-binary'));
        const observed = await waitFor(
          () => broken.observe('ws.missing-binary.v1'),
          (o) => o.reason === 'start_failed',
        );
        expect(observed.message).toMatch(/could not be started.*ENOENT/);
        expect(observed.logTail.join('\n')).toContain('/nonexistent/model-server');
      } finally {
        expect(await cleanUp(broken, otherDir)).toEqual([]);
      }
    },
    SLOW,
  );
});
