import type { DiscoveredEntity } from '#db';
import { ENTITY_NAME_PATTERN, joinRef, splitRef } from '#domain';

/** An entry of an OpenAI-compatible `/v1/models` (NIM adds `root` and `parent`). */
export interface ListedModel {
  id: string;
  root?: string | null;
  parent?: string | null;
}

export interface ServedModelsMapping {
  entities: DiscoveredEntity[];
  servedModels: { model_entity_id: string; served_model_name: string }[];
  skipped: string[];
}

/**
 * A routable entity name for a served model id: lowercase, `/` and other
 * characters outside the entity alphabet become `-`, no `--`, starting with
 * a letter, at most 63 characters. Null when nothing usable is left.
 */
export function entityNameFor(id: string): string | null {
  const name = id
    .toLowerCase()
    .replace(/[^a-z0-9\-@.+_]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return ENTITY_NAME_PATTERN.test(name) ? name : null;
}

/**
 * Maps what a deployment's server lists to model entities and the provider's
 * `served_models`:
 * - a base model (no `parent`) is served as the config's `model_entity_id`
 *   when it names an entity of this workspace, else as an entity named after
 *   the served id (`meta/llama-3.1-8b-instruct` → `meta-llama-3.1-8b-instruct`);
 * - a LoRA adapter (`parent` = a base model) is an entity of its own,
 *   `{base entity}@{adapter}`, with `base_model` naming the base entity and
 *   `finetuning_type` lora, so it is routable like any model; and an adapter
 *   of the base entity under the same name (its `adapters`, …/adapters).
 */
export function mapServedModels(
  workspace: string,
  deployment: string,
  models: ListedModel[],
  modelEntityId: string | null,
): ServedModelsMapping {
  const configured = modelEntityId ? splitRef(modelEntityId, workspace) : null;
  const bases = new Map<string, string>();
  const entities: DiscoveredEntity[] = [];
  const servedModels: ServedModelsMapping['servedModels'] = [];
  const skipped: string[] = [];
  const description = `Discovered on deployment ${deployment}`;

  for (const m of models.filter((m) => !m.parent)) {
    const name =
      configured && configured.workspace === workspace && bases.size === 0 ? configured.name : entityNameFor(m.id);
    if (!name) {
      skipped.push(m.id);
      continue;
    }
    bases.set(m.id, name);
    entities.push({ name, description });
    servedModels.push({ model_entity_id: joinRef(workspace, name), served_model_name: m.id });
  }
  for (const m of models.filter((m) => m.parent)) {
    const base = bases.get(m.parent as string);
    const adapter = entityNameFor(m.id);
    const name = base && adapter ? `${base}@${adapter}`.slice(0, 63) : null;
    if (!name || !ENTITY_NAME_PATTERN.test(name)) {
      skipped.push(m.id);
      continue;
    }
    entities.push({
      name,
      description: `LoRA adapter ${m.id} of ${m.parent}, ${description}`,
      baseModel: joinRef(workspace, base as string),
      finetuningType: 'lora',
      // Also an adapter of its base entity, under the entity's (routable, unique) name.
      adapterOf: {
        model: base as string,
        description: `LoRA adapter ${m.id} of ${m.parent}, found on the model list of deployment ${deployment} (its server loads the weights; no fileset)`,
      },
    });
    servedModels.push({ model_entity_id: joinRef(workspace, name), served_model_name: m.id });
  }
  return { entities, servedModels, skipped };
}

/** Validates a `/v1/models` body; throws with what is wrong. */
export function parseModelList(body: unknown): ListedModel[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error('the /v1/models response has no "data" list (not OpenAI-compatible)');
  return data
    .filter((m): m is ListedModel => typeof m === 'object' && m !== null && typeof (m as ListedModel).id === 'string')
    .map((m) => ({ id: m.id, root: m.root ?? null, parent: m.parent ?? null }));
}

/** The API family an external model speaks, from its id (the reference's rule). */
export function backendFormatOf(id: string): 'ANTHROPIC_MESSAGES' | 'OPENAI_CHAT' {
  return /^(claude-|anthropic\.|anthropic\/)/.test(id) ? 'ANTHROPIC_MESSAGES' : 'OPENAI_CHAT';
}

/**
 * Maps an external provider's `/v1/models` to entities: only `enabled_models`
 * when set (exact ids); a leading `{workspace}/` is dropped and the rest
 * normalised to an entity name; ids that leave no valid name are skipped.
 */
export function mapExternalModels(
  workspace: string,
  provider: { name: string; hostUrl: string },
  models: ListedModel[],
  enabledModels: string[] | null,
): ServedModelsMapping {
  const enabled = enabledModels ? new Set(enabledModels) : null;
  const entities: DiscoveredEntity[] = [];
  const servedModels: ServedModelsMapping['servedModels'] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    if (enabled && !enabled.has(m.id)) continue;
    const name = entityNameFor(m.id.startsWith(`${workspace}/`) ? m.id.slice(workspace.length + 1) : m.id);
    if (!name || seen.has(name)) {
      skipped.push(m.id);
      continue;
    }
    seen.add(name);
    entities.push({
      name,
      description: `Auto-discovered model from provider ${joinRef(workspace, provider.name)}`,
      apiEndpoint: { url: provider.hostUrl, model_id: m.id, format: 'openai' },
      backendFormat: backendFormatOf(m.id),
    });
    servedModels.push({ model_entity_id: joinRef(workspace, name), served_model_name: m.id });
  }
  return { entities, servedModels, skipped };
}
