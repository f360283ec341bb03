import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import { InvalidFieldError, OPTIONAL_WORKSPACE_REF_PATTERN, splitRef } from '#domain';
import {
  BUILTIN_PLUGIN,
  PHASE_OF,
  PHASES,
  type ConfigType,
  type ConfigTypes,
  type MiddlewareCall,
  type ModelRef,
  type Phase,
} from './policy.types.js';

/**
 * JSON Schemas of the built-in config types: checked when a virtual model is
 * written (a 422 that names the field and the rule), documented in the
 * OpenAPI description, and trusted by the gateway afterwards. Sizes are
 * bounded so no policy makes a request slow to route.
 */
const ref = { type: 'string', pattern: OPTIONAL_WORKSPACE_REF_PATTERN.source, maxLength: 255 } as const;
const refs = (max: number) => ({ type: 'array', items: ref, minItems: 1, maxItems: max }) as const;
const values = { type: 'array', items: { type: 'string', maxLength: 256 }, minItems: 1, maxItems: 32 } as const;
const timeout = { type: 'integer', minimum: 50, maximum: 60_000, nullable: true } as const;
const vector = { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 8192 } as const;

export const CONFIG_SCHEMAS: { [T in ConfigType]: JSONSchemaType<ConfigTypes[T]> } = {
  weighted: {
    type: 'object',
    additionalProperties: false,
    required: ['targets'],
    properties: {
      targets: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['model', 'weight'],
          properties: { model: ref, weight: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 } },
        },
      },
      sticky: {
        type: 'object',
        nullable: true,
        additionalProperties: false,
        properties: {
          header: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$', nullable: true },
          user: { type: 'boolean', nullable: true },
        },
      },
    },
  },
  rules: {
    type: 'object',
    additionalProperties: false,
    required: ['rules'],
    properties: {
      rules: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['when', 'model'],
          properties: {
            model: ref,
            when: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                has_images: { type: 'boolean', nullable: true },
                has_tools: { type: 'boolean', nullable: true },
                min_prompt_tokens: { type: 'integer', minimum: 0, nullable: true },
                max_prompt_tokens: { type: 'integer', minimum: 0, nullable: true },
                header: {
                  type: 'object',
                  nullable: true,
                  additionalProperties: false,
                  required: ['name', 'one_of'],
                  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' }, one_of: values },
                },
                metadata: {
                  type: 'object',
                  nullable: true,
                  additionalProperties: false,
                  required: ['key', 'one_of'],
                  properties: { key: { type: 'string', minLength: 1, maxLength: 64 }, one_of: values },
                },
              },
            },
          },
        },
      },
      default_model: { ...ref, nullable: true },
    },
  },
  intent_classifier: {
    type: 'object',
    additionalProperties: false,
    required: ['classifier_model', 'categories', 'default_model'],
    properties: {
      classifier_model: ref,
      categories: {
        type: 'array',
        minItems: 2,
        maxItems: 32,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'model'],
          properties: {
            name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$' },
            description: { type: 'string', maxLength: 500, nullable: true },
            model: ref,
          },
        },
      },
      default_model: ref,
      trigger: { type: 'string', enum: ['every_request', 'first_user_turn'], nullable: true },
      timeout_ms: timeout,
    },
  },
  embedding_router: {
    type: 'object',
    additionalProperties: false,
    required: ['embedding_model', 'targets', 'default_model'],
    properties: {
      embedding_model: ref,
      targets: {
        type: 'array',
        minItems: 1,
        maxItems: 32,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['model', 'threshold'],
          properties: {
            model: ref,
            threshold: { type: 'number', minimum: -1, maximum: 1 },
            cost: { type: 'number', minimum: 0, nullable: true },
            centroid: { ...vector, nullable: true },
          },
        },
      },
      classifier: {
        type: 'object',
        nullable: true,
        additionalProperties: false,
        required: ['weights', 'bias'],
        properties: {
          weights: { type: 'array', items: vector, minItems: 1, maxItems: 32 },
          bias: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 32 },
        },
      },
      default_model: ref,
      timeout_ms: timeout,
    },
  },
  fallback: {
    type: 'object',
    additionalProperties: false,
    required: ['models'],
    properties: {
      models: refs(10),
      on: {
        type: 'array',
        nullable: true,
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', enum: ['connection', 'timeout', 'status_5xx', 'status_429', 'stream_break'] },
      },
      first_byte_timeout_ms: timeout,
    },
  },
  escalation: {
    type: 'object',
    additionalProperties: false,
    required: ['tiers'],
    properties: { tiers: refs(5) },
  },
  shadow: {
    type: 'object',
    additionalProperties: false,
    required: ['model', 'share'],
    properties: { model: ref, share: { type: 'number', minimum: 0, maximum: 1 } },
  },
};

const ajv = new Ajv({ allErrors: false, strict: true });
const validators = Object.fromEntries(
  Object.entries(CONFIG_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
) as { [T in ConfigType]: ReturnType<typeof ajv.compile<ConfigTypes[T]>> };

export const CONFIG_TYPES = Object.keys(CONFIG_SCHEMAS) as ConfigType[];

/**
 * Checks one pipeline of a virtual model: every entry is the built-in plugin
 * with an inline config of a type that belongs to this phase and matches its
 * schema, cross-field rules hold, and every model it names is of the virtual
 * model's own workspace. Throws InvalidFieldError naming the field.
 */
export function validatePipeline(phase: Phase, entries: unknown, workspace: string): MiddlewareCall[] {
  const at = (...path: (string | number)[]) => ['body', phase, ...path];
  if (!Array.isArray(entries)) throw new InvalidFieldError(at(), `${phase} must be an array`);
  if (entries.length > 16) throw new InvalidFieldError(at(), `${phase} has at most 16 entries`);
  const seen = new Set<string>();
  return entries.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InvalidFieldError(at(i), 'a middleware entry is an object {name, config_type, config}');
    }
    const { name, config_type: type, config, config_id: configId, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown) throw new InvalidFieldError(at(i, unknown), `${unknown} is not a middleware entry field`);
    if (name !== BUILTIN_PLUGIN) {
      throw new InvalidFieldError(at(i, 'name'), `name must be '${BUILTIN_PLUGIN}' (the built-in middleware plugin)`);
    }
    if (typeof type !== 'string' || !(CONFIG_TYPES as string[]).includes(type)) {
      throw new InvalidFieldError(at(i, 'config_type'), `config_type must be one of ${CONFIG_TYPES.join(', ')}`);
    }
    const configType = type as ConfigType;
    if (PHASE_OF[configType] !== phase) {
      throw new InvalidFieldError(
        at(i, 'config_type'),
        `${configType} belongs in ${PHASE_OF[configType]}, not ${phase}`,
      );
    }
    if (configId !== undefined && configId !== null) {
      throw new InvalidFieldError(
        at(i, 'config_id'),
        'stored configs (config_id) are not supported: give config inline',
      );
    }
    const validate = validators[configType];
    if (!validate(config)) throw schemaError(at(i, 'config'), (validate.errors ?? [])[0]);
    if (seen.has(configType) && configType !== 'rules') {
      throw new InvalidFieldError(at(i, 'config_type'), `${configType} may appear once per virtual model`);
    }
    seen.add(configType);
    checkConfig(configType, config as ConfigTypes[ConfigType], workspace, at(i, 'config'));
    return { name: BUILTIN_PLUGIN, config_type: configType, config } as MiddlewareCall;
  });
}

/** The rules a JSON Schema cannot say. */
function checkConfig(
  type: ConfigType,
  config: ConfigTypes[ConfigType],
  workspace: string,
  at: (string | number)[],
): void {
  for (const [path, model] of modelsNamed(type, config)) sameWorkspace(model, workspace, [...at, ...path]);
  if (type === 'intent_classifier') {
    const names = (config as ConfigTypes['intent_classifier']).categories.map((c) => c.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new InvalidFieldError([...at, 'categories'], `category '${twice}' is named twice`);
  }
  if (type === 'embedding_router') {
    const c = config as ConfigTypes['embedding_router'];
    if (c.classifier) {
      if (c.classifier.weights.length !== c.targets.length || c.classifier.bias.length !== c.targets.length) {
        throw new InvalidFieldError(
          [...at, 'classifier'],
          'the classifier needs one row of weights and one bias per target',
        );
      }
      const width = c.classifier.weights[0].length;
      if (c.classifier.weights.some((w) => w.length !== width)) {
        throw new InvalidFieldError([...at, 'classifier', 'weights'], 'every row of weights has the same length');
      }
    } else {
      const missing = c.targets.findIndex((t) => !t.centroid);
      if (missing >= 0) {
        throw new InvalidFieldError(
          [...at, 'targets', missing, 'centroid'],
          'each target needs a centroid (or give a classifier)',
        );
      }
      const width = c.targets[0].centroid?.length;
      const other = c.targets.findIndex((t) => t.centroid?.length !== width);
      if (other >= 0)
        throw new InvalidFieldError([...at, 'targets', other, 'centroid'], 'every centroid has the same length');
    }
  }
  if (type === 'rules') {
    const c = config as ConfigTypes['rules'];
    c.rules.forEach((r, i) => {
      if (
        r.when.min_prompt_tokens != null &&
        r.when.max_prompt_tokens != null &&
        r.when.min_prompt_tokens > r.when.max_prompt_tokens
      ) {
        throw new InvalidFieldError([...at, 'rules', i, 'when'], 'min_prompt_tokens is above max_prompt_tokens');
      }
    });
  }
}

/** Every model a config names, with its path inside the config. */
export function modelsNamed(type: ConfigType, config: ConfigTypes[ConfigType]): [(string | number)[], ModelRef][] {
  const out: [(string | number)[], ModelRef][] = [];
  const c = config as unknown as Record<string, unknown>;
  for (const key of ['classifier_model', 'embedding_model', 'default_model', 'model'] as const) {
    if (typeof c[key] === 'string') out.push([[key], c[key] as string]);
  }
  for (const key of ['targets', 'categories', 'rules'] as const) {
    const list = c[key];
    if (Array.isArray(list))
      list.forEach((item: { model?: string }, i) => item.model && out.push([[key, i, 'model'], item.model]));
  }
  for (const key of ['models', 'tiers'] as const) {
    const list = c[key];
    if (Array.isArray(list)) list.forEach((m: string, i) => out.push([[key, i], m]));
  }
  void type;
  return out;
}

function sameWorkspace(model: string, workspace: string, at: (string | number)[]): void {
  if (splitRef(model, workspace).workspace !== workspace) {
    throw new InvalidFieldError(
      at,
      `'${model}' is in another workspace; a virtual model routes to its own workspace's models`,
    );
  }
}

function schemaError(at: (string | number)[], error: ErrorObject | undefined): InvalidFieldError {
  if (!error) return new InvalidFieldError(at, 'config is invalid');
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  const field =
    error.keyword === 'additionalProperties'
      ? [(error.params as { additionalProperty: string }).additionalProperty]
      : [];
  const where = [...at, ...path, ...field];
  const name = String(where[where.length - 1]);
  const message =
    error.keyword === 'additionalProperties'
      ? `${name} is not a field of this config`
      : error.keyword === 'required'
        ? `${(error.params as { missingProperty: string }).missingProperty} is required`
        : `${name} ${error.message ?? 'is invalid'}`;
  if (error.keyword === 'required') where.push((error.params as { missingProperty: string }).missingProperty);
  return new InvalidFieldError(where, message);
}

export { PHASES };
