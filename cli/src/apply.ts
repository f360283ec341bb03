import { found, ok, type Api, type Schemas } from './client.js';
import { changedFields, projection, withoutNulls } from './compare.js';
import { APPLY_ORDER, type Document } from './documents.js';
import { ApiError, UsageError } from './exit-codes.js';

type Row = Record<string, unknown>;

/** What applying one document does. */
export interface Change {
  doc: Document;
  action: 'create' | 'update' | 'unchanged';
  /** The stored object cut to the document's fields (null when it does not exist yet). */
  before: unknown;
  /** What the document asks for. */
  after: unknown;
  /** Changed fields, as dotted paths. */
  fields: string[];
  /** Something `diff` should say beside the change (a write-only value, a version to come). */
  note?: string;
  /** Makes the change; answers what happened, for the log (`created`, `configured (version 2)`, `unchanged`). */
  apply(): Promise<string>;
}

/**
 * Plans every document, in dependency order: secrets, models, providers,
 * deployment configs, deployments. Nothing is written; each change's
 * `apply()` writes it. A deployment that follows its config's latest version
 * is planned against the version its config will have after this run.
 */
export async function plan(api: Api, documents: Document[], env: NodeJS.ProcessEnv): Promise<Change[]> {
  const ordered = [...documents].sort((a, b) => APPLY_ORDER.indexOf(a.kind) - APPLY_ORDER.indexOf(b.kind));
  // Secret values are read first: a missing variable is a usage error before anything is sent.
  const values = new Map<Document, string>();
  for (const doc of ordered.filter((d) => d.kind === 'Secret')) {
    const variable = (doc.spec.valueFrom as { env: string }).env;
    const value = env[variable];
    if (value === undefined) throw new UsageError(`${doc.source}: the environment variable ${variable} is not set`);
    values.set(doc, value);
  }
  const changes: Change[] = [];
  for (const doc of ordered) {
    switch (doc.kind) {
      case 'Secret':
        changes.push(await planSecret(api, doc, values.get(doc) as string));
        break;
      case 'Model':
        changes.push(await planModel(api, doc));
        break;
      case 'Provider':
        changes.push(await planProvider(api, doc));
        break;
      case 'DeploymentConfig':
        changes.push(await planConfig(api, doc));
        break;
      case 'Deployment':
        changes.push(await planDeployment(api, doc, changes));
        break;
      case 'VirtualModel':
        changes.push(await planVirtualModel(api, doc));
        break;
    }
  }
  return changes;
}

const path = (doc: Document) => ({ params: { path: { workspace: doc.workspace, name: doc.name } } });
const inWorkspace = (doc: Document) => ({ params: { path: { workspace: doc.workspace } } });

function change(
  doc: Document,
  stored: Row | null,
  desired: Row,
  write: { create(): Promise<string>; update(): Promise<string> },
): Change {
  if (!stored) {
    return { doc, action: 'create', before: null, after: desired, fields: Object.keys(desired), apply: write.create };
  }
  const fields = changedFields(desired, stored);
  const action = fields.length ? 'update' : 'unchanged';
  return {
    doc,
    action,
    before: projection(stored, desired),
    after: desired,
    fields,
    apply: fields.length ? write.update : async () => 'unchanged',
  };
}

async function planSecret(api: Api, doc: Document, value: string): Promise<Change> {
  const stored = await found(api.GET('/v2/workspaces/{workspace}/secrets/{name}', path(doc)));
  const desired: Row = doc.spec.description === undefined ? {} : { description: doc.spec.description };
  const planned = change(doc, stored as Row | null, desired, {
    create: async () => {
      await ok(
        api.POST('/v2/workspaces/{workspace}/secrets', {
          ...inWorkspace(doc),
          body: { name: doc.name, value, ...(withoutNulls(desired) as { description?: string }) },
        }),
      );
      return 'created';
    },
    update: async () => 'configured',
  });
  if (!stored) return planned;
  // The value never leaves the server, so it cannot be compared here: it is sent on every apply, and the server
  // writes it only when it differs (updated_at tells).
  return {
    ...planned,
    note: 'the value is write-only: sent on every apply, stored only when it differs',
    apply: async () => {
      const updated = await ok(
        api.PATCH('/v2/workspaces/{workspace}/secrets/{name}', {
          ...path(doc),
          body: { value, ...(desired as { description?: string }) },
        }),
      );
      return updated.updated_at === stored.updated_at ? 'unchanged' : 'configured';
    },
  };
}

async function planModel(api: Api, doc: Document): Promise<Change> {
  const stored = await found(api.GET('/v2/workspaces/{workspace}/models/{name}', path(doc)));
  return change(doc, stored as Row | null, doc.spec, {
    create: async () => {
      const body = { ...doc.spec, name: doc.name } as Schemas['CreateModelDto'];
      await ok(api.POST('/v2/workspaces/{workspace}/models', { ...inWorkspace(doc), body }));
      return 'created';
    },
    update: async () => {
      const body = doc.spec as Schemas['UpdateModelDto'];
      await ok(api.PATCH('/v2/workspaces/{workspace}/models/{name}', { ...path(doc), body }));
      return 'configured';
    },
  });
}

async function planProvider(api: Api, doc: Document): Promise<Change> {
  const stored = await found(api.GET('/v2/workspaces/{workspace}/providers/{name}', path(doc)));
  return change(doc, stored as Row | null, doc.spec, {
    create: async () => {
      const body = { ...doc.spec, name: doc.name } as Schemas['CreateProviderDto'];
      await ok(api.POST('/v2/workspaces/{workspace}/providers', { ...inWorkspace(doc), body }));
      return 'created';
    },
    update: async () => {
      // PUT replaces the provider: the document is its whole desired state.
      const body = doc.spec as Schemas['UpsertProviderDto'];
      await ok(api.PUT('/v2/workspaces/{workspace}/providers/{name}', { ...path(doc), body }));
      return 'configured';
    },
  });
}

async function planConfig(api: Api, doc: Document): Promise<Change> {
  const stored = await found(api.GET('/v2/workspaces/{workspace}/deployment-configs/{name}', path(doc)));
  const planned = change(doc, stored as Row | null, doc.spec, {
    create: async () => {
      const body = { ...doc.spec, name: doc.name } as Schemas['CreateDeploymentConfigDto'];
      const created = await ok(
        api.POST('/v2/workspaces/{workspace}/deployment-configs', { ...inWorkspace(doc), body }),
      );
      return `created (version ${created.entity_version})`;
    },
    update: async () => {
      // A new version is a whole config; the project is kept from version 1.
      const { project: _project, ...rest } = doc.spec;
      const body = rest as Schemas['UpdateDeploymentConfigDto'];
      const created = await ok(
        api.POST('/v2/workspaces/{workspace}/deployment-configs/{name}', { ...path(doc), body }),
      );
      return `configured (version ${created.entity_version})`;
    },
  });
  if (stored && planned.action === 'update') planned.note = `becomes version ${stored.entity_version + 1}`;
  if (stored) (planned as Change & { latest?: number }).latest = stored.entity_version;
  return planned;
}

/** A virtual model (a routing policy); its entity references are compared as the server stores them, `ws/name`. */
async function planVirtualModel(api: Api, doc: Document): Promise<Change> {
  const stored = await found(api.GET('/v2/workspaces/{workspace}/virtual-models/{name}', path(doc)));
  const full = (ref: unknown) => (typeof ref === 'string' && !ref.includes('/') ? `${doc.workspace}/${ref}` : ref);
  const desired: Row = { ...doc.spec };
  if (desired.default_model_entity !== undefined) desired.default_model_entity = full(desired.default_model_entity);
  if (Array.isArray(desired.models)) {
    desired.models = desired.models.map((m: Row) => (m && typeof m === 'object' ? { ...m, model: full(m.model) } : m));
  }
  return change(doc, stored as Row | null, desired, {
    create: async () => {
      const body = { ...doc.spec, name: doc.name } as Schemas['CreateVirtualModelDto'];
      await ok(api.POST('/v2/workspaces/{workspace}/virtual-models', { ...inWorkspace(doc), body }));
      return 'created';
    },
    update: async () => {
      // Only the fields the document names change (PATCH), as `apply` manages them.
      const body = doc.spec as Schemas['UpdateVirtualModelDto'];
      await ok(api.PATCH('/v2/workspaces/{workspace}/virtual-models/{name}', { ...path(doc), body }));
      return 'configured';
    },
  });
}

/**
 * A deployment names its config and, optionally, a config version; without
 * one it follows the config's latest version, so a changed config in the same
 * run rolls the deployment to the new version.
 */
async function planDeployment(api: Api, doc: Document, earlier: Change[]): Promise<Change> {
  const {
    config,
    config_version: pinned,
    project,
  } = doc.spec as { config?: unknown; config_version?: unknown; project?: unknown };
  for (const key of Object.keys(doc.spec)) {
    if (!['config', 'config_version', 'project'].includes(key)) {
      throw new UsageError(
        `${doc.source}: unknown field "spec.${key}" (a Deployment has config, config_version and project)`,
      );
    }
  }
  if (typeof config !== 'string' || !config)
    throw new UsageError(`${doc.source}: spec.config must name a deployment config`);
  if (pinned !== undefined && pinned !== null && (!Number.isInteger(pinned) || (pinned as number) < 1)) {
    throw new UsageError(`${doc.source}: spec.config_version must be a positive integer`);
  }
  const [configWorkspace, configName] = config.includes('/') ? config.split('/', 2) : [doc.workspace, config];
  const sameRun = earlier.find(
    (c) => c.doc.kind === 'DeploymentConfig' && c.doc.workspace === configWorkspace && c.doc.name === configName,
  ) as (Change & { latest?: number }) | undefined;
  let target: number | null = typeof pinned === 'number' ? pinned : null;
  let pending = false; // the version comes from a config this run creates or changes
  if (target === null) {
    if (sameRun && sameRun.action !== 'unchanged') {
      pending = true;
      target = sameRun.action === 'create' ? 1 : (sameRun.latest as number) + 1;
    } else {
      const latest = await found(
        api.GET('/v2/workspaces/{workspace}/deployment-configs/{name}', {
          params: { path: { workspace: configWorkspace, name: configName } },
        }),
      );
      if (!latest)
        throw new UsageError(`${doc.source}: the deployment config ${configWorkspace}/${configName} does not exist`);
      target = latest.entity_version;
    }
  }
  let stored = await found(api.GET('/v2/workspaces/{workspace}/deployments/{name}', path(doc)));
  if (stored?.status === 'DELETING') {
    throw new ApiError(
      409,
      `409 Conflict: deployment/${doc.name} is being deleted; wait for it (modelplane wait ${doc.name} --for DELETED) and apply again`,
    );
  }
  // A deleted deployment kept for its retention is created anew: its records are removed first.
  const replaceDeleted = stored?.status === 'DELETED';
  if (replaceDeleted) stored = null;
  const desired: Row = { config: configName, config_version: target };
  const current: Row | null = stored && {
    config: stored.config.split('/').pop(),
    config_version: stored.config_version,
  };
  // The version to deploy is read again when the change is made: the config may have just become a new version.
  const resolve = async (): Promise<number> => {
    if (!pending) return target as number;
    const latest = await ok(
      api.GET('/v2/workspaces/{workspace}/deployment-configs/{name}', {
        params: { path: { workspace: configWorkspace, name: configName } },
      }),
    );
    return latest.entity_version;
  };
  const planned = change(doc, current, desired, {
    create: async () => {
      if (replaceDeleted) await found(api.DELETE('/v2/workspaces/{workspace}/deployments/{name}', path(doc)));
      const body = {
        name: doc.name,
        config,
        config_version: await resolve(),
        ...(typeof project === 'string' ? { project } : {}),
      };
      const created = await ok(api.POST('/v2/workspaces/{workspace}/deployments', { ...inWorkspace(doc), body }));
      return `created (version ${created.entity_version}, config ${configName} v${created.config_version})`;
    },
    update: async () => {
      const body = { config, config_version: await resolve() };
      const created = await ok(api.POST('/v2/workspaces/{workspace}/deployments/{name}', { ...path(doc), body }));
      return `configured (version ${created.entity_version}, config ${configName} v${created.config_version})`;
    },
  });
  if (pending) planned.note = `config ${configName} v${target} is made by this apply`;
  return planned;
}
