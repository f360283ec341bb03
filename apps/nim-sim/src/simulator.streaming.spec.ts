/** Streaming (SSE) chat and text completions over real HTTP, including cut streams. */
import { json, readSse, startTestSimulator, type TestSimulator } from './simulator.harness.js';

const BASE = 'meta/llama-3.1-8b-instruct';
const messages = [{ role: 'user', content: 'Stream me something' }];

describe('nim-sim streaming', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  it('streams chat: a role chunk, one chunk per token, a finish chunk, then [DONE]', async () => {
    const res = await sim.post('/v1/chat/completions', { model: BASE, messages, max_tokens: 4, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { data, error } = await readSse(res);
    expect(error).toBeNull();
    expect(data).toHaveLength(1 + 4 + 1 + 1);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: BASE, id: chunks[0].id });
      expect(chunk.usage).toBeUndefined();
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1, 5).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks[5].choices[0]).toMatchObject({ delta: {}, finish_reason: 'length' });

    const streamed = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    const whole = await sim.post('/v1/chat/completions', { model: BASE, messages, max_tokens: 4 });
    expect(streamed).toBe((await json(whole)).choices[0].message.content);
  });

  it('streams text completions with choices[0].text', async () => {
    const res = await sim.post('/v1/completions', { model: BASE, prompt: 'Once', max_tokens: 3, stream: true });
    const { data, error } = await readSse(res);
    expect(error).toBeNull();
    expect(data).toHaveLength(3 + 1 + 1);
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.at(-1).choices[0]).toMatchObject({ text: '', finish_reason: 'length' });
    const streamed = chunks.map((c) => c.choices[0].text).join('');
    const whole = await sim.post('/v1/completions', { model: BASE, prompt: 'Once', max_tokens: 3 });
    expect(streamed).toBe((await json(whole)).choices[0].text);
  });

  it('adds a usage chunk with empty choices before [DONE] when stream_options.include_usage is set', async () => {
    const res = await sim.post('/v1/chat/completions', {
      model: BASE,
      messages,
      max_tokens: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { data } = await readSse(res);
    expect(data.at(-1)).toBe('[DONE]');
    const usage = JSON.parse(data.at(-2)!);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });
});

describe('nim-sim stream failure modes and pacing', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('cuts the connection after SIM_STREAM_CUT_AFTER events: no [DONE], an error at the client', async () => {
    sim = await startTestSimulator({ SIM_STREAM_CUT_AFTER: '3' });
    const res = await sim.post('/v1/chat/completions', { model: BASE, messages, max_tokens: 10, stream: true });
    expect(res.status).toBe(200);
    const { data, error } = await readSse(res);
    expect(error).not.toBeNull();
    expect(data).toHaveLength(3);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data[2]).choices[0].delta.content).toEqual(expect.any(String));
    // The server is still well, and non-streaming answers are not cut.
    expect((await sim.post('/v1/chat/completions', { model: BASE, messages })).status).toBe(200);
  });

  it('cuts paced streams too, after the same number of events', async () => {
    sim = await startTestSimulator({ SIM_STREAM_CUT_AFTER: '2', SIM_TOKEN_DELAY_MS: '5' });
    const res = await sim.post('/v1/completions', { prompt: 'x', max_tokens: 10, stream: true });
    const { data, error } = await readSse(res);
    expect(error).not.toBeNull();
    expect(data).toHaveLength(2);
  });

  it('cuts before the first event at SIM_STREAM_CUT_AFTER=0', async () => {
    sim = await startTestSimulator({ SIM_STREAM_CUT_AFTER: '0' });
    // The socket may go before or after the headers reach the client: fetch fails, or the body does.
    const outcome = await sim
      .post('/v1/completions', { prompt: 'x', stream: true })
      .then(readSse, (error: Error) => ({ data: [], error }));
    expect(outcome.data).toEqual([]);
    expect(outcome.error).not.toBeNull();
  });

  it('leaves a stream shorter than the cut whole', async () => {
    sim = await startTestSimulator({ SIM_STREAM_CUT_AFTER: '50' });
    const { data, error } = await readSse(
      await sim.post('/v1/completions', { prompt: 'x', max_tokens: 3, stream: true }),
    );
    expect(error).toBeNull();
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('paces tokens SIM_TOKEN_DELAY_MS apart, sending headers and the role chunk at once', async () => {
    sim = await startTestSimulator({ SIM_TOKEN_DELAY_MS: '40' });
    const started = Date.now();
    const res = await sim.post('/v1/chat/completions', { model: BASE, messages, max_tokens: 5, stream: true });
    const headersAt = Date.now() - started;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: { at: number; text: string }[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push({ at: Date.now() - started, text: decoder.decode(value) });
    }
    expect(arrivals[0].text).toContain('"role":"assistant"');
    expect(arrivals.length).toBeGreaterThanOrEqual(5);
    // Five tokens take at least 5 × 40 ms after the role chunk; load can only stretch that.
    expect(arrivals.at(-1)!.at).toBeGreaterThanOrEqual(200);
    expect(arrivals.at(-1)!.at - headersAt).toBeGreaterThanOrEqual(100);
    expect(arrivals.at(-1)!.text).toContain('[DONE]');
  });
});
