import { splitRef } from '#domain';
import type { FallbackCause, IntentClassifierConfig, RoutingPolicy, ShadowConfig } from './policy.types.js';
import { conversationKey, firstUserTurn, lastUserText, type Body } from './request-features.js';
import {
  parseCategory,
  selectByEmbedding,
  selectByRules,
  selectWeighted,
  type HeaderLookup,
  type Reason,
  type Selection,
} from './selectors.js';

/** What the gateway needs from the outside to decide: calls to other model entities, prices, headers. */
export interface RoutingIo {
  /** A chat completion on a model entity (`workspace/name`); answers the assistant's text. */
  chat(model: string, messages: { role: string; content: string }[], timeoutMs: number): Promise<string>;
  /** An embedding of `text` by a model entity. */
  embed(model: string, text: string, timeoutMs: number): Promise<number[]>;
  /** A model entity's price per million input + output tokens, when it has one. */
  costOf(model: string): number | undefined;
  header: HeaderLookup;
  random?: () => number;
}

/** Where a request goes, and why: the chosen model entity, what to try after it, what to do with the answer. */
export interface Decision {
  virtualModel: string;
  /** `workspace/name` of the chosen model entity. */
  model: string;
  fallbacks: string[];
  fallbackOn: ReadonlySet<FallbackCause>;
  firstByteTimeoutMs: number | null;
  /** Stronger tiers for a JSON answer that does not match the request's schema. */
  escalation: string[];
  shadow: ShadowConfig | null;
  reason: Reason;
}

const ALL_CAUSES: FallbackCause[] = ['connection', 'timeout', 'status_5xx', 'status_429', 'stream_break'];
const DEFAULT_TIMEOUT_MS = 2000;
const CLASSIFIED_TEXT_LIMIT = 4000;

/** Categories remembered per conversation (first_user_turn), least recently used out first. */
export class ConversationCache {
  private readonly entries = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * Runs the request middleware of a virtual model in order; the first that
 * chooses decides (a rules entry without a matching rule or default passes
 * on). Without a choice, the default model entity. Classifiers and embedding
 * routers fail open: an error, a timeout or an unknown answer goes to their
 * default model, and the reason says so.
 */
export async function decide(
  policy: RoutingPolicy,
  body: Body,
  io: RoutingIo,
  cache: ConversationCache,
): Promise<Decision | null> {
  const ws = policy.workspace;
  const full = (ref: string) => {
    const { workspace, name } = splitRef(ref, ws);
    return `${workspace}/${name}`;
  };
  let selection: Selection | null = null;
  let fallbacks: string[] = [];
  let fallbackOn: ReadonlySet<FallbackCause> = new Set(ALL_CAUSES);
  let firstByteTimeoutMs: number | null = null;
  for (const entry of policy.request_middleware) {
    if (entry.config_type === 'fallback') {
      fallbacks = entry.config.models.map(full);
      fallbackOn = new Set(entry.config.on ?? ALL_CAUSES);
      firstByteTimeoutMs = entry.config.first_byte_timeout_ms ?? null;
      continue;
    }
    if (selection) continue;
    switch (entry.config_type) {
      case 'weighted':
        selection = selectWeighted(entry.config, body, io.header, io.random);
        break;
      case 'rules':
        selection = selectByRules(entry.config, body, io.header);
        break;
      case 'intent_classifier':
        selection = await classify(entry.config, body, io, cache, `${ws}/${policy.name}`, full);
        break;
      case 'embedding_router': {
        const config = entry.config;
        const text = lastUserText(body).slice(0, CLASSIFIED_TEXT_LIMIT);
        try {
          const vector = await io.embed(full(config.embedding_model), text, config.timeout_ms ?? DEFAULT_TIMEOUT_MS);
          const width = config.classifier ? config.classifier.weights[0].length : config.targets[0].centroid?.length;
          if (vector.length !== width)
            throw new Error(`the embedding has ${vector.length} dimensions, the policy ${width}`);
          selection = selectByEmbedding(config, vector, (m) => io.costOf(full(m)));
        } catch (error) {
          selection = {
            model: config.default_model,
            reason: { middleware: 'embedding_router', detail: `failed open: ${(error as Error).message}` },
          };
        }
        break;
      }
    }
  }
  if (!selection) {
    if (!policy.default_model_entity) return null;
    selection = {
      model: policy.default_model_entity,
      reason: { middleware: 'default', detail: 'default_model_entity' },
    };
  }
  const model = full(selection.model);
  const escalation = policy.response_middleware.flatMap((e) =>
    e.config_type === 'escalation' ? e.config.tiers.map(full) : [],
  );
  const shadowEntry = policy.post_response_middleware.find((e) => e.config_type === 'shadow');
  return {
    virtualModel: `${ws}/${policy.name}`,
    model,
    fallbacks: fallbacks.filter((f) => f !== model),
    fallbackOn,
    firstByteTimeoutMs,
    escalation: escalation.filter((t) => t !== model),
    shadow:
      shadowEntry?.config_type === 'shadow' ? { ...shadowEntry.config, model: full(shadowEntry.config.model) } : null,
    reason: selection.reason,
  };
}

async function classify(
  config: IntentClassifierConfig,
  body: Body,
  io: RoutingIo,
  cache: ConversationCache,
  scope: string,
  full: (ref: string) => string,
): Promise<Selection> {
  const names = config.categories.map((c) => c.name);
  const chosen = (category: string, detail: string): Selection => ({
    model: config.categories.find((c) => c.name === category)?.model as string,
    reason: { middleware: 'intent_classifier', category, detail },
  });
  const perConversation = config.trigger === 'first_user_turn';
  const key = perConversation ? conversationKey(scope, body) : '';
  if (perConversation) {
    const remembered = cache.get(key);
    if (remembered && names.includes(remembered)) return chosen(remembered, 'remembered for this conversation');
  }
  const text = (perConversation ? firstUserTurn(body).text : lastUserText(body)).slice(0, CLASSIFIED_TEXT_LIMIT);
  const listing = config.categories.map((c) => `- ${c.name}${c.description ? `: ${c.description}` : ''}`).join('\n');
  const messages = [
    {
      role: 'system',
      content:
        'You route requests. Name the one category the user message below belongs to, from this list:\n' +
        `${listing}\nAnswer with the category name only, nothing else.`,
    },
    { role: 'user', content: text },
  ];
  let answer: string;
  try {
    answer = await io.chat(full(config.classifier_model), messages, config.timeout_ms ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    return failOpen(config, `the classifier failed (${(error as Error).message})`);
  }
  const category = parseCategory(answer, names);
  if (!category)
    return failOpen(config, `the classifier answered no known category (${JSON.stringify(answer.slice(0, 60))})`);
  if (perConversation) cache.set(key, category);
  return chosen(category, 'classified');
}

function failOpen(config: IntentClassifierConfig, why: string): Selection {
  return { model: config.default_model, reason: { middleware: 'intent_classifier', detail: `failed open: ${why}` } };
}
