/**
 * Routing policies: what a virtual model's middleware entries say, in
 * NeMo's shape (`{name, config_type, config}`) with Modelplane's built-in
 * config types. Pure data; validated by policy.schema.ts at write time.
 */

/** The one built-in middleware plugin; NeMo's `name` field names the plugin. */
export const BUILTIN_PLUGIN = 'modelplane';

/** A model entity of the virtual model's workspace: `name` or `workspace/name`. */
export type ModelRef = string;

export interface WeightedConfig {
  targets: { model: ModelRef; weight: number }[];
  /** Send the same caller to the same target: by a header's value, or by the request's `user` field. */
  sticky?: { header?: string; user?: boolean };
}

export interface RuleCondition {
  /** The messages carry an image (`image_url` / `input_image` content parts). */
  has_images?: boolean;
  /** The request offers tools (or legacy functions). */
  has_tools?: boolean;
  /** The prompt's estimated token count (characters / 4) is at least / at most this. */
  min_prompt_tokens?: number;
  max_prompt_tokens?: number;
  /** A request header (case-insensitive name) equals one of these values. */
  header?: { name: string; one_of: string[] };
  /** The request's `metadata` object has this key with one of these values. */
  metadata?: { key: string; one_of: string[] };
}

export interface RulesConfig {
  /** Tried in order; the first whose conditions all hold chooses its model. */
  rules: { when: RuleCondition; model: ModelRef }[];
  /** When no rule holds; without it the next middleware (or the default model entity) decides. */
  default_model?: ModelRef;
}

export interface IntentClassifierConfig {
  /** A small chat model, itself a model entity served through Modelplane. */
  classifier_model: ModelRef;
  categories: { name: string; description?: string; model: ModelRef }[];
  /** Where the policy goes when the classifier fails, times out or answers no known category (fail open). */
  default_model: ModelRef;
  /** Classify every request, or only a conversation's first user turn (later turns reuse it, per conversation). */
  trigger?: 'every_request' | 'first_user_turn';
  timeout_ms?: number;
}

export interface EmbeddingTarget {
  model: ModelRef;
  /** The score (cosine similarity to the centroid, or the classifier's probability) this target needs. */
  threshold: number;
  /** Relative cost; when left out, the model entity's prices decide. */
  cost?: number;
  centroid?: number[];
}

export interface EmbeddingRouterConfig {
  /** An embedding model entity (`/v1/embeddings`). */
  embedding_model: ModelRef;
  targets: EmbeddingTarget[];
  /** A linear classifier over the embedding (softmax of weights · x + bias, one row per target), instead of centroids. */
  classifier?: { weights: number[][]; bias: number[] };
  default_model: ModelRef;
  timeout_ms?: number;
}

export type FallbackCause = 'connection' | 'timeout' | 'status_5xx' | 'status_429' | 'stream_break';

export interface FallbackConfig {
  /** Tried in order after the chosen target. */
  models: ModelRef[];
  /** What moves on to the next entry (default: all of them). */
  on?: FallbackCause[];
  /** A target that sends no byte within this long counts as a timeout. */
  first_byte_timeout_ms?: number;
}

export interface EscalationConfig {
  /** Stronger tiers, in order, for a JSON answer that does not parse or does not match the request's json_schema. */
  tiers: ModelRef[];
}

export interface ShadowConfig {
  model: ModelRef;
  /** The share of requests (0..1) also sent to the shadow, after the client's answer. */
  share: number;
}

export interface ConfigTypes {
  weighted: WeightedConfig;
  rules: RulesConfig;
  intent_classifier: IntentClassifierConfig;
  embedding_router: EmbeddingRouterConfig;
  fallback: FallbackConfig;
  escalation: EscalationConfig;
  shadow: ShadowConfig;
}

export type ConfigType = keyof ConfigTypes;

/** The pipeline each config type belongs to. */
export const PHASE_OF: Record<ConfigType, Phase> = {
  weighted: 'request_middleware',
  rules: 'request_middleware',
  intent_classifier: 'request_middleware',
  embedding_router: 'request_middleware',
  fallback: 'request_middleware',
  escalation: 'response_middleware',
  shadow: 'post_response_middleware',
};

export type Phase = 'request_middleware' | 'response_middleware' | 'post_response_middleware';
export const PHASES: Phase[] = ['request_middleware', 'response_middleware', 'post_response_middleware'];

/** One middleware entry as stored (NeMo's MiddlewareCall, inline config only). */
export type MiddlewareCall = {
  [T in ConfigType]: { name: typeof BUILTIN_PLUGIN; config_type: T; config: ConfigTypes[T] };
}[ConfigType];

/** A virtual model's routing, as the gateway reads it. */
export interface RoutingPolicy {
  workspace: string;
  name: string;
  default_model_entity: string | null;
  request_middleware: MiddlewareCall[];
  response_middleware: MiddlewareCall[];
  post_response_middleware: MiddlewareCall[];
}
