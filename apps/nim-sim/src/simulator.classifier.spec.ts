/** SIM_CLASSIFIER_RULES and SIM_CLASSIFIER_NOISE over real HTTP: the answer names the category the rules pick. */
import { json, readSse, startTestSimulator, type TestSimulator } from './simulator.harness.js';

const RULES = 'code:python|function|bug;math:integral|equation;chat:*';

function classify(user: string | string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const turns = Array.isArray(user) ? user : [user];
  return {
    messages: [
      { role: 'system', content: 'Answer with one category: code, math or chat.' },
      ...turns.flatMap((content, i) => [
        ...(i > 0 ? [{ role: 'assistant', content: 'ok' }] : []),
        { role: 'user', content },
      ]),
    ],
    ...extra,
  };
}

async function streamed(
  sim: TestSimulator,
  body: Record<string, unknown>,
): Promise<{ pieces: string[]; finish: string }> {
  const { data, error } = await readSse(await sim.post('/v1/chat/completions', { ...body, stream: true }));
  expect(error).toBeNull();
  expect(data.at(-1)).toBe('[DONE]');
  // After the role chunk: the content chunks, then the finish chunk.
  const choices = data.slice(1, -1).map((d) => JSON.parse(d).choices[0]);
  return {
    pieces: choices.filter((c) => c.delta.content !== undefined).map((c) => c.delta.content),
    finish: choices.at(-1).finish_reason,
  };
}

describe('nim-sim as an intent classifier (SIM_CLASSIFIER_RULES)', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: RULES });
  });
  afterAll(() => sim.close());

  const answer = async (body: Record<string, unknown>) =>
    (await json(sim.post('/v1/chat/completions', body))).choices[0];

  it.each([
    ['Why does my PYTHON script crash?', 'code'],
    ['there is a bug here', 'code'],
    ['Compute the integral of x^2', 'math'],
    // The first rule wins when several match.
    ['a function for the integral', 'code'],
    // Keywords match as substrings: "debugging" holds "bug".
    ['debugging tips', 'code'],
    ['Tell me a joke', 'chat'],
  ])('answers %j with exactly %j', async (text, category) => {
    const choice = await answer(classify(text));
    expect(choice.message).toEqual({ role: 'assistant', content: category });
    expect(choice.finish_reason).toBe('stop');
  });

  it('reads only the last user message, and answers usage for the category', async () => {
    const res = await json(sim.post('/v1/chat/completions', classify(['fix my python bug', 'now an equation'])));
    expect(res.choices[0].message.content).toBe('math');
    // Prompt: system (8 words) + 4 + "ok" + 3; the answer is one word.
    expect(res.usage).toEqual({ prompt_tokens: 16, completion_tokens: 1, total_tokens: 17 });
  });

  it('reads the text parts of a multi-part user message', async () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look at this:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'text', text: 'an equation' },
          ],
        },
      ],
    };
    expect((await answer(body)).message.content).toBe('math');
  });

  it('streams the category as the one content chunk, with usage', async () => {
    const { pieces, finish } = await streamed(sim, classify('integral please'));
    expect(pieces).toEqual(['math']);
    expect(finish).toBe('stop');
    const { data } = await readSse(
      await sim.post('/v1/chat/completions', {
        ...classify('integral please'),
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(JSON.parse(data.at(-2)!).usage).toMatchObject({ completion_tokens: 1 });
  });

  it('leaves text completions alone: they get generated words', async () => {
    const res = await json(sim.post('/v1/completions', { prompt: 'python bug', max_tokens: 3 }));
    expect(res.choices[0].text.split(' ')).toHaveLength(3);
  });
});

describe('nim-sim classifier noise and misses', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('wraps the category in a sentence with SIM_CLASSIFIER_NOISE=1, streamed word by word', async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: RULES, SIM_CLASSIFIER_NOISE: '1' });
    const res = await json(sim.post('/v1/chat/completions', classify('python?')));
    expect(res.choices[0]).toMatchObject({
      message: { content: 'The category is: code.' },
      finish_reason: 'stop',
    });
    expect(res.usage.completion_tokens).toBe(4);
    const { pieces } = await streamed(sim, classify('python?'));
    expect(pieces).toEqual(['The', ' category', ' is:', ' code.']);
  });

  it('cuts a noisy answer at max_tokens, finishing with length', async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: RULES, SIM_CLASSIFIER_NOISE: 'true' });
    const res = await json(sim.post('/v1/chat/completions', classify('python?', { max_tokens: 2 })));
    expect(res.choices[0]).toMatchObject({ message: { content: 'The category' }, finish_reason: 'length' });
    expect(res.usage.completion_tokens).toBe(2);
  });

  it('answers the usual generated words when no rule matches (no `*` rule)', async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: 'code:python;math:integral' });
    const res = await json(sim.post('/v1/chat/completions', classify('Tell me a joke')));
    expect(res.choices[0].message.content.split(' ')).toHaveLength(16);
    expect(['code', 'math']).not.toContain(res.choices[0].message.content);
    // No user message at all: only `*` could match.
    const system = await json(sim.post('/v1/chat/completions', { messages: [{ role: 'system', content: 'python' }] }));
    expect(system.choices[0].message.content.split(' ')).toHaveLength(16);
  });

  it('shows the rules in /v1/sim/config', async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: RULES });
    expect((await json(sim.get('/v1/sim/config'))).settings).toMatchObject({
      classifier_rules: [
        { category: 'code', keywords: ['python', 'function', 'bug'] },
        { category: 'math', keywords: ['integral', 'equation'] },
        { category: 'chat', keywords: ['*'] },
      ],
      classifier_noise: false,
    });
  });
});
