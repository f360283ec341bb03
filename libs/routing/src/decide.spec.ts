import { ConversationCache, decide, type RoutingIo } from './decide.js';
import type { MiddlewareCall, RoutingPolicy } from './policy.types.js';

const policy = (request: unknown[], extra: Partial<RoutingPolicy> = {}): RoutingPolicy => ({
  workspace: 'team',
  name: 'router',
  default_model_entity: null,
  request_middleware: request as MiddlewareCall[],
  response_middleware: [],
  post_response_middleware: [],
  ...extra,
});
const entry = (config_type: string, config: unknown) => ({ name: 'modelplane', config_type, config });
const classifier = entry('intent_classifier', {
  classifier_model: 'small',
  categories: [
    { name: 'code', model: 'coder' },
    { name: 'chat', model: 'chatter' },
  ],
  default_model: 'chatter',
  trigger: 'first_user_turn',
});

function io(answer: () => Promise<string>): RoutingIo & { calls: number } {
  const state = {
    calls: 0,
    chat: async () => {
      state.calls++;
      return answer();
    },
    embed: async () => [1, 0],
    costOf: () => undefined,
    header: () => undefined,
  };
  return state;
}

describe('decide', () => {
  it('uses the default model entity when no middleware chooses, and nothing without one', async () => {
    const rules = entry('rules', { rules: [{ when: { has_tools: true }, model: 'tools' }] });
    const withDefault = await decide(
      policy([rules], { default_model_entity: 'team/chat' }),
      {},
      io(async () => ''),
      new ConversationCache(),
    );
    expect(withDefault).toMatchObject({ model: 'team/chat', reason: { middleware: 'default' } });
    expect(
      await decide(
        policy([rules]),
        {},
        io(async () => ''),
        new ConversationCache(),
      ),
    ).toBeNull();
  });

  it('classifies a conversation once on its first turn and remembers it', async () => {
    const cache = new ConversationCache();
    const routing = io(async () => 'code');
    const first = { messages: [{ role: 'user', content: 'fix my python bug' }] };
    expect(await decide(policy([classifier]), first, routing, cache)).toMatchObject({
      model: 'team/coder',
      reason: { middleware: 'intent_classifier', category: 'code', detail: 'classified' },
    });
    const later = {
      messages: [...first.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'thanks!' }],
    };
    expect(await decide(policy([classifier]), later, routing, cache)).toMatchObject({
      model: 'team/coder',
      reason: { detail: 'remembered for this conversation' },
    });
    expect(routing.calls).toBe(1);
  });

  it('fails open to the default on an error, a timeout or an unknown category', async () => {
    for (const answer of [async () => Promise.reject(new Error('timed out')), async () => 'The category is code.']) {
      const decision = await decide(
        policy([classifier]),
        { messages: [{ role: 'user', content: 'x' }] },
        io(answer),
        new ConversationCache(),
      );
      expect(decision).toMatchObject({ model: 'team/chatter', reason: { middleware: 'intent_classifier' } });
      expect(decision?.reason.detail).toMatch(/^failed open: /);
    }
  });

  it('carries the fallback chain, escalation tiers and shadow, without the chosen model in them', async () => {
    const decision = await decide(
      policy(
        [
          entry('weighted', { targets: [{ model: 'a', weight: 1 }] }),
          entry('fallback', { models: ['a', 'b'], on: ['status_5xx'] }),
        ],
        {
          response_middleware: [entry('escalation', { tiers: ['big'] })] as MiddlewareCall[],
          post_response_middleware: [entry('shadow', { model: 'new', share: 0.5 })] as MiddlewareCall[],
        },
      ),
      {},
      io(async () => ''),
      new ConversationCache(),
    );
    expect(decision).toMatchObject({
      model: 'team/a',
      fallbacks: ['team/b'],
      escalation: ['team/big'],
      shadow: { model: 'team/new', share: 0.5 },
    });
    expect([...(decision?.fallbackOn ?? [])]).toEqual(['status_5xx']);
  });

  it('fails open when the embedding does not fit the policy', async () => {
    const router = entry('embedding_router', {
      embedding_model: 'e',
      targets: [{ model: 'a', threshold: 0.1, centroid: [1, 0, 0] }],
      default_model: 'b',
    });
    const decision = await decide(
      policy([router]),
      {},
      io(async () => ''),
      new ConversationCache(),
    );
    expect(decision).toMatchObject({ model: 'team/b' });
    expect(decision?.reason.detail).toMatch(/2 dimensions, the policy 3/);
  });
});
