/** JSON answers to response_format over real HTTP, checked with ajv: SIM_JSON_MODE valid, invalid and mismatch. */
import { Ajv } from 'ajv';
import { json, readSse, startTestSimulator, type TestSimulator } from './simulator.harness.js';

// Strict but for tuples and implied types, which some schemas below leave out on purpose.
const ajv = new Ajv({ strict: true, strictTuples: false, strictTypes: false });

const PERSON = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'age', 'tags', 'role', 'version', 'address', 'verified'],
  properties: {
    name: { type: 'string', minLength: 3 },
    age: { type: 'integer', exclusiveMinimum: 17, multipleOf: 5 },
    score: { type: 'number' },
    tags: { type: 'array', minItems: 2, items: { type: 'string', enum: ['red green', 'blue'] } },
    role: { enum: ['admin', 'user'] },
    version: { const: 2 },
    address: { $ref: '#/$defs/address' },
    verified: { type: 'boolean' },
  },
  $defs: {
    address: {
      type: 'object',
      required: ['city', 'zip'],
      properties: { city: { type: 'string' }, zip: { anyOf: [{ type: 'null' }, { type: 'string' }] } },
    },
  },
};

const SCHEMAS: [string, Record<string, unknown>][] = [
  ['an object with nested, referenced and constrained properties', PERSON],
  ['a top-level array of tuples', { type: 'array', minItems: 1, items: [{ type: 'number', minimum: 1.5 }] }],
  ['a string', { type: 'string', minLength: 2 }],
  [
    'allOf parts',
    {
      allOf: [
        { required: ['a'], properties: { a: { type: 'null' } } },
        { required: ['b'], properties: { b: { type: 'integer', minimum: 4 } } },
      ],
    },
  ],
];

const schemaFormat = (schema: unknown) => ({ type: 'json_schema', json_schema: { name: 'answer', schema } });
const chat = (responseFormat: unknown, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content: 'Give me JSON' }],
  response_format: responseFormat,
  ...extra,
});

async function content(sim: TestSimulator, body: unknown, path = '/v1/chat/completions'): Promise<string> {
  const res = await sim.post(path, body);
  expect(res.status).toBe(200);
  const { choices } = await json(res);
  return path === '/v1/chat/completions' ? choices[0].message.content : choices[0].text;
}

describe('nim-sim JSON answers (SIM_JSON_MODE=valid, the default)', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  it.each(SCHEMAS)('answers %s with a document ajv accepts', async (_name, schema) => {
    const text = await content(sim, chat(schemaFormat(schema)));
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(text))).toBe(true);
  });

  it('answers the minimal document: required properties only, lower bounds, first enum values', async () => {
    const body = await json(sim.post('/v1/chat/completions', chat(schemaFormat(PERSON))));
    const { message, finish_reason } = body.choices[0];
    expect(JSON.parse(message.content)).toEqual({
      name: 'xxx',
      age: 20,
      tags: ['red green', 'red green'],
      role: 'admin',
      version: 2,
      address: { city: '', zip: null },
      verified: false,
    });
    expect(finish_reason).toBe('stop');
    // Laid out with spaces, so it is several tokens: usage counts them.
    expect(body.usage.completion_tokens).toBe(message.content.split(' ').length);
    expect(body.usage.completion_tokens).toBeGreaterThan(10);
  });

  it('answers json_object with a JSON object, on text completions too', async () => {
    expect(JSON.parse(await content(sim, chat({ type: 'json_object' })))).toEqual({});
    const text = await content(sim, { prompt: 'JSON:', response_format: schemaFormat(PERSON) }, '/v1/completions');
    expect(ajv.compile(PERSON)(JSON.parse(text))).toBe(true);
    // `text` is the plain answer.
    expect((await content(sim, chat({ type: 'text' }))).split(' ')).toHaveLength(16);
  });

  it('streams the document over several chunks that join to the non-streaming answer', async () => {
    const whole = await content(sim, chat(schemaFormat(PERSON)));
    const { data, error } = await readSse(
      await sim.post('/v1/chat/completions', {
        ...chat(schemaFormat(PERSON)),
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(error).toBeNull();
    const chunks = data.slice(1, -2).map((d) => JSON.parse(d).choices[0]);
    const pieces = chunks.map((c) => c.delta.content).filter((c) => c !== undefined);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(whole);
    expect(chunks.at(-1).finish_reason).toBe('stop');
    expect(JSON.parse(data.at(-2)!).usage.completion_tokens).toBe(pieces.length);
  });

  it('cuts the document at max_tokens, as a model would: finish_reason length, not parseable', async () => {
    const res = await json(sim.post('/v1/chat/completions', chat(schemaFormat(PERSON), { max_tokens: 3 })));
    expect(res.choices[0]).toMatchObject({ message: { content: '{"name": "xxx", "age":' }, finish_reason: 'length' });
    expect(res.usage.completion_tokens).toBe(3);
    expect(() => JSON.parse(res.choices[0].message.content)).toThrow();
  });

  it.each([
    ['an unknown type', { type: 'xml' }, /`response_format.type` must be one of "text", "json_object", "json_schema"/],
    ['a string', 'json', /`response_format` must be an object/],
    ['json_schema without json_schema', { type: 'json_schema' }, /`response_format.json_schema` must be an object/],
    ['a schema that is not an object', schemaFormat([]), /`response_format.json_schema.schema` must be an object/],
    ['an invalid schema', schemaFormat({ type: 'strin' }), /`response_format.json_schema.schema` is not a JSON Sch/],
    ['a pattern', schemaFormat({ type: 'string', pattern: '^a+$' }), /nim-sim cannot build a document for/],
    ['a schema requiring itself', schemaFormat({ required: ['a'], properties: { a: { $ref: '#' } } }), /deeper/],
    ['a huge minItems', schemaFormat({ type: 'array', minItems: 1e9 }), /needs more than 10000 values/],
    ['a remote $ref', schemaFormat({ $ref: 'https://example.com/s.json' }), /is not a JSON Schema ajv can compile/],
    ['a 70 kB schema', schemaFormat({ description: 'x'.repeat(70_000) }), /longer than 65536 characters/],
  ])('answers %s with 400 naming the field', async (_name, responseFormat, message) => {
    const res = await sim.post('/v1/chat/completions', chat(responseFormat));
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ type: 'BadRequestError', code: 400 });
    expect(error.message).toMatch(message);
  });

  it('answers again after a schema with an $id (compiled schemas are not kept)', async () => {
    for (const type of ['string', 'number'])
      expect(await content(sim, chat(schemaFormat({ $id: 'same', type })))).toBe(type === 'string' ? '""' : '0');
  });

  it('reads a draft 2020-12 schema (prefixItems) with the matching ajv class', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string', format: 'date-time' }, { type: 'boolean' }],
    };
    const [when, flag] = JSON.parse(await content(sim, chat(schemaFormat(schema))));
    expect(Number.isNaN(Date.parse(when))).toBe(false);
    expect(flag).toBe(false);
  });
});

describe('nim-sim JSON failure modes', () => {
  let sim: TestSimulator | undefined;
  afterEach(() => sim?.close());

  it('answers text that is not JSON at SIM_JSON_MODE=invalid, streamed too', async () => {
    sim = await startTestSimulator({ SIM_JSON_MODE: 'invalid' });
    for (const format of [schemaFormat(PERSON), { type: 'json_object' }]) {
      const text = await content(sim, chat(format));
      expect(text).toBe('Sure! Here is the JSON you asked for: {');
      expect(() => JSON.parse(text)).toThrow();
    }
    const { data } = await readSse(
      await sim.post('/v1/chat/completions', { ...chat(schemaFormat(PERSON)), stream: true }),
    );
    const pieces = data.slice(1, -2).map((d) => JSON.parse(d).choices[0].delta.content);
    expect(pieces.join('')).toBe('Sure! Here is the JSON you asked for: {');
    // An invalid schema is still a 400: the mode changes answers, not validation.
    expect((await sim.post('/v1/chat/completions', chat(schemaFormat({ type: 'strin' })))).status).toBe(400);
  });

  it.each([
    ['required properties', PERSON, {}],
    ['a string', { type: 'string' }, {}],
    ['an object without required properties', { type: 'object' }, []],
    ['an enum of objects', { enum: [{}, []] }, 'mismatch'],
  ])('answers JSON that ajv rejects at SIM_JSON_MODE=mismatch: %s', async (_name, schema, expected) => {
    sim = await startTestSimulator({ SIM_JSON_MODE: 'mismatch' });
    const text = await content(sim, chat(schemaFormat(schema)));
    expect(JSON.parse(text)).toEqual(expected);
    expect(ajv.compile(schema)(JSON.parse(text))).toBe(false);
  });

  it('mismatches json_object with an array, and an accept-all schema with text that is not JSON', async () => {
    sim = await startTestSimulator({ SIM_JSON_MODE: 'mismatch' });
    expect(JSON.parse(await content(sim, chat({ type: 'json_object' })))).toEqual([]);
    expect(await content(sim, chat(schemaFormat({})))).toBe('Sure! Here is the JSON you asked for: {');
    expect((await json(sim.get('/v1/sim/config'))).settings).toMatchObject({ json_mode: 'mismatch' });
  });

  it('lets classifier rules win over response_format for chat, after the schema is checked', async () => {
    sim = await startTestSimulator({ SIM_CLASSIFIER_RULES: 'code:python' });
    expect(await content(sim, chat(schemaFormat(PERSON), { messages: [{ role: 'user', content: 'python' }] }))).toBe(
      'code',
    );
    expect(JSON.parse(await content(sim, chat(schemaFormat({ type: 'string' }))))).toBe('');
    const bad = chat(schemaFormat({ type: 'strin' }), { messages: [{ role: 'user', content: 'python' }] });
    expect((await sim.post('/v1/chat/completions', bad)).status).toBe(400);
  });
});
