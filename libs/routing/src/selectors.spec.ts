import { estimatePromptTokens, hasImages, hasTools } from './request-features.js';
import { cosine, parseCategory, selectByEmbedding, selectByRules, selectWeighted } from './selectors.js';

const noHeaders = () => undefined;
const chat = (content: unknown, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('request features', () => {
  it('sees images, tools and the prompt length', () => {
    expect(
      hasImages(
        chat([
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: 'data:' } },
        ]),
      ),
    ).toBe(true);
    expect(hasImages(chat('plain'))).toBe(false);
    expect(hasTools(chat('x', { tools: [{ type: 'function' }] }))).toBe(true);
    expect(hasTools(chat('x', { tools: [] }))).toBe(false);
    expect(estimatePromptTokens(chat('a'.repeat(400)))).toBe(100);
  });
});

describe('weighted', () => {
  const config = {
    targets: [
      { model: 'a', weight: 3 },
      { model: 'b', weight: 1 },
    ],
    sticky: { header: 'X-Session', user: true },
  };
  it('splits by weight', () => {
    expect(selectWeighted({ targets: config.targets }, {}, noHeaders, () => 0.74).model).toBe('a');
    expect(selectWeighted({ targets: config.targets }, {}, noHeaders, () => 0.76).model).toBe('b');
  });
  it('sends the same caller to the same target, by header or user', () => {
    const byHeader = (v: string) =>
      selectWeighted(
        config,
        {},
        (n) => (n === 'x-session' ? v : undefined),
        () => 0,
      );
    const picks = new Set(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map((s) => byHeader(s).model));
    expect(picks).toEqual(new Set(['a', 'b'])); // stable per key, yet both targets get keys
    expect(byHeader('s1').model).toBe(byHeader('s1').model);
    expect(byHeader('s1').reason.detail).toBe('sticky');
    const byUser = selectWeighted(config, { user: 'alice' }, noHeaders, () => 0.99);
    expect(byUser.model).toBe(selectWeighted(config, { user: 'alice' }, noHeaders, () => 0).model);
  });
});

describe('rules', () => {
  const config = {
    rules: [
      { when: { has_images: true }, model: 'vlm' },
      { when: { has_tools: true, max_prompt_tokens: 100 }, model: 'tools-small' },
      { when: { header: { name: 'X-Tier', one_of: ['gold'] } }, model: 'big' },
      { when: { metadata: { key: 'team', one_of: ['search'] } }, model: 'search' },
    ],
  };
  it('takes the first rule whose conditions all hold, and says which', () => {
    const image = selectByRules(config, chat([{ type: 'image_url', image_url: { url: 'x' } }]), noHeaders);
    expect(image).toEqual({ model: 'vlm', reason: { middleware: 'rules', rule: 0, detail: 'images' } });
    expect(selectByRules(config, chat('hi', { tools: [{}] }), noHeaders)?.model).toBe('tools-small');
    expect(selectByRules(config, chat('x'.repeat(1000), { tools: [{}] }), noHeaders)).toBeNull();
    expect(selectByRules(config, chat('hi'), (n) => (n === 'x-tier' ? 'gold' : undefined))?.model).toBe('big');
    expect(selectByRules(config, chat('hi', { metadata: { team: 'search' } }), noHeaders)?.model).toBe('search');
    expect(selectByRules({ ...config, default_model: 'chat' }, chat('hi'), noHeaders)?.reason.detail).toBe(
      'no rule held',
    );
  });
});

describe('classifier answers', () => {
  it.each([
    ['code', 'code'],
    ['  Code\n', 'code'],
    ['"math"', 'math'],
    ['The category is: code.', null],
    ['code, math', null],
    ['poetry', null],
    ['', null],
  ])('%j parses to %j', (answer, expected) => expect(parseCategory(answer, ['code', 'math'])).toBe(expected));
});

describe('embedding router', () => {
  const config = {
    embedding_model: 'e',
    default_model: 'big',
    targets: [
      { model: 'big', threshold: 0.5, centroid: [1, 0, 0], cost: 10 },
      { model: 'small', threshold: 0.5, centroid: [0.8, 0.6, 0], cost: 1 },
      { model: 'vision', threshold: 0.9, centroid: [0, 0, 1], cost: 5 },
    ],
  };
  it('picks the cheapest target whose score clears its threshold', () => {
    const pick = selectByEmbedding(config, [0.9, 0.3, 0], () => undefined);
    expect(pick.model).toBe('small');
    expect(pick.reason.scores?.big).toBeCloseTo(cosine([1, 0, 0], [0.9, 0.3, 0]), 3);
  });
  it('falls back to the highest score when none clears', () => {
    expect(selectByEmbedding(config, [0.1, 0.05, 0.2], () => undefined)).toMatchObject({
      model: 'vision',
      reason: { detail: 'no threshold cleared: highest score' },
    });
  });
  it('scores with a linear classifier when one is given, and reads entity prices for the cost', () => {
    const classifier = {
      ...config,
      targets: config.targets.map(({ model }) => ({ model, threshold: 0.3 })),
      classifier: {
        weights: [
          [5, 0, 0],
          [5, 0, 0],
          [0, 0, 5],
        ],
        bias: [0, 0, 0],
      },
    };
    const prices: Record<string, number> = { big: 9, small: 2 };
    expect(selectByEmbedding(classifier, [1, 0, 0], (m) => prices[m]).model).toBe('small');
  });
});
