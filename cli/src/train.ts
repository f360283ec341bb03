import { ApiError, UsageError } from './exit-codes.js';
import { refusal } from './client.js';
import type { Settings } from './settings.js';

/** One labelled example: a request's text and the model that serves it best. */
export interface Example {
  text: string;
  model: string;
}

export interface TrainedTarget {
  model: string;
  threshold: number;
  centroid: number[];
}

export interface Training {
  targets: TrainedTarget[];
  /** Per target: examples, and how many the trained policy sends back to it. */
  report: { model: string; examples: number; routedBack: number }[];
}

const MAX_EXAMPLES = 100_000;
const MAX_TEXT = 8000;
const BATCH = 64;

/** A JSONL file of `{"text": …, "model": …}` lines (blank lines skipped); a usage error names the bad line. */
export function parseExamples(text: string, source: string): Example[] {
  const examples: Example[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${source}:${i + 1}: not JSON`);
    }
    const { text: t, model } = (value ?? {}) as { text?: unknown; model?: unknown };
    if (typeof t !== 'string' || !t.trim())
      throw new UsageError(`${source}:${i + 1}: "text" must be a non-empty string`);
    if (typeof model !== 'string' || !model)
      throw new UsageError(`${source}:${i + 1}: "model" must name a model entity`);
    examples.push({ text: t.slice(0, MAX_TEXT), model });
    if (examples.length > MAX_EXAMPLES) throw new UsageError(`${source}: more than ${MAX_EXAMPLES} examples`);
  });
  const models = new Set(examples.map((e) => e.model));
  if (models.size < 2) throw new UsageError(`${source}: the examples must name at least two models`);
  return examples;
}

/**
 * Embeds texts through Modelplane's gateway (the embedding model entity's
 * route, `…/inference/gateway/model/{entity}/-/v1/embeddings`), in batches.
 * The gateway's routes are not in the registry's OpenAPI document, so this
 * one call is plain fetch with the same settings.
 */
export async function embedAll(
  settings: Settings,
  workspace: string,
  entity: string,
  texts: string[],
): Promise<number[][]> {
  const url = `${settings.url.replace(/\/+$/, '')}/v2/workspaces/${encodeURIComponent(workspace)}/inference/gateway/model/${encodeURIComponent(entity)}/-/v1/embeddings`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const vectors: number[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const input = texts.slice(i, i + BATCH);
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ input }) }).catch((e: Error) => {
      throw new ApiError(0, `cannot reach ${settings.url}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
    });
    const body = (await res.json().catch(() => null)) as {
      data?: { index?: number; embedding?: unknown }[];
      error?: unknown;
    } | null;
    if (!res.ok)
      throw refusal(
        res.status,
        body && typeof body.error === 'object' ? { detail: (body.error as { message?: string }).message } : body,
      );
    const data = [...(body?.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    if (data.length !== input.length || !data.every((d) => Array.isArray(d.embedding))) {
      throw new ApiError(502, `${entity} answered ${data.length} embeddings for ${input.length} texts`);
    }
    vectors.push(...data.map((d) => d.embedding as number[]));
  }
  return vectors;
}

/**
 * Centroids (the mean of each model's normalised example vectors) and
 * thresholds: unless one is given, each target's threshold is the score that
 * `keep` of its own examples reach (so most of them clear it). The report
 * says how many examples the resulting policy would send back to their own
 * model, by its rule: the best-scoring target among those that clear.
 */
export function train(
  examples: Example[],
  vectors: number[][],
  options: { threshold?: number; keep: number },
): Training {
  const unit = vectors.map(normalise);
  const models = [...new Set(examples.map((e) => e.model))].sort();
  const targets = models.map((model) => {
    const own = unit.filter((_, i) => examples[i].model === model);
    const centroid = normalise(own[0].map((_, d) => own.reduce((s, v) => s + v[d], 0) / own.length));
    const scores = own.map((v) => dot(v, centroid)).sort((a, b) => a - b);
    const threshold = options.threshold ?? scores[Math.floor((1 - options.keep) * (scores.length - 1))];
    return { model, threshold: round(threshold), centroid: centroid.map(round) };
  });
  const report = models.map((model) => {
    const own = unit.map((v, i) => ({ v, i })).filter(({ i }) => examples[i].model === model);
    const routedBack = own.filter(({ v }) => {
      const scored = targets.map((t) => ({ t, s: dot(v, t.centroid) }));
      const clearing = scored.filter(({ t, s }) => s >= t.threshold);
      const pick = (clearing.length ? clearing : scored).sort((a, b) => b.s - a.s)[0];
      return pick.t.model === model;
    }).length;
    return { model, examples: own.length, routedBack };
  });
  return { targets, report };
}

function normalise(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n === 0 ? v : v.map((x) => x / n);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += a[i] * b[i];
  return s;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
