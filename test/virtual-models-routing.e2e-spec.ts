import { jest } from '@jest/globals';
import { withAuth } from './api-harness.js';
import { startRoutingBed, step, user, type RoutingBed } from './routing-harness.js';

jest.setTimeout(60_000);

/**
 * Virtual models route real requests: weighted splits (sticky too), rules,
 * fallback on 5xx, an unreachable target and a stream cut before its first
 * token, escalation of a JSON answer that fails its schema, and the headers
 * that explain every decision. Simulators are the targets.
 */
describe('virtual models: routing', () => {
  let bed: RoutingBed;

  beforeAll(async () => {
    bed = await startRoutingBed();
    await bed.entity('small');
    await bed.entity('big');
    await bed.entity('vlm');
    await bed.entity('broken', { SIM_ERROR_RATE: '1' });
    await bed.entity('cut', { SIM_STREAM_CUT_AFTER: '1' });
    await bed.entity('badjson', { SIM_JSON_MODE: 'invalid' });
    await bed.unreachable('gone');
    await bed.entity('slow', { SIM_TOKEN_DELAY_MS: '300' });
    await bed.entity('wrongjson', { SIM_JSON_MODE: 'mismatch' });
    await bed.answering('limited', 429);
  });
  afterAll(async () => {
    await bed.close();
  });

  it('splits by weight, is routable on the OpenAI route and listed, and says why in headers', async () => {
    await bed.virtualModel('split', {
      request_middleware: [
        step('weighted', {
          targets: [
            { model: 'small', weight: 1 },
            { model: 'big', weight: 1 },
          ],
        }),
      ],
    });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await bed.chat('split', user('hello'));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-modelplane-virtual-model')).toBe(`${bed.ws}/split`);
      expect(res.headers.get('x-modelplane-route-reason')).toBe('weighted');
      const target = res.headers.get('x-modelplane-route-target') as string;
      expect(((await res.json()) as { model: string }).model).toBe(target);
      seen.add(target);
    }
    expect(seen).toEqual(new Set([`${bed.ws}/small`, `${bed.ws}/big`]));
  });

  it('keeps a caller on one target with a sticky header', async () => {
    await bed.virtualModel('sticky', {
      request_middleware: [
        step('weighted', {
          targets: [
            { model: 'small', weight: 1 },
            { model: 'big', weight: 1 },
          ],
          sticky: { header: 'X-Session' },
        }),
      ],
    });
    for (const session of ['a', 'b', 'c']) {
      const targets = new Set<string | null>();
      for (let i = 0; i < 5; i++) {
        const res = await bed.chat('sticky', user('hi'), { 'x-session': session });
        targets.add(res.headers.get('x-modelplane-route-target'));
        expect(res.headers.get('x-modelplane-route-reason')).toBe('weighted:sticky');
      }
      expect(targets.size).toBe(1);
    }
  });

  it('routes by rules: images to the vision model, tools elsewhere, else the default', async () => {
    await bed.virtualModel('by-rules', {
      default_model_entity: 'small',
      request_middleware: [
        step('rules', {
          rules: [
            { when: { has_images: true }, model: 'vlm' },
            { when: { has_tools: true }, model: 'big' },
          ],
        }),
      ],
    });
    const image = await bed.chat(
      'by-rules',
      user([
        { type: 'text', text: 'what is it' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ]),
    );
    expect([
      image.status,
      image.headers.get('x-modelplane-route-target'),
      image.headers.get('x-modelplane-route-reason'),
    ]).toEqual([200, `${bed.ws}/vlm`, 'rules:0']);
    const tools = await bed.chat('by-rules', {
      ...user('weather?'),
      tools: [{ type: 'function', function: { name: 'weather', parameters: {} } }],
    });
    expect(tools.headers.get('x-modelplane-route-target')).toBe(`${bed.ws}/big`);
    const plain = await bed.chat('by-rules', user('hi'));
    expect([plain.headers.get('x-modelplane-route-target'), plain.headers.get('x-modelplane-route-reason')]).toEqual([
      `${bed.ws}/small`,
      'default',
    ]);
  });

  it('falls back on a 5xx, on an unreachable target and on a stream cut before its first token', async () => {
    await bed.virtualModel('resilient', {
      default_model_entity: 'broken',
      request_middleware: [step('fallback', { models: ['gone', 'cut', 'small'] })],
    });
    const before = await bed.answered('small');
    const res = await bed.chat('resilient', { ...user('hi'), stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelplane-route-target')).toBe(`${bed.ws}/small`);
    expect(res.headers.get('x-modelplane-route-fallbacks')).toBe('3');
    const text = await res.text();
    expect(text).toContain('data: [DONE]');
    expect(text).not.toContain('event: error');
    expect(await bed.answered('small')).toBe(before + 1);
    // Each target was tried, and what came of it is counted per target.
    expect(await bed.attempts('resilient')).toEqual({
      'primary broken': { '5xx': 1 },
      'fallback gone': { connection: 1 },
      'fallback cut': { stream_break: 1 },
      'fallback small': { '2xx': 1 },
    });
  });

  it('falls back when the target sends nothing within the first-byte timeout, and serves on the model route too', async () => {
    await bed.virtualModel('impatient', {
      default_model_entity: 'slow',
      request_middleware: [step('fallback', { models: ['small'], on: ['timeout'], first_byte_timeout_ms: 100 })],
    });
    const started = Date.now();
    const res = await bed.chat('impatient', { ...user('hi'), max_tokens: 16 });
    expect([res.status, res.headers.get('x-modelplane-route-target')]).toEqual([200, `${bed.ws}/small`]);
    expect(Date.now() - started).toBeLessThan(2000);
    const byModelRoute = await fetch(
      `${bed.api.url}/v2/workspaces/${bed.ws}/inference/gateway/model/split/-/v1/chat/completions`,
      { method: 'POST', headers: withAuth({ 'content-type': 'application/json' }), body: JSON.stringify(user('hi')) },
    );
    expect([byModelRoute.status, byModelRoute.headers.get('x-modelplane-virtual-model')]).toEqual([
      200,
      `${bed.ws}/split`,
    ]);
  });

  it('falls back on a 429 when the policy says so, and passes it on when it does not', async () => {
    await bed.virtualModel('limited-fallback', {
      default_model_entity: 'limited',
      request_middleware: [step('fallback', { models: ['small'], on: ['status_429'] })],
    });
    const res = await bed.chat('limited-fallback', user('hi'));
    expect([res.status, res.headers.get('x-modelplane-route-target')]).toEqual([200, `${bed.ws}/small`]);
    await bed.virtualModel('limited-only', {
      default_model_entity: 'limited',
      request_middleware: [step('fallback', { models: ['small'], on: ['status_5xx'] })],
    });
    const refused = await bed.chat('limited-only', user('hi'));
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '30']);
  });

  it('does not fall back on a cause the policy leaves out, and ends a stream broken after its first token with an error event', async () => {
    await bed.virtualModel('strict', {
      default_model_entity: 'broken',
      request_middleware: [step('fallback', { models: ['small'], on: ['status_429'] })],
    });
    const res = await bed.chat('strict', user('hi'));
    expect(res.status).toBe(500);
    await bed.virtualModel('late-cut', { default_model_entity: 'cut' });
    // No fallback configured: the stream goes out as it comes and its break is an explicit error.
    const cut = await bed.chat('late-cut', { ...user('hi'), stream: true });
    expect(cut.status).toBe(200);
    expect(await cut.text()).toContain('event: error');
  });

  it('escalates a JSON answer that does not parse to the next tier, and says which tier answered', async () => {
    await bed.virtualModel('json', {
      default_model_entity: 'badjson',
      response_middleware: [step('escalation', { tiers: ['big'] })],
    });
    const schema = {
      type: 'object',
      required: ['city', 'days'],
      properties: { city: { type: 'string' }, days: { type: 'integer' } },
    };
    const res = await bed.chat('json', {
      ...user('plan a trip'),
      max_tokens: 64,
      response_format: { type: 'json_schema', json_schema: { name: 'trip', schema } },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelplane-route-target')).toBe(`${bed.ws}/big`);
    expect(res.headers.get('x-modelplane-route-tier')).toBe('1');
    expect(res.headers.get('x-modelplane-escalation')).toMatch(/tier 0 \(.+\/badjson\): the answer is not JSON/);
    const answer = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(JSON.parse(answer.choices[0].message.content)).toEqual(
      expect.objectContaining({ city: expect.any(String) }),
    );
    // JSON of the wrong shape escalates too; the last tier's answer is kept whatever it is, and says so.
    await bed.virtualModel('shape', {
      default_model_entity: 'wrongjson',
      response_middleware: [step('escalation', { tiers: ['badjson'] })],
    });
    const shaped = await bed.chat('shape', {
      ...user('plan a trip'),
      max_tokens: 64,
      response_format: { type: 'json_schema', json_schema: { name: 'trip', schema } },
    });
    expect([shaped.status, shaped.headers.get('x-modelplane-route-tier')]).toEqual([200, '1']);
    expect(shaped.headers.get('x-modelplane-escalation')).toMatch(
      /^tier 0 \(.+\/wrongjson\): the answer does not match the schema \(.+\); kept: the answer is not JSON$/,
    );
    // A request that asks for no JSON is not checked.
    const plain = await bed.chat('json', user('hi'));
    expect([plain.status, plain.headers.get('x-modelplane-route-target')]).toEqual([200, `${bed.ws}/badjson`]);
  });

  it('answers the decision without calling the target (recommendation mode), in JSON and OpenAI form', async () => {
    await bed.virtualModel('advise', {
      request_middleware: [
        step('rules', { rules: [{ when: { has_tools: true }, model: 'big' }], default_model: 'small' }),
      ],
    });
    const before = await bed.answered('small');
    const url = `${bed.api.url}/v2/workspaces/${bed.ws}/virtual-models/advise/decision`;
    const res = await bed.api.request('POST', url.slice(bed.api.url.length), user('hi'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      virtual_model: `${bed.ws}/advise`,
      model: `${bed.ws}/small`,
      provider: `${bed.ws}/small-provider`,
      fallbacks: [],
      reason: { middleware: 'rules', detail: 'no rule held' },
    });
    expect(res.body.latency_ms).toEqual(expect.any(Number));
    const openai = await bed.api.request(
      'POST',
      `/v2/workspaces/${bed.ws}/virtual-models/advise/decision/-/v1/chat/completions`,
      {
        ...user('x'),
        tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
      },
    );
    expect(openai.body.choices[0].message).toEqual({ role: 'assistant', content: `${bed.ws}/big` });
    expect(await bed.answered('small')).toBe(before);
    // Through NeMo's path family too.
    const nemo = await bed.api.request(
      'POST',
      `/apis/inference-gateway/v2/workspaces/${bed.ws}/virtual-models/advise/decision`,
      user('hi'),
    );
    expect(nemo.body.model).toBe(`${bed.ws}/small`);
  });
});
