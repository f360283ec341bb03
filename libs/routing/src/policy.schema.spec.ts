import { InvalidFieldError } from '#domain';
import { validatePipeline } from './policy.schema.js';

const entry = (config_type: string, config: unknown) => ({ name: 'modelplane', config_type, config });
const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidFieldError);
    return { loc: (e as InvalidFieldError).loc.join('.'), message: (e as Error).message };
  }
  throw new Error('expected an InvalidFieldError');
};

describe('routing policy validation', () => {
  it('accepts every built-in config type in its phase', () => {
    const request = [
      entry('rules', { rules: [{ when: { has_images: true }, model: 'vlm' }] }),
      entry('intent_classifier', {
        classifier_model: 'small',
        categories: [
          { name: 'code', model: 'team/coder' },
          { name: 'chat', model: 'chat' },
        ],
        default_model: 'chat',
        trigger: 'first_user_turn',
      }),
      entry('weighted', {
        targets: [
          { model: 'a', weight: 9 },
          { model: 'b', weight: 1 },
        ],
        sticky: { user: true },
      }),
      entry('embedding_router', {
        embedding_model: 'embed',
        targets: [
          { model: 'a', threshold: 0.5, centroid: [1, 0] },
          { model: 'b', threshold: 0.2, centroid: [0, 1], cost: 3 },
        ],
        default_model: 'b',
      }),
      entry('fallback', { models: ['b'], on: ['status_5xx', 'stream_break'], first_byte_timeout_ms: 5000 }),
    ];
    expect(validatePipeline('request_middleware', request, 'team')).toHaveLength(5);
    expect(validatePipeline('response_middleware', [entry('escalation', { tiers: ['big'] })], 'team')).toHaveLength(1);
    expect(
      validatePipeline('post_response_middleware', [entry('shadow', { model: 'new', share: 0.1 })], 'team'),
    ).toHaveLength(1);
  });

  it.each([
    [
      [entry('weighted', { targets: [{ model: 'a', weight: 0 }] })],
      'body.request_middleware.0.config.targets.0.weight',
      /weight must be > 0/,
    ],
    [
      [entry('weighted', { targets: [{ model: 'a', weight: 1, extra: 1 }] })],
      'body.request_middleware.0.config.targets.0.extra',
      /extra is not a field/,
    ],
    [[entry('weighted', {})], 'body.request_middleware.0.config.targets', /targets is required/],
    [
      [entry('shadow', { model: 'a', share: 0.5 })],
      'body.request_middleware.0.config_type',
      /belongs in post_response_middleware/,
    ],
    [[entry('teleport', {})], 'body.request_middleware.0.config_type', /config_type must be one of/],
    [
      [{ name: 'nemo-switchyard', config_type: 'weighted', config: {} }],
      'body.request_middleware.0.name',
      /built-in middleware plugin/,
    ],
    [
      [{ name: 'modelplane', config_type: 'weighted', config_id: 'ws/x' }],
      'body.request_middleware.0.config_id',
      /not supported/,
    ],
    [
      [entry('weighted', { targets: [{ model: 'other/a', weight: 1 }] })],
      'body.request_middleware.0.config.targets.0.model',
      /another workspace/,
    ],
    [
      [entry('rules', { rules: [{ when: {}, model: 'a' }] })],
      'body.request_middleware.0.config.rules.0.when',
      /must NOT have fewer than 1 properties/,
    ],
    [
      [
        entry('intent_classifier', {
          classifier_model: 's',
          categories: [
            { name: 'x', model: 'a' },
            { name: 'x', model: 'b' },
          ],
          default_model: 'a',
        }),
      ],
      'body.request_middleware.0.config.categories',
      /named twice/,
    ],
    [
      [
        entry('embedding_router', {
          embedding_model: 'e',
          targets: [{ model: 'a', threshold: 0.1 }],
          default_model: 'a',
        }),
      ],
      'body.request_middleware.0.config.targets.0.centroid',
      /needs a centroid/,
    ],
    [
      [entry('fallback', { models: ['a'] }), entry('fallback', { models: ['b'] })],
      'body.request_middleware.1.config_type',
      /once per virtual model/,
    ],
  ])('refuses %j at %s', (entries, loc, message) => {
    const found = problem(() => validatePipeline('request_middleware', entries, 'team'));
    expect(found.loc).toBe(loc);
    expect(found.message).toMatch(message);
  });
});
