/** Health and readiness over real HTTP, the way a kubelet or the local runtime probes them. */
import { json, startTestSimulator, type TestSimulator } from './simulator.harness.js';

const LIVE = { object: 'health.response', message: 'Service is live.' };
const READY = { object: 'health.response', message: 'Service is ready.' };

describe('nim-sim health', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('is live and ready at once without a start delay', async () => {
    sim = await startTestSimulator();
    const live = await sim.get('/v1/health/live');
    expect([live.status, await json(live)]).toEqual([200, LIVE]);
    const ready = await sim.get('/v1/health/ready');
    expect([ready.status, await json(ready)]).toEqual([200, READY]);
    expect(sim.logs).toEqual([
      `nim-sim: serving meta/llama-3.1-8b-instruct on 127.0.0.1:${sim.port}`,
      'nim-sim: ready',
    ]);
  });

  it('is live at once but ready only after SIM_START_DELAY_MS, printing its load progress and refusing completions until then', async () => {
    const started = Date.now();
    sim = await startTestSimulator({ SIM_START_DELAY_MS: '800' });
    expect((await sim.get('/v1/health/live')).status).toBe(200);
    expect((await sim.get('/v1/health/ready')).status).toBe(503);
    const early = await sim.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] });
    expect(early.status).toBe(503);
    expect((await json(early)).error.type).toBe('ServiceUnavailableError');
    expect(sim.logs).not.toContain('nim-sim: ready');

    let ready = await sim.get('/v1/health/ready');
    while (ready.status !== 200 && Date.now() - started < 5_000) {
      await new Promise((r) => setTimeout(r, 25));
      ready = await sim.get('/v1/health/ready');
    }
    expect(ready.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    // How far the load got, at each quarter of the delay, as a NIM prints while it loads (progress while waiting).
    expect(sim.logs.slice(1)).toEqual([
      ...[0, 25, 50, 75].map((percent) => `nim-sim: loading model meta/llama-3.1-8b-instruct: ${percent}%`),
      'nim-sim: ready',
    ]);
    expect((await sim.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
  });

  it('stays not ready with SIM_NEVER_READY', async () => {
    sim = await startTestSimulator({ SIM_NEVER_READY: '1' });
    await new Promise((r) => setTimeout(r, 200));
    const ready = await sim.get('/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(await json(ready)).toEqual({ object: 'health.response', message: 'Service is not ready.' });
    expect((await sim.get('/v1/health/live')).status).toBe(200);
    expect(sim.logs).not.toContain('nim-sim: ready');
  });

  it('answers unknown paths with a NIM-shaped 404 and wrong methods with 405', async () => {
    sim = await startTestSimulator();
    const missing = await sim.get('/v2/nothing');
    expect([missing.status, await json(missing)]).toEqual([
      404,
      { error: { message: 'Not Found', type: 'NotFoundError', code: 404 } },
    ]);
    const wrong = await sim.get('/v1/chat/completions');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
