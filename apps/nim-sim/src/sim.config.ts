/**
 * The simulator's configuration: the environment a real NIM container gets
 * (NIM_*, NGC_*) plus the SIM_* knobs that choose how it misbehaves. Read and
 * validated once, at start; a bad value names its variable.
 */
import { parseClassifierRules, type ClassifierRule } from './classifier.rules.js';
import { maskedValue, nimEnvOf } from './secret.mask.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SimConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Served model ids, from NIM_SERVED_MODEL_NAME; the first is the base that adapters attach to. */
  servedModels: string[];
  maxModelLen: number;
  /** Directory whose subdirectories are LoRA adapters (NIM_PEFT_SOURCE). */
  peftSource: string | null;
  /** Seconds between re-listings of peftSource; null: listed once, at start (as NIM does). */
  peftRefreshIntervalS: number | null;
  /** Adapters named directly (SIM_LORA_ADAPTERS), for tests without a directory. */
  loraAdapters: string[];
  /** Per generated token: between stream chunks, and summed before a non-streaming answer. */
  tokenDelayMs: number;
  /** Time from listening until /v1/health/ready answers 200. */
  startDelayMs: number;
  /** Print this to stderr and exit 1 instead of starting. */
  failAtStart: string | null;
  neverReady: boolean;
  /** Exit 3 this long after start. */
  crashAfterMs: number | null;
  /** Fraction (0..1) of completion requests answered with a 500. */
  errorRate: number;
  /** Destroy the socket after this many SSE events of a stream. */
  streamCutAfter: number | null;
  /** Wait this long after SIGTERM/SIGINT before closing. */
  exitOnSigtermDelayMs: number;
  /**
   * When set, /v1/models and the generation endpoints want `Authorization: Bearer <key>` (401 otherwise),
   * as a hosted NIM does; the health endpoints stay open.
   */
  apiKey: string | null;
  /** Length of /v1/embeddings vectors (SIM_EMBEDDING_DIM), and the ceiling of a request's `dimensions`. */
  embeddingDim: number;
  /** Wait this long before each /v1/embeddings answer, so a caller's timeout can be tested. */
  embeddingDelayMs: number;
  /** SIM_CLASSIFIER_RULES: when set, a chat answer is the category these rules pick. */
  classifierRules: ClassifierRule[] | null;
  /** SIM_CLASSIFIER_NOISE: wrap the category in a sentence, for testing a caller's strict parsing. */
  classifierNoise: boolean;
  /** SIM_JSON_MODE: what a request with a JSON response_format gets. */
  jsonMode: JsonMode;
  /** Every NIM_* and NGC_* variable received, secrets masked (see secret.mask.ts). */
  nimEnv: Record<string, string>;
}

export const DEFAULT_MODEL = 'meta/llama-3.1-8b-instruct';

/** `valid`: a document that matches the schema; `invalid`: text that is not JSON; `mismatch`: JSON that does not match. */
export const JSON_MODES = ['valid', 'invalid', 'mismatch'] as const;
export type JsonMode = (typeof JSON_MODES)[number];

/** The longest vector SIM_EMBEDDING_DIM allows: a bigger one only makes answers slower. */
export const MAX_EMBEDDING_DIM = 4096;

export class SimConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'SimConfigError';
  }
}

interface NumberRule {
  min: number;
  max?: number;
  integer?: boolean;
  /** Strictly above min. */
  above?: boolean;
}

/** setTimeout's ceiling; a longer delay would fire at once. */
const MAX_MS = 2 ** 31 - 1;

/** Reads one variable at a time and collects every problem, so one run reports them all. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  number(name: string, { min, max, integer = false, above = false }: NumberRule): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    const fits = Number.isFinite(value) && (above ? value > min : value >= min) && (max === undefined || value <= max);
    if (fits && (!integer || Number.isInteger(value))) return value;
    const kind = integer ? 'an integer' : 'a number';
    const range = `${above ? '>' : '>='} ${min}${max === undefined ? '' : ` and <= ${max}`}`;
    this.fail(name, raw, `must be ${kind} ${range}`);
    return undefined;
  }

  flag(name: string): boolean {
    const raw = this.string(name);
    if (raw === undefined) return false;
    const s = raw.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    this.fail(name, raw, 'must be 1/0, true/false, yes/no or on/off');
    return false;
  }

  list(name: string): string[] {
    const raw = this.string(name);
    return raw === undefined ? [] : [...new Set(raw.split(',').map((s) => s.trim()))].filter((s) => s !== '');
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.fail(name, raw, `must be one of ${values.join(', ')}`);
    return undefined;
  }

  classifierRules(name: string): ClassifierRule[] | null {
    const raw = this.string(name);
    if (raw === undefined) return null;
    try {
      return parseClassifierRules(raw);
    } catch (error) {
      this.fail(name, raw, (error as Error).message);
      return null;
    }
  }

  fail(name: string, raw: string, rule: string): void {
    this.problems.push(`${name} ${rule} (got ${JSON.stringify(maskedValue(name, raw))})`);
  }
}

export function loadSimConfig(env: Env): SimConfig {
  const read = new EnvReader(env);
  const port = read.number('PORT', { min: 0, max: 65535, integer: true });
  const nimPort = read.number('NIM_SERVER_PORT', { min: 0, max: 65535, integer: true });
  const servedModels =
    read.string('NIM_SERVED_MODEL_NAME') === undefined ? [DEFAULT_MODEL] : read.list('NIM_SERVED_MODEL_NAME');
  if (servedModels.length === 0)
    read.fail('NIM_SERVED_MODEL_NAME', env.NIM_SERVED_MODEL_NAME ?? '', 'must name a model');
  const ms = { min: 0, max: MAX_MS };
  const config: SimConfig = {
    host: read.string('HOST') ?? '127.0.0.1',
    port: port ?? nimPort ?? 8000,
    servedModels,
    maxModelLen: read.number('NIM_MAX_MODEL_LEN', { min: 1, integer: true }) ?? 8192,
    peftSource: read.string('NIM_PEFT_SOURCE') ?? null,
    peftRefreshIntervalS: read.number('NIM_PEFT_REFRESH_INTERVAL', { min: 0, max: MAX_MS / 1000, above: true }) ?? null,
    loraAdapters: read.list('SIM_LORA_ADAPTERS'),
    tokenDelayMs: read.number('SIM_TOKEN_DELAY_MS', { min: 0, max: 60_000 }) ?? 0,
    startDelayMs: read.number('SIM_START_DELAY_MS', ms) ?? 0,
    failAtStart: read.string('SIM_FAIL_AT_START') ?? null,
    neverReady: read.flag('SIM_NEVER_READY'),
    crashAfterMs: read.number('SIM_CRASH_AFTER_MS', ms) ?? null,
    errorRate: read.number('SIM_ERROR_RATE', { min: 0, max: 1 }) ?? 0,
    streamCutAfter: read.number('SIM_STREAM_CUT_AFTER', { min: 0, integer: true }) ?? null,
    exitOnSigtermDelayMs: read.number('SIM_EXIT_ON_SIGTERM_DELAY_MS', ms) ?? 0,
    apiKey: read.string('SIM_API_KEY') ?? null,
    embeddingDim: read.number('SIM_EMBEDDING_DIM', { min: 1, max: MAX_EMBEDDING_DIM, integer: true }) ?? 64,
    embeddingDelayMs: read.number('SIM_EMBEDDING_DELAY_MS', { min: 0, max: 60_000 }) ?? 0,
    classifierRules: read.classifierRules('SIM_CLASSIFIER_RULES'),
    classifierNoise: read.flag('SIM_CLASSIFIER_NOISE'),
    jsonMode: read.oneOf('SIM_JSON_MODE', JSON_MODES) ?? 'valid',
    nimEnv: nimEnvOf(env),
  };
  if (read.problems.length > 0) throw new SimConfigError(read.problems);
  return config;
}
