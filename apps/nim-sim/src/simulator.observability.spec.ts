/** /v1/metrics and /v1/sim/config: what the control plane and its tests can see, and what they must not. */
import { startTestSimulator, type TestSimulator } from './simulator.harness.js';

/** The value of one series in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('nim-sim /v1/metrics', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('counts requests by route and status, tokens, in-flight requests and readiness', async () => {
    sim = await startTestSimulator();
    await sim.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'one two three' }], max_tokens: 4 });
    await sim.post('/v1/chat/completions', { messages: [{ role: 'user', content: 'four' }], max_tokens: 6 });
    await sim.post('/v1/chat/completions', { model: 'unknown', messages: [{ role: 'user', content: 'x' }] });
    await sim.post('/v1/completions', '{oops');
    await sim.get('/v1/health/ready');
    await sim.get('/no/such/path');

    const res = await sim.get('/v1/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'nim_sim_requests_total{route="/v1/chat/completions",status="200"}')).toBe(2);
    expect(sample(text, 'nim_sim_requests_total{route="/v1/chat/completions",status="404"}')).toBe(1);
    expect(sample(text, 'nim_sim_requests_total{route="/v1/completions",status="400"}')).toBe(1);
    expect(sample(text, 'nim_sim_requests_total{route="/v1/health/ready",status="200"}')).toBe(1);
    expect(sample(text, 'nim_sim_requests_total{route="other",status="404"}')).toBe(1);
    expect(sample(text, 'nim_sim_prompt_tokens_total')).toBe(4);
    expect(sample(text, 'nim_sim_generated_tokens_total')).toBe(10);
    // The metrics request itself is the one in flight.
    expect(sample(text, 'nim_sim_requests_in_flight')).toBe(1);
    expect(sample(text, 'nim_sim_ready')).toBe(1);
    expect(text).toContain('# TYPE nim_sim_requests_total counter');
  });

  it('shows nim_sim_ready 0 while not ready, and counts a slow stream as in flight', async () => {
    sim = await startTestSimulator({ SIM_NEVER_READY: '1' });
    expect(sample(await (await sim.get('/v1/metrics')).text(), 'nim_sim_ready')).toBe(0);
    await sim.close();

    sim = await startTestSimulator({ SIM_TOKEN_DELAY_MS: '100' });
    const stream = await sim.post('/v1/completions', { prompt: 'x', max_tokens: 5, stream: true });
    expect(sample(await (await sim.get('/v1/metrics')).text(), 'nim_sim_requests_in_flight')).toBe(2);
    await stream.text();
    expect(sample(await (await sim.get('/v1/metrics')).text(), 'nim_sim_requests_in_flight')).toBe(1);
  });
});

describe('nim-sim /v1/sim/config', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('shows the NIM_* and NGC_* environment received, secrets as "***", and the settings', async () => {
    const env = {
      NGC_API_KEY: 'nvapi-supersecret-1234',
      NIM_SECRET_SAUCE: 'sauce-value',
      NIM_CACHE_PASSWORD: 'pw-value',
      NIM_AUTH_TOKEN: 'tok-value',
      NIM_SERVED_MODEL_NAME: 'org/base',
      NIM_TOOL_CALL_PARSER: 'llama3_json',
      NIM_ENABLE_AUTO_TOOL_CHOICE: '1',
      SIM_LORA_ADAPTERS: 'lora-1',
      SIM_ERROR_RATE: '0.2',
      UNRELATED: 'not shown',
    };
    sim = await startTestSimulator(env);
    const res = await sim.get('/v1/sim/config');
    expect(res.status).toBe(200);
    const raw = await res.text();
    for (const secret of ['nvapi-supersecret-1234', 'sauce-value', 'pw-value', 'tok-value']) {
      expect(raw).not.toContain(secret);
    }
    const body = JSON.parse(raw);
    expect(body.env).toEqual({
      NGC_API_KEY: '***',
      NIM_AUTH_TOKEN: '***',
      NIM_CACHE_PASSWORD: '***',
      NIM_ENABLE_AUTO_TOOL_CHOICE: '1',
      NIM_SECRET_SAUCE: '***',
      NIM_SERVED_MODEL_NAME: 'org/base',
      NIM_TOOL_CALL_PARSER: 'llama3_json',
    });
    expect(body.settings).toMatchObject({
      port: sim.port,
      served_models: ['org/base'],
      base_model: 'org/base',
      lora_adapters: ['lora-1'],
      error_rate: 0.2,
      ready: true,
    });
    expect(sim.logs.join('\n')).not.toMatch(/supersecret|sauce-value|pw-value|tok-value/);
  });
});

describe('nim-sim SIM_API_KEY and /v1/sim/requests', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  const chat = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };

  it('wants the key on /v1/models and the generation endpoints, never on health, and says what each request carried', async () => {
    sim = await startTestSimulator({ SIM_API_KEY: 'sim-key-1' });
    expect((await sim.post('/v1/chat/completions', chat)).status).toBe(401);
    expect((await sim.get('/v1/models')).status).toBe(401);
    expect((await sim.get('/v1/health/ready')).status).toBe(200);
    const good = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sim-key-1', 'content-type': 'application/json', 'x-request-id': 'r-1' },
      body: JSON.stringify(chat),
    });
    expect(good.status).toBe(200);
    const wrong = await fetch(`${sim.url}/v1/models`, { headers: { authorization: 'Bearer nope', 'x-api-key': 'k' } });
    expect(wrong.status).toBe(401);

    const seen = (await (await sim.get('/v1/sim/requests')).json()) as { data: Record<string, unknown>[] };
    const byUrl = (url: string) => seen.data.filter((r) => r.url === url);
    expect(byUrl('/v1/chat/completions').map((r) => r.authorization)).toEqual(['absent', 'valid']);
    expect(byUrl('/v1/chat/completions')[1]).toMatchObject({
      method: 'POST',
      model: 'meta/llama-3.1-8b-instruct',
      headers: { 'x-request-id': 'r-1' },
      x_api_key: 'absent',
    });
    expect(byUrl('/v1/models').map((r) => [r.authorization, r.x_api_key])).toEqual([
      ['absent', 'absent'],
      ['invalid', 'present'],
    ]);
    // Credentials are described, never shown.
    expect(JSON.stringify(seen)).not.toContain('sim-key-1');
    expect(JSON.stringify(seen)).not.toContain('nope');
  });
});
