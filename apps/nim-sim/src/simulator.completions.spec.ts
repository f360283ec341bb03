/** Non-streaming chat and text completions over real HTTP: shapes, determinism, usage, errors. */
import { json, startTestSimulator, type TestSimulator } from './simulator.harness.js';

const BASE = 'meta/llama-3.1-8b-instruct';
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: BASE,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
  ...extra,
});

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('nim-sim completions', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ SIM_LORA_ADAPTERS: 'my-lora', NIM_MAX_MODEL_LEN: '64' });
  });
  afterAll(() => sim.close());

  it('answers a chat completion in the OpenAI shape, echoing the model, with word-count usage', async () => {
    const res = await sim.post('/v1/chat/completions', chat('What is a NIM?'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await json(res);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: BASE,
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
      // "Be brief." (2) + "What is a NIM?" (4); the default answer is 16 words.
      usage: { prompt_tokens: 6, completion_tokens: 16, total_tokens: 22 },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
    expect(words(body.choices[0].message.content)).toBe(16);
  });

  it('gives the same answer to the same request and another to another prompt or model', async () => {
    const text = async (req: unknown): Promise<string> =>
      (await json(sim.post('/v1/chat/completions', req))).choices[0].message.content;
    const a = await text(chat('same question'));
    expect(await text(chat('same question'))).toBe(a);
    expect(await text(chat('other question'))).not.toBe(a);
    expect(await text({ ...chat('same question'), model: 'my-lora' })).not.toBe(a);
  });

  it('answers exactly max_tokens (or max_completion_tokens) words, finishing with length', async () => {
    const res = await json(sim.post('/v1/chat/completions', chat('count', { max_tokens: 5 })));
    expect(words(res.choices[0].message.content)).toBe(5);
    expect(res.choices[0].finish_reason).toBe('length');
    expect(res.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    const preferred = await sim.post(
      '/v1/chat/completions',
      chat('count', { max_tokens: 5, max_completion_tokens: 3 }),
    );
    expect((await json(preferred)).usage.completion_tokens).toBe(3);
  });

  it('answers a text completion, string or token-id prompt, deterministically', async () => {
    const post = (body: unknown) => json(sim.post('/v1/completions', body));
    const a = await post({ model: BASE, prompt: 'Once upon a time', max_tokens: 7 });
    expect(a).toMatchObject({
      object: 'text_completion',
      model: BASE,
      choices: [{ index: 0, finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 },
    });
    expect(a.id).toMatch(/^cmpl-/);
    expect(words(a.choices[0].text)).toBe(7);
    expect((await post({ model: BASE, prompt: ['Once upon a time'], max_tokens: 7 })).choices[0].text).toBe(
      a.choices[0].text,
    );
    const ids = await post({ model: BASE, prompt: [101, 7592, 2088], max_tokens: 2 });
    expect(ids.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('defaults the model to the base when the request names none', async () => {
    const res = await sim.post('/v1/completions', { prompt: 'hi' });
    expect((await json(res)).model).toBe(BASE);
  });

  it('answers an unknown model with 404 NotFoundError, as vLLM does', async () => {
    for (const path of ['/v1/chat/completions', '/v1/completions']) {
      const res = await sim.post(path, {
        model: 'nope/model',
        prompt: 'x',
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual({
        error: { message: 'The model `nope/model` does not exist.', type: 'NotFoundError', code: 404 },
      });
    }
  });

  it.each([
    ['malformed JSON', '/v1/chat/completions', '{"model": ', /^Invalid JSON in request body/],
    ['a JSON array', '/v1/chat/completions', '[]', /must be a JSON object/],
    ['no messages', '/v1/chat/completions', { model: BASE }, /`messages` must be a non-empty array/],
    ['a message without role', '/v1/chat/completions', { messages: [{ content: 'x' }] }, /string `role`/],
    ['max_tokens 0', '/v1/completions', { prompt: 'x', max_tokens: 0 }, /`max_tokens` must be an integer >= 1/],
    ['stream "yes"', '/v1/completions', { prompt: 'x', stream: 'yes' }, /`stream` must be a boolean/],
    ['a batch of prompts', '/v1/completions', { prompt: ['a', 'b'] }, /batched prompts/],
    ['no prompt', '/v1/completions', { model: BASE }, /`prompt` must be/],
  ])('answers %s with 400 BadRequestError', async (_name, path, body, message) => {
    const res = await sim.post(path, body);
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ type: 'BadRequestError', code: 400 });
    expect(error.message).toMatch(message);
  });

  it('refuses a request longer than NIM_MAX_MODEL_LEN, as vLLM does', async () => {
    const res = await sim.post('/v1/completions', { prompt: 'word '.repeat(60), max_tokens: 10 });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(
      /maximum context length is 64 tokens\. However, you requested 70 tokens \(60 in the messages, 10 in the completion\)/,
    );
    // Without max_tokens the default answer shrinks to fit, and says it was cut.
    const fitted = await json(sim.post('/v1/completions', { prompt: 'word '.repeat(60) }));
    expect(fitted.usage.completion_tokens).toBe(4);
    expect(fitted.choices[0].finish_reason).toBe('length');
  });
});

describe('nim-sim completion failure modes', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('answers every completion with a 500 at SIM_ERROR_RATE=1, and health still 200', async () => {
    sim = await startTestSimulator({ SIM_ERROR_RATE: '1' });
    for (const [path, body] of [
      ['/v1/chat/completions', chat('hi')],
      ['/v1/completions', { prompt: 'hi' }],
    ] as const) {
      const res = await sim.post(path, body);
      expect(res.status).toBe(500);
      expect(await json(res)).toEqual({
        error: { message: 'Simulated internal error (SIM_ERROR_RATE)', type: 'InternalServerError', code: 500 },
      });
    }
    expect((await sim.get('/v1/health/ready')).status).toBe(200);
  });

  it('fails half the completions at SIM_ERROR_RATE=0.5', async () => {
    sim = await startTestSimulator({ SIM_ERROR_RATE: '0.5' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await sim.post('/v1/completions', { prompt: 'hi' })).status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(5);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  });

  it('takes SIM_TOKEN_DELAY_MS per token before a non-streaming answer', async () => {
    sim = await startTestSimulator({ SIM_TOKEN_DELAY_MS: '20' });
    const started = Date.now();
    const res = await sim.post('/v1/completions', { prompt: 'hi', max_tokens: 10 });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });
});
