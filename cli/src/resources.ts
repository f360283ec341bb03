import { found, ok, type Api, type Schemas } from './client.js';
import { UsageError } from './exit-codes.js';

type Row = Record<string, unknown>;
export type Column = [header: string, value: (row: Row) => unknown];

/** What get, list, describe and delete need of a kind: typed calls, table columns, the names it goes by. */
export interface ResourceKind {
  kind: string;
  /** Lowercase names accepted on the command line (the first is the canonical one). */
  names: string[];
  get(api: Api, workspace: string, name: string): Promise<Row | null>;
  list(api: Api, workspace: string): Promise<Row[]>;
  /** Deletes; says what happened (`deleted`, or `deleting` when the workers tear it down first). */
  remove(api: Api, workspace: string, name: string): Promise<'deleted' | 'deleting'>;
  columns: Column[];
}

const PAGE_SIZE = 100;

/** Every page of a list, in order. */
async function allPages<T>(fetchPage: (page: number) => Promise<{ data: T[]; pagination: Schemas['PaginationDto'] }>) {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const { data, pagination } = await fetchPage(page);
    rows.push(...data);
    if (page >= pagination.total_pages || data.length === 0) return rows;
  }
}

const ws = (workspace: string, name: string) => ({ params: { path: { workspace, name } } });
const listQuery = (workspace: string, page: number) => ({
  params: { path: { workspace }, query: { page, page_size: PAGE_SIZE } },
});
const age = (row: Row) => since(row.created_at);
const asRows = <T>(rows: T[]) => rows as unknown as Row[];

export const deploymentConfigs: ResourceKind = {
  kind: 'DeploymentConfig',
  names: [
    'deploymentconfig',
    'deploymentconfigs',
    'deployment-config',
    'deployment-configs',
    'config',
    'configs',
    'dc',
  ],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/deployment-configs/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/deployment-configs', listQuery(w, page))))),
  remove: async (api, w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}/deployment-configs/{name}', ws(w, n)));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['VERSION', (r) => r.entity_version],
    ['ENGINE', (r) => r.engine],
    ['MODEL', (r) => (r.model_spec as Row | undefined)?.model_name],
    ['GPU', (r) => (r.executor_config as Row | undefined)?.gpu],
    ['AGE', age],
  ],
};

export const deployments: ResourceKind = {
  kind: 'Deployment',
  names: ['deployment', 'deployments', 'deploy'],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/deployments/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/deployments', listQuery(w, page))))),
  remove: async (api, w, n) => {
    const { response, error } = await api.DELETE('/v2/workspaces/{workspace}/deployments/{name}', ws(w, n));
    if (response.status === 202) return 'deleting';
    if (response.ok) return 'deleted';
    return ok(Promise.resolve({ response, error }));
  },
  columns: [
    ['NAME', (r) => r.name],
    ['VERSION', (r) => r.entity_version],
    ['CONFIG', (r) => `${String(r.config)} v${String(r.config_version)}`],
    ['STATUS', (r) => r.status],
    ['MESSAGE', (r) => firstLine(r.status_message)],
    ['AGE', age],
  ],
};

export const providers: ResourceKind = {
  kind: 'Provider',
  names: ['provider', 'providers'],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/providers/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/providers', listQuery(w, page))))),
  remove: async (api, w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}/providers/{name}', ws(w, n)));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['STATUS', (r) => r.status],
    ['HOST', (r) => r.host_url],
    ['MODELS', (r) => ((r.served_models as Row[] | undefined) ?? []).map((m) => m.served_model_name).join(',')],
    ['AGE', age],
  ],
};

export const models: ResourceKind = {
  kind: 'Model',
  names: ['model', 'models'],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/models/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/models', listQuery(w, page))))),
  remove: async (api, w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}/models/{name}', ws(w, n)));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['BASE', (r) => r.base_model],
    ['PROVIDERS', (r) => ((r.model_providers as string[] | undefined) ?? []).join(',')],
    ['AGE', age],
  ],
};

export const secrets: ResourceKind = {
  kind: 'Secret',
  names: ['secret', 'secrets'],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/secrets/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/secrets', listQuery(w, page))))),
  remove: async (api, w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}/secrets/{name}', ws(w, n)));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['DESCRIPTION', (r) => r.description],
    ['UPDATED', (r) => since(r.updated_at)],
  ],
};

export const virtualModels: ResourceKind = {
  kind: 'VirtualModel',
  names: ['virtualmodel', 'virtualmodels', 'virtual-model', 'virtual-models', 'vm'],
  get: (api, w, n) => found(api.GET('/v2/workspaces/{workspace}/virtual-models/{name}', ws(w, n))),
  list: async (api, w) =>
    asRows(await allPages((page) => ok(api.GET('/v2/workspaces/{workspace}/virtual-models', listQuery(w, page))))),
  remove: async (api, w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}/virtual-models/{name}', ws(w, n)));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['DEFAULT', (r) => r.default_model_entity],
    [
      'MIDDLEWARE',
      (r) =>
        ['request_middleware', 'response_middleware', 'post_response_middleware']
          .flatMap((k) => ((r[k] as Row[] | undefined) ?? []).map((m) => m.config_type))
          .join(','),
    ],
    ['VERSION', (r) => r.db_version],
    ['AGE', age],
  ],
};

/** Workspaces are not in a workspace: the workspace argument is ignored. */
export const workspaces: ResourceKind = {
  kind: 'Workspace',
  names: ['workspace', 'workspaces', 'ws'],
  get: (api, _w, n) => found(api.GET('/v2/workspaces/{workspace}', { params: { path: { workspace: n } } })),
  list: async (api) =>
    asRows(
      await allPages((page) => ok(api.GET('/v2/workspaces', { params: { query: { page, page_size: PAGE_SIZE } } }))),
    ),
  remove: async (api, _w, n) => {
    await ok(api.DELETE('/v2/workspaces/{workspace}', { params: { path: { workspace: n } } }));
    return 'deleted';
  },
  columns: [
    ['NAME', (r) => r.name],
    ['DESCRIPTION', (r) => r.description],
    ['AGE', age],
  ],
};

export const KINDS: ResourceKind[] = [
  deploymentConfigs,
  deployments,
  providers,
  models,
  secrets,
  virtualModels,
  workspaces,
];

/** The kind a command-line word names (`deployments`, `deploy`, `Deployment`, `dc`…). */
export function kindNamed(word: string): ResourceKind {
  const lower = word.toLowerCase();
  const kind = KINDS.find((k) => k.names.includes(lower) || k.kind.toLowerCase() === lower);
  if (!kind) throw new UsageError(`unknown kind "${word}" (one of: ${KINDS.map((k) => k.names[0]).join(', ')})`);
  return kind;
}

/** `kind/name` or `kind name` on the command line. */
export function kindAndName(first: string, second?: string): { kind: ResourceKind; name?: string } {
  if (first.includes('/') && second === undefined) {
    const [k, ...rest] = first.split('/');
    return { kind: kindNamed(k), name: rest.join('/') };
  }
  return { kind: kindNamed(first), name: second };
}

function firstLine(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const line = text.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** How long ago, the way kubectl says it: 45s, 12m, 3h, 5d. */
export function since(value: unknown, now = Date.now()): string {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) return '';
  return duration(Math.max(0, now - t));
}

export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d`;
}
