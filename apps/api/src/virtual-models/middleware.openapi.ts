import { CONFIG_SCHEMAS, PHASE_OF, type ConfigType } from '#routing';

/** What each built-in config type does, for the document (the JSON Schemas say what it accepts). */
const CONFIG_TYPE_DOCS: Record<ConfigType, string> = {
  weighted:
    'Splits requests across model entities by weight (canary, A/B); `sticky` sends one caller to one target, ' +
    "by a header's value or the request's `user` field.",
  rules:
    'Deterministic conditions on the request, tried in order: images in the messages, tools offered, the estimated ' +
    'prompt length in tokens (characters / 4), a header or a `metadata` value; the first rule that holds chooses.',
  intent_classifier:
    'A small chat model (a model entity) names one of the categories for the last user message; each category maps ' +
    'to a model. On an error, a timeout or an unknown category it fails open to `default_model`. `trigger`: every ' +
    "request, or a conversation's first user turn (cached per conversation).",
  embedding_router:
    'The request text is embedded by `embedding_model` and scored against per-target centroids (cosine) or a linear ' +
    'classifier; the cheapest target whose score clears its threshold wins, else the highest score.',
  fallback:
    'On a connection failure, a 5xx, a 429, a timeout before the first byte or a stream that breaks before any token ' +
    'reached the client, the next model is tried (`on` narrows the causes).',
  escalation:
    'For non-streaming requests asking for JSON (`response_format` with a `json_schema`): an answer that does not ' +
    'parse or validate is retried on the next tier.',
  shadow:
    "A share of requests is also sent, after the client's answer, to the shadow model; it never affects the client.",
};

/** OpenAPI 3.0 says `exclusiveMinimum: true` beside `minimum`, where JSON Schema (ajv) says `exclusiveMinimum: n`. */
function toOpenApi30(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi30);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'exclusiveMinimum' && typeof value === 'number') {
      out.minimum = value;
      out.exclusiveMinimum = true;
    } else {
      out[key] = toOpenApi30(value);
    }
  }
  return out;
}

/** The `config` of a middleware entry: one schema per built-in config type, each titled with its name. */
export const CONFIG_ONE_OF = (Object.keys(CONFIG_SCHEMAS) as ConfigType[]).map((type) => ({
  title: type,
  description: `config_type \`${type}\` (in ${PHASE_OF[type]}): ${CONFIG_TYPE_DOCS[type]}`,
  ...(toOpenApi30(CONFIG_SCHEMAS[type]) as Record<string, unknown>),
}));

/** The config types of a phase, as a sentence for its field's description. */
export function configTypesOf(phase: string): string {
  const types = (Object.keys(PHASE_OF) as ConfigType[]).filter((t) => PHASE_OF[t] === phase);
  return types.map((t) => `\`${t}\``).join(', ');
}

export const MIDDLEWARE_DOC =
  'Each entry is NeMo\'s MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in ' +
  'plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are ' +
  "model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names " +
  'the field and the rule.';
