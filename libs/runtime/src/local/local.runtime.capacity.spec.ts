import { setTimeout as sleep } from 'node:timers/promises';
import { LocalRuntime } from './local.runtime.js';
import { cleanUp, getJson, makeStateDir, specFor, testOptions, waitFor } from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

describe('LocalRuntime: GPU capacity', () => {
  let stateDir: string;
  let runtime: LocalRuntime;

  const ready = (instanceId: string) =>
    waitFor(
      () => runtime.observe(instanceId),
      (o) => o.phase === 'ready',
    );
  const cudaDevices = async (endpoint: string) =>
    (await getJson<{ env: Record<string, string> }>(`${endpoint}/env`)).body.env.CUDA_VISIBLE_DEVICES;

  beforeAll(async () => {
    stateDir = await makeStateDir();
    runtime = new LocalRuntime(testOptions(stateDir, { gpus: 1 }));
  }, SLOW);

  afterAll(async () => {
    expect(await cleanUp(runtime, stateDir)).toEqual([]);
  }, SLOW);

  it(
    'leaves an instance pending while the GPUs are taken, and starts it once they are freed',
    async () => {
      const first = specFor('first', { gpu: 1 });
      const second = specFor('second', { gpu: 1 });
      expect((await runtime.apply(first)).phase).toBe('starting');
      expect(await cudaDevices((await ready(first.instanceId)).endpoint!)).toBe('0');

      const waiting = await runtime.apply(second);
      expect(waiting).toMatchObject({
        phase: 'pending',
        reason: 'insufficient_capacity',
        message: '0/1 GPUs free; needs 1',
        restarts: 0,
        logTail: [],
      });
      expect(waiting.endpoint).toBeUndefined();
      expect(runtime.describe(second.instanceId)?.pid).toBeNull();

      // Applying again while it waits changes nothing.
      expect((await runtime.apply(second)).phase).toBe('pending');
      await sleep(300);
      expect((await runtime.observe(second.instanceId)).phase).toBe('pending');

      await runtime.delete(first.instanceId);
      const started = await ready(second.instanceId);
      expect(started.restarts).toBe(0);
      expect(await cudaDevices(started.endpoint!)).toBe('0');
    },
    SLOW,
  );

  it(
    'runs instances that need no GPU regardless, and says when a request exceeds the capacity',
    async () => {
      expect((await runtime.apply(specFor('cpu-only', { gpu: 0 }))).phase).toBe('starting');
      const cpu = await ready('ws.cpu-only.v1');
      expect(await cudaDevices(cpu.endpoint!)).toBeUndefined();

      expect(await runtime.apply(specFor('huge', { gpu: 2 }))).toMatchObject({
        phase: 'pending',
        reason: 'insufficient_capacity',
        message: '0/1 GPUs free; needs 2 (more than this runtime has)',
      });
      await runtime.delete('ws.huge.v1');
      expect((await runtime.observe('ws.huge.v1')).phase).toBe('missing');
    },
    SLOW,
  );
});
