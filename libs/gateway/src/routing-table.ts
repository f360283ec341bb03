import type { ModelPricing } from '#domain';
import type { RoutingPolicy } from '#routing';

/**
 * The gateway's routing table: every provider, every routable model entity
 * and every virtual model, built from the database in one go and swapped
 * whole when anything changes, so a request reads memory only. Pure: no I/O
 * here.
 */

export type ProviderStatus = 'READY' | 'ERROR' | 'LOST' | 'UNKNOWN';

/** A provider as the gateway needs it. */
export interface ProviderRoute {
  /** `workspace/name`. */
  ref: string;
  id: string;
  workspace: string;
  name: string;
  hostUrl: string;
  status: ProviderStatus;
  statusMessage: string;
  /** The rendered auth header, when the provider has a key; `keyError` when its secret cannot be used. */
  authHeader: { name: string; value: string } | null;
  /** The key itself, only to scrub it from what an upstream sends back (an error that echoes it). */
  secret: string | null;
  keyError: string | null;
  /** A provider registered by hand: its connections go through the egress policy (a deployment's do not). */
  egressChecked: boolean;
  defaultHeaders: Record<string, string>;
  requiredHeaders: Record<string, string>;
  defaultBody: Record<string, unknown>;
  requiredBody: Record<string, unknown>;
  /** Served name → entity ref, and back (one served name per entity per provider). */
  servedNameOf: Map<string, string>;
  entityOfServedName: Map<string, string>;
}

/** A model entity with the providers that serve it. */
export interface ModelRoute {
  /** `workspace/name`. */
  ref: string;
  workspace: string;
  name: string;
  providers: { provider: ProviderRoute; servedName: string }[];
}

/** A model entity's prices per million tokens (the cost rule, and what each decision reports). */
export type Pricing = ModelPricing;

export interface RoutingTable {
  providers: Map<string, ProviderRoute>;
  models: Map<string, ModelRoute>;
  /** Virtual models by `workspace/name`: routable wherever a model entity is, and resolved first. */
  virtualModels: Map<string, RoutingPolicy>;
  /** Prices of the model entities that have them, by `workspace/name`. */
  prices: Map<string, Pricing>;
  /** Per workspace, its routable model entity and virtual model names, sorted (the OpenAI model list). */
  modelsByWorkspace: Map<string, string[]>;
  /** When it was built (ms since the epoch). */
  builtAt: number;
}

export interface ProviderRow {
  id: string;
  workspace: string;
  name: string;
  hostUrl: string;
  status: string;
  statusMessage: string;
  servedModels: unknown;
  defaultExtraHeaders: unknown;
  requiredExtraHeaders: unknown;
  defaultExtraBody: unknown;
  requiredExtraBody: unknown;
  authHeader: { name: string; value: string } | null;
  secret?: string | null;
  keyError: string | null;
  /** Absent: checked (a provider is trusted only when the source says it is the control plane's own). */
  egressChecked?: boolean;
}

export const EMPTY_TABLE: RoutingTable = {
  providers: new Map(),
  models: new Map(),
  virtualModels: new Map(),
  prices: new Map(),
  modelsByWorkspace: new Map(),
  builtAt: 0,
};

export function buildRoutingTable(
  rows: ProviderRow[],
  now = Date.now(),
  extra: { virtualModels?: RoutingPolicy[]; prices?: Map<string, Pricing> } = {},
): RoutingTable {
  const providers = new Map<string, ProviderRoute>();
  const models = new Map<string, ModelRoute>();
  for (const row of rows) {
    const ref = `${row.workspace}/${row.name}`;
    const provider: ProviderRoute = {
      ref,
      id: row.id,
      workspace: row.workspace,
      name: row.name,
      hostUrl: row.hostUrl,
      status: (['READY', 'ERROR', 'LOST'].includes(row.status) ? row.status : 'UNKNOWN') as ProviderStatus,
      statusMessage: row.statusMessage,
      authHeader: row.authHeader,
      secret: row.secret ?? null,
      keyError: row.keyError,
      egressChecked: row.egressChecked ?? true,
      defaultHeaders: stringRecord(row.defaultExtraHeaders),
      requiredHeaders: stringRecord(row.requiredExtraHeaders),
      defaultBody: objectRecord(row.defaultExtraBody),
      requiredBody: objectRecord(row.requiredExtraBody),
      servedNameOf: new Map(),
      entityOfServedName: new Map(),
    };
    providers.set(ref, provider);
    for (const served of servedModelsOf(row.servedModels)) {
      const slash = served.model_entity_id.indexOf('/');
      if (slash <= 0) continue;
      provider.servedNameOf.set(served.model_entity_id, served.served_model_name);
      provider.entityOfServedName.set(served.served_model_name, served.model_entity_id);
      let model = models.get(served.model_entity_id);
      if (!model) {
        model = {
          ref: served.model_entity_id,
          workspace: served.model_entity_id.slice(0, slash),
          name: served.model_entity_id.slice(slash + 1),
          providers: [],
        };
        models.set(model.ref, model);
      }
      model.providers.push({ provider, servedName: served.served_model_name });
    }
  }
  const modelsByWorkspace = new Map<string, string[]>();
  const virtualModels = new Map((extra.virtualModels ?? []).map((v) => [`${v.workspace}/${v.name}`, v]));
  const listed = [...models.values(), ...virtualModels.values()];
  for (const { workspace, name } of listed) {
    const names = modelsByWorkspace.get(workspace) ?? [];
    if (!names.includes(name)) names.push(name);
    modelsByWorkspace.set(workspace, names);
  }
  for (const names of modelsByWorkspace.values()) names.sort();
  return { providers, models, virtualModels, prices: extra.prices ?? new Map(), modelsByWorkspace, builtAt: now };
}

function servedModelsOf(value: unknown): { model_entity_id: string; served_model_name: string }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is { model_entity_id: string; served_model_name: string } =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Record<string, unknown>).model_entity_id === 'string' &&
      typeof (v as Record<string, unknown>).served_model_name === 'string',
  );
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectRecord(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

function objectRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
