import { jest } from '@jest/globals';
import { newWorkspace } from './api-harness.js';
import { LogCapture } from './log-capture.js';
import { startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(90_000);

const INTERVAL_MS = 600;
const START_DELAY_MS = 5000;
const LOADING = /^Starting: nim-sim: loading model meta\/llama-3\.1-8b-instruct: (\d+)%, (\d+)s$/;

/**
 * Progress while waiting on the local runtime: a real API and worker, a NIM
 * simulator that takes START_DELAY_MS to load and prints how far it got. The
 * PENDING message follows its last output line and the time since it started,
 * rewritten at most every PROGRESS_INTERVAL_MS, with no status history entry
 * and no worker log line per rewrite.
 */
describe('progress while waiting (local runtime, NIM simulator)', () => {
  let plane: ControlPlane;
  let ws: string;
  const workerLog = new LogCapture();

  beforeAll(async () => {
    plane = await startControlPlane(
      { PROGRESS_INTERVAL_MS: String(INTERVAL_MS), HEALTH_TIMEOUT_MS: '30000' },
      {},
      { workerLog: workerLog.options('log') },
    );
    ws = await newWorkspace(plane.api, 'progress');
  });
  afterAll(async () => {
    await plane?.close();
  });

  it("a slow start shows the server's last output line and how long it has been starting, then goes READY", async () => {
    const base = `/v2/workspaces/${ws}`;
    const config = await plane.api.request('POST', `${base}/deployment-configs`, {
      name: 'slow',
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, additional_envs: { SIM_START_DELAY_MS: String(START_DELAY_MS) } },
    });
    expect(config.status).toBe(201);
    expect((await plane.api.request('POST', `${base}/deployments`, { name: 'slow', config: 'slow' })).status).toBe(201);

    /** Each message seen while PENDING, with when it was first seen. */
    const seen: { message: string; at: number }[] = [];
    let final: { status: string; status_history: { status: string; status_message: string }[] } | null = null;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const d = (await plane.api.request('GET', `${base}/deployments/slow`)).body;
      if (d.status === 'READY' || d.status === 'FAILED') {
        final = d;
        break;
      }
      if (d.status === 'PENDING' && seen.at(-1)?.message !== d.status_message)
        seen.push({ message: d.status_message as string, at: Date.now() });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(final?.status).toBe('READY');

    const progress = seen.filter((s) => LOADING.test(s.message));
    // Several rewrites over the 5 s load, each with a later clock, and the load further along at the end.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const seconds = progress.map((s) => Number(LOADING.exec(s.message)![2]));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(seconds.at(-1)).toBeGreaterThanOrEqual(2);
    expect(Number(LOADING.exec(progress.at(-1)!.message)![1])).toBeGreaterThanOrEqual(50);
    // At most one rewrite per interval (the poll sees each; a little slack for the clocks of two processes).
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].at - progress[i - 1].at).toBeGreaterThanOrEqual(INTERVAL_MS - 150);

    // The history holds the phases, not the ticks; the worker logged the phase, not each rewrite.
    expect(final!.status_history.map((h) => h.status)).toEqual(['CREATED', 'PENDING', 'READY']);
    // The PENDING entry was rewritten with each tick: it ends with how far the start got.
    expect(final!.status_history[1].status_message).toMatch(LOADING);
    const pendingLines = workerLog.lines.filter((l) => l.includes(`${ws}/slow v1: PENDING`));
    expect(pendingLines).toHaveLength(1);
    expect(workerLog.lines.filter((l) => l.includes('loading model'))).toEqual([]);
  });
});
