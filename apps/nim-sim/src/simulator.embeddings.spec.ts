/** POST /v1/embeddings over real HTTP: shape, similarity, determinism, encodings, limits, failure modes. */
import { json, startTestSimulator, type TestSimulator } from './simulator.harness.js';

const BASE = 'meta/llama-3.1-8b-instruct';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

const norm = (v: number[]): number => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

async function vectors(sim: TestSimulator, input: string[], extra: Record<string, unknown> = {}): Promise<number[][]> {
  const res = await sim.post('/v1/embeddings', { model: BASE, input, ...extra });
  expect(res.status).toBe(200);
  return (await json(res)).data.map((d: { embedding: number[] }) => d.embedding);
}

describe('nim-sim /v1/embeddings', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ SIM_LORA_ADAPTERS: 'my-lora', NIM_MAX_MODEL_LEN: '8' });
  });
  afterAll(() => sim.close());

  it('answers in the OpenAI shape: a list of unit vectors of SIM_EMBEDDING_DIM (64), with usage', async () => {
    const res = await sim.post('/v1/embeddings', { model: BASE, input: ['Fix my Python bug', 'hello there'] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await json(res);
    expect(body).toMatchObject({
      object: 'list',
      model: BASE,
      data: [
        { object: 'embedding', index: 0 },
        { object: 'embedding', index: 1 },
      ],
      // Tokens are whitespace-separated words, as everywhere in the simulator.
      usage: { prompt_tokens: 6, total_tokens: 6 },
    });
    for (const { embedding } of body.data) {
      expect(embedding).toHaveLength(64);
      expect(norm(embedding)).toBeCloseTo(1, 5);
    }
    const single = await json(sim.post('/v1/embeddings', { model: 'my-lora', input: 'Fix my Python bug' }));
    expect(single.model).toBe('my-lora');
    expect(single.data[0].embedding).toEqual(body.data[0].embedding);
  });

  it('puts texts that share words nearer each other than unrelated texts, as a centroid router needs', async () => {
    const code = ['fix the bug in my python function', 'my python function has a bug', 'write a python function'];
    const math = ['solve the integral of x squared', 'what is the integral of sin x', 'solve this equation for x'];
    const centroid = (vs: number[][]): number[] => vs[0].map((_, i) => vs.reduce((sum, v) => sum + v[i], 0));
    const codeCentroid = centroid(await vectors(sim, code));
    const mathCentroid = centroid(await vectors(sim, math));
    const [codeQuery, mathQuery, otherQuery] = await vectors(sim, [
      'There is a BUG in this Python function!',
      'compute the integral of x',
      'sunny weather tomorrow',
    ]);
    expect(cosine(codeQuery, codeCentroid)).toBeGreaterThan(cosine(codeQuery, mathCentroid) + 0.3);
    expect(cosine(mathQuery, mathCentroid)).toBeGreaterThan(cosine(mathQuery, codeCentroid) + 0.3);
    for (const c of [codeCentroid, mathCentroid]) expect(cosine(otherQuery, c)).toBeLessThan(0.3);
    expect(cosine(codeQuery, codeCentroid)).toBeGreaterThan(0.4);
    // Case and punctuation do not matter; word order only through the bigrams.
    const [a, b, c] = await vectors(sim, ['Python, function.', 'python function', 'function python']);
    expect(cosine(a, b)).toBeCloseTo(1, 5);
    expect(cosine(b, c)).toBeLessThan(0.999);
    expect(cosine(b, c)).toBeGreaterThan(0.7);
  });

  it('gives the same vectors after a restart (deterministic, not seeded per process)', async () => {
    const input = ['route me to the math model', 'another text'];
    const before = await vectors(sim, input);
    const other = await startTestSimulator({ NIM_SERVED_MODEL_NAME: 'nvidia/nv-embedqa-e5-v5' });
    try {
      const res = await other.post('/v1/embeddings', { model: 'nvidia/nv-embedqa-e5-v5', input });
      expect((await json(res)).data.map((d: { embedding: number[] }) => d.embedding)).toEqual(before);
    } finally {
      await other.close();
    }
  });

  it('encodes base64 as little-endian float32, equal to the float answer', async () => {
    const [floats] = await vectors(sim, ['hello world']);
    const res = await json(
      sim.post('/v1/embeddings', { model: BASE, input: 'hello world', encoding_format: 'base64' }),
    );
    const bytes = Buffer.from(res.data[0].embedding, 'base64');
    expect(bytes).toHaveLength(64 * 4);
    const decoded = Array.from({ length: 64 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(floats);
  });

  it('answers `dimensions` long unit vectors, and accepts NIM input_type', async () => {
    const [short] = await vectors(sim, ['hello world'], { dimensions: 8, input_type: 'query' });
    expect(short).toHaveLength(8);
    expect(norm(short)).toBeCloseTo(1, 5);
    const [punctuation] = await vectors(sim, ['?!'], { input_type: 'passage' });
    expect(norm(punctuation)).toBeCloseTo(1, 5);
  });

  it('truncates a text longer than NIM_MAX_MODEL_LEN when `truncate` asks for it', async () => {
    const long = 'one two three four five six seven eight nine ten';
    const end = await json(sim.post('/v1/embeddings', { model: BASE, input: long, truncate: 'END' }));
    expect(end.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
    const [kept] = await vectors(sim, ['one two three four five six seven eight']);
    expect(end.data[0].embedding).toEqual(kept);
    const start = await json(sim.post('/v1/embeddings', { model: BASE, input: long, truncate: 'START' }));
    const [tail] = await vectors(sim, ['three four five six seven eight nine ten']);
    expect(start.data[0].embedding).toEqual(tail);
  });

  it('answers an unknown model with 404 NotFoundError', async () => {
    const res = await sim.post('/v1/embeddings', { model: 'nope/model', input: 'x' });
    expect(res.status).toBe(404);
    expect((await json(res)).error).toMatchObject({ type: 'NotFoundError', code: 404 });
  });

  it.each([
    ['malformed JSON', '{"input": ', /^Invalid JSON in request body/],
    ['token ids', { input: [101, 2023] }, /`input` must be a string or an array of strings.*`input\[0\]`/],
    ['token id arrays', { input: [[101, 2023]] }, /`input` must be a string or an array of strings/],
    ['no input', { model: BASE }, /`input` must be a string or an array of strings/],
    ['an empty string', { input: '' }, /`input` must not be empty/],
    ['an empty text in the list', { input: ['a', ''] }, /`input\[1\]` must not be empty/],
    ['an empty list', { input: [] }, /`input` must not be an empty array/],
    ['2049 texts', { input: Array.from({ length: 2049 }, () => 'x') }, /`input` holds 2049 texts; at most 2048/],
    ['a text over the context', { input: 'w '.repeat(9) }, /maximum context length is 8 tokens.*9 tokens in `input`/],
    ['a listed text over it', { input: ['ok', 'w '.repeat(9)] }, /9 tokens in `input\[1\]`/],
    ['encoding_format "int8"', { input: 'x', encoding_format: 'int8' }, /`encoding_format` must be one of/],
    ['dimensions 0', { input: 'x', dimensions: 0 }, /`dimensions` must be an integer from 1 to 64/],
    ['dimensions 65', { input: 'x', dimensions: 65 }, /`dimensions` must be an integer from 1 to 64/],
    ['input_type "doc"', { input: 'x', input_type: 'doc' }, /`input_type` must be one of "query", "passage"/],
    ['truncate "MIDDLE"', { input: 'x', truncate: 'MIDDLE' }, /`truncate` must be one of/],
    ['a numeric model', { model: 7, input: 'x' }, /`model` must be a string/],
  ])('answers %s with 400 BadRequestError naming the field', async (_name, body, message) => {
    const res = await sim.post('/v1/embeddings', body);
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ type: 'BadRequestError', code: 400 });
    expect(error.message).toMatch(message);
  });

  it('answers GET with 405', async () => {
    const res = await sim.get('/v1/embeddings');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('nim-sim /v1/embeddings settings and failure modes', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('sizes vectors by SIM_EMBEDDING_DIM and counts embeddings in the metrics', async () => {
    sim = await startTestSimulator({ SIM_EMBEDDING_DIM: '16' });
    const [v] = await vectors(sim, ['one two three']);
    expect(v).toHaveLength(16);
    await sim.post('/v1/embeddings', { input: 5 });
    const metrics = await (await sim.get('/v1/metrics')).text();
    expect(metrics).toContain('nim_sim_requests_total{route="/v1/embeddings",status="200"} 1');
    expect(metrics).toContain('nim_sim_requests_total{route="/v1/embeddings",status="400"} 1');
    expect(metrics).toContain('nim_sim_prompt_tokens_total 3');
    expect(metrics).toContain('nim_sim_generated_tokens_total 0');
    expect((await json(sim.get('/v1/sim/config'))).settings).toMatchObject({ embedding_dim: 16 });
  });

  it('fails at SIM_ERROR_RATE, counted apart from completions', async () => {
    sim = await startTestSimulator({ SIM_ERROR_RATE: '0.5' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await sim.post('/v1/embeddings', { input: 'x' })).status);
      statuses.push((await sim.post('/v1/completions', { prompt: 'x' })).status);
    }
    // Each endpoint alone fails every second request.
    expect(statuses).toEqual([200, 200, 500, 500, 200, 200, 500, 500]);
  });

  it('waits SIM_EMBEDDING_DELAY_MS before answering', async () => {
    sim = await startTestSimulator({ SIM_EMBEDDING_DELAY_MS: '150' });
    const started = Date.now();
    expect((await sim.post('/v1/embeddings', { input: 'x' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers 503 until ready and 401 without the SIM_API_KEY', async () => {
    sim = await startTestSimulator({ SIM_NEVER_READY: '1' });
    expect((await sim.post('/v1/embeddings', { input: 'x' })).status).toBe(503);
    await sim.close();
    sim = await startTestSimulator({ SIM_API_KEY: 'k-123' });
    expect((await sim.post('/v1/embeddings', { input: 'x' })).status).toBe(401);
    const res = await fetch(`${sim.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: 'Bearer k-123', 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'x' }),
    });
    expect(res.status).toBe(200);
  });
});
