/**
 * Who may do what: the one table every route's declaration points into, which the guard enforces, the
 * permission matrix test reads, and the README's permission table is generated from.
 *
 * A principal's role in a workspace is the highest role bound to it there (directly, through a group,
 * or through `*`); PlatformAdmin (bound with no workspace) holds every permission everywhere. An API
 * key narrows what its principal may do: to its scopes, and to its workspace when it names one.
 */
export const ROLES = ['Viewer', 'Editor', 'Admin', 'PlatformAdmin'] as const;
export type Role = (typeof ROLES)[number];
/** Roles bound in a workspace (PlatformAdmin is bound platform-wide). */
export const WORKSPACE_ROLES = ['Viewer', 'Editor', 'Admin'] as const satisfies readonly Role[];
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const SCOPES = ['read', 'write', 'inference', 'admin', 'metrics'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * What a scope lets a key do: `write` includes `read`; `admin` includes `read`, `write` and `metrics`;
 * `inference` only calls models; `metrics` only reads `/metrics` (a Prometheus scraper's key).
 */
const SCOPE_COVERS: Record<Scope, readonly Scope[]> = {
  read: ['read'],
  write: ['read', 'write'],
  inference: ['inference'],
  admin: ['read', 'write', 'admin', 'metrics'],
  metrics: ['metrics'],
};

export function scopesAllow(scopes: readonly Scope[], needed: Scope): boolean {
  return scopes.some((s) => SCOPE_COVERS[s].includes(needed));
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

interface PermissionSpec {
  /** The least role that holds it; `authenticated`: any known principal (the handler may narrow further). */
  role: Role | 'authenticated';
  /** The key scope it needs. */
  scope: Scope;
  /** In a workspace (the route's `:workspace`), or platform-wide. */
  workspaced: boolean;
  /** One line for the README's table. */
  what: string;
}

export const PERMISSIONS = {
  'workspace.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read a workspace' },
  'workspace.create': {
    role: 'authenticated',
    scope: 'write',
    workspaced: false,
    what: 'Create a workspace (its creator becomes its Admin)',
  },
  'workspace.list': {
    role: 'authenticated',
    scope: 'read',
    workspaced: false,
    what: 'List workspaces (only those the caller has a role in)',
  },
  'workspace.update': {
    role: 'Admin',
    scope: 'write',
    workspaced: true,
    what: "Change a workspace's description (PUT, as NeMo's entity store)",
  },
  'workspace.delete': { role: 'Admin', scope: 'admin', workspaced: true, what: 'Delete a workspace' },
  'members.read': { role: 'Viewer', scope: 'read', workspaced: true, what: "List a workspace's members" },
  'members.write': { role: 'Admin', scope: 'admin', workspaced: true, what: 'Add, change and remove members' },
  'secrets.read': { role: 'Editor', scope: 'read', workspaced: true, what: "Read secrets' metadata (never values)" },
  'secrets.write': { role: 'Admin', scope: 'admin', workspaced: true, what: 'Create, change and delete secrets' },
  'models.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read model entities' },
  'models.write': {
    role: 'Editor',
    scope: 'write',
    workspaced: true,
    what: 'Create, change and delete model entities',
  },
  'adapters.read': { role: 'Viewer', scope: 'read', workspaced: true, what: "Read model entities' adapters" },
  'adapters.write': {
    role: 'Editor',
    scope: 'write',
    workspaced: true,
    what: 'Create, change and delete adapters (on a model of another workspace: with models.read there)',
  },
  'virtual-models.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read virtual models' },
  'virtual-models.write': {
    role: 'Editor',
    scope: 'write',
    workspaced: true,
    what: 'Create, change and delete virtual models (routing policies)',
  },
  'providers.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read model providers' },
  'providers.write': {
    role: 'Admin',
    scope: 'admin',
    workspaced: true,
    what: 'Create, change and delete model providers (a provider spends money and holds a key)',
  },
  'deployment-configs.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read deployment configs' },
  'deployment-configs.write': {
    role: 'Editor',
    scope: 'write',
    workspaced: true,
    what: 'Create versions of and delete deployment configs',
  },
  'deployments.read': { role: 'Viewer', scope: 'read', workspaced: true, what: 'Read deployments' },
  'deployments.write': {
    role: 'Editor',
    scope: 'write',
    workspaced: true,
    what: 'Create, roll out, update the status of and delete deployments',
  },
  inference: {
    role: 'Viewer',
    scope: 'inference',
    workspaced: true,
    what: "Call the workspace's models through the inference gateway",
  },
  'usage.read': {
    role: 'Viewer',
    scope: 'read',
    workspaced: true,
    what: "Read the workspace's inference usage (requests, tokens, cost) per model, provider, key and principal",
  },
  'audit.read': { role: 'Admin', scope: 'admin', workspaced: true, what: "Read the workspace's audit events" },
  'api-keys.manage': {
    role: 'authenticated',
    scope: 'admin',
    workspaced: false,
    what: "Issue, list, rotate and revoke one's own API keys (PlatformAdmin: anyone's)",
  },
  'metrics.read': {
    role: 'PlatformAdmin',
    scope: 'metrics',
    workspaced: false,
    what: "Read `/metrics` of the API, the gateway and the worker (for a scraper: a PlatformAdmin's key with only the `metrics` scope)",
  },
  'platform.admin': {
    role: 'PlatformAdmin',
    scope: 'admin',
    workspaced: false,
    what: 'Role bindings, the audit log of every workspace, rotating the encryption keys',
  },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;

export function permissionSpec(permission: Permission): PermissionSpec {
  return PERMISSIONS[permission];
}

/** Whether holding `role` in a workspace grants `permission` there (scopes aside). */
export function roleGrants(role: Role | null, permission: Permission): boolean {
  const needed = PERMISSIONS[permission].role;
  if (role === 'PlatformAdmin') return true;
  if (needed === 'authenticated') return true;
  return role !== null && roleRank(role) >= roleRank(needed);
}
