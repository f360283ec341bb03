import { createHash } from 'node:crypto';
import type { EmbeddingRouterConfig, RulesConfig, WeightedConfig } from './policy.types.js';
import { estimatePromptTokens, hasImages, hasTools, metadataValue, type Body } from './request-features.js';

/** Why a target was chosen: the middleware, and what in it decided. */
export interface Reason {
  middleware: string;
  detail: string;
  rule?: number;
  category?: string;
  scores?: Record<string, number>;
}

export interface Selection {
  model: string;
  reason: Reason;
}

export type HeaderLookup = (name: string) => string | undefined;

/** Weighted split: sticky (a header's value or the request's `user`) hashes to a stable point, else chance. */
export function selectWeighted(
  config: WeightedConfig,
  body: Body,
  header: HeaderLookup,
  random: () => number = Math.random,
): Selection {
  const total = config.targets.reduce((sum, t) => sum + t.weight, 0);
  let key: string | undefined;
  if (config.sticky?.header) key = header(config.sticky.header.toLowerCase());
  if (key === undefined && config.sticky?.user && typeof body.user === 'string') key = body.user;
  const point = (key === undefined ? random() : unitHash(key)) * total;
  let acc = 0;
  for (const target of config.targets) {
    acc += target.weight;
    if (point < acc) {
      return {
        model: target.model,
        reason: { middleware: 'weighted', detail: key === undefined ? 'weighted' : 'sticky' },
      };
    }
  }
  const last = config.targets[config.targets.length - 1];
  return { model: last.model, reason: { middleware: 'weighted', detail: key === undefined ? 'weighted' : 'sticky' } };
}

/** A string's hash as a number in [0, 1): the same caller lands on the same target. */
function unitHash(value: string): number {
  return createHash('sha256').update(value).digest().readUInt32BE(0) / 2 ** 32;
}

/** The first rule whose conditions all hold, else the default model, else nothing (the next middleware decides). */
export function selectByRules(config: RulesConfig, body: Body, header: HeaderLookup): Selection | null {
  let tokens: number | undefined;
  const promptTokens = () => (tokens ??= estimatePromptTokens(body));
  for (const [i, { when, model }] of config.rules.entries()) {
    const held: string[] = [];
    if (when.has_images != null) {
      if (hasImages(body) !== when.has_images) continue;
      held.push(when.has_images ? 'images' : 'no images');
    }
    if (when.has_tools != null) {
      if (hasTools(body) !== when.has_tools) continue;
      held.push(when.has_tools ? 'tools' : 'no tools');
    }
    if (when.min_prompt_tokens != null) {
      if (promptTokens() < when.min_prompt_tokens) continue;
      held.push(`prompt ≥ ${when.min_prompt_tokens} tokens`);
    }
    if (when.max_prompt_tokens != null) {
      if (promptTokens() > when.max_prompt_tokens) continue;
      held.push(`prompt ≤ ${when.max_prompt_tokens} tokens`);
    }
    if (when.header) {
      const value = header(when.header.name.toLowerCase());
      if (value === undefined || !when.header.one_of.includes(value)) continue;
      held.push(`header ${when.header.name}`);
    }
    if (when.metadata) {
      const value = metadataValue(body, when.metadata.key);
      if (value === undefined || !when.metadata.one_of.includes(value)) continue;
      held.push(`metadata ${when.metadata.key}`);
    }
    return { model, reason: { middleware: 'rules', rule: i, detail: held.join(', ') } };
  }
  return config.default_model
    ? { model: config.default_model, reason: { middleware: 'rules', detail: 'no rule held' } }
    : null;
}

/**
 * The classifier's answer, parsed strictly: one category name, alone (case,
 * surrounding spaces and one pair of quotes or backticks aside). Anything
 * else is no answer, and the policy fails open.
 */
export function parseCategory(answer: unknown, categories: string[]): string | null {
  if (typeof answer !== 'string') return null;
  let word = answer.trim();
  const quoted = /^(["'`])(.*)\1$/s.exec(word);
  if (quoted) word = quoted[2].trim();
  word = word.toLowerCase();
  return categories.includes(word) ? word : null;
}

/**
 * The embedding router's rule (the LLM Router blueprint's `model_thresholds`
 * + `model_costs`): each target gets a score (cosine similarity to its
 * centroid, or the linear classifier's probability); the cheapest target
 * whose score clears its threshold wins, else the one with the highest score.
 */
export function selectByEmbedding(
  config: EmbeddingRouterConfig,
  vector: number[],
  costOf: (model: string) => number | undefined,
): Selection {
  const scores = scoreTargets(config, vector);
  const named: Record<string, number> = {};
  config.targets.forEach((t, i) => (named[t.model] = round(scores[i])));
  const clearing = config.targets
    .map((t, i) => ({ t, score: scores[i], cost: t.cost ?? costOf(t.model) ?? Number.POSITIVE_INFINITY }))
    .filter(({ t, score }) => score >= t.threshold)
    .sort((a, b) => a.cost - b.cost || b.score - a.score);
  if (clearing.length) {
    const { t, cost } = clearing[0];
    const why = Number.isFinite(cost)
      ? `cheapest clearing its threshold (cost ${round(cost)})`
      : 'clears its threshold';
    return { model: t.model, reason: { middleware: 'embedding_router', detail: why, scores: named } };
  }
  const best = scores.indexOf(Math.max(...scores));
  return {
    model: config.targets[best].model,
    reason: { middleware: 'embedding_router', detail: 'no threshold cleared: highest score', scores: named },
  };
}

export function scoreTargets(config: EmbeddingRouterConfig, vector: number[]): number[] {
  if (config.classifier) {
    const logits = config.classifier.weights.map((w, i) => dot(w, vector) + config.classifier!.bias[i]);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  }
  return config.targets.map((t) => cosine(t.centroid ?? [], vector));
}

export function cosine(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += a[i] * b[i];
  return s;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
