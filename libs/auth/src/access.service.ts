import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AccessConfig } from '#config';
import { AccessRepository, PgNotifications } from '#db';
import { CoalescedTask, ForbiddenError, TooManyAuthFailuresError, UnauthenticatedError } from '#domain';
import { AccessSnapshot, type KeyEntry } from './access-snapshot.js';
import { bootstrapAdmin } from './admin-bootstrap.js';
import { apiKeyMatches, apiKeyPrefix, BOOTSTRAP_PREFIX } from './api-key.js';
import { FailureLimiter } from './failure-limiter.js';
import { OidcTokenError, OidcVerifier } from './oidc.js';
import {
  PERMISSIONS,
  roleGrants,
  scopesAllow,
  SCOPES,
  WORKSPACE_ROLES,
  type Permission,
  type Scope,
  type WorkspaceRole,
} from './permissions.js';
import { ANONYMOUS, bindingSubjects, principalKind, type Principal } from './principal.js';

/** Where the database announces a change to keys or role bindings (see the access_control migration). */
export const ACCESS_CHANNEL = 'access_changed';
export const ACCESS_OPTIONS = Symbol('AccessOptions');
export interface AccessOptions {
  /** Create the first PlatformAdmin when there is none (the API; the gateway only reads). */
  bootstrap: boolean;
  /**
   * Start without waiting for keys and bindings (the worker, whose start must not depend on them): until
   * the first load, every credential is refused; a failed load is retried when the notifications reconnect.
   */
  background?: boolean;
}

/** How often key uses are written back (last_used_at is accurate to this). */
const TOUCH_INTERVAL_MS = 5_000;

/**
 * Authentication and authorization for a process that serves requests (the API, the gateway). Keys and
 * role bindings are held in memory, reloaded when ACCESS_CHANNEL says they changed (and every
 * AUTH_REFRESH_INTERVAL_MS in any case), so a request never waits on the database and a revoked key is
 * refused by every replica as soon as the notification arrives.
 */
@Injectable()
export class AccessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Access');
  private snapshot = AccessSnapshot.EMPTY;
  private readonly limiter: FailureLimiter;
  private readonly oidc: OidcVerifier | null;
  private readonly uses = new Map<string, Date>();
  private readonly authenticated = new WeakMap<IncomingMessage, Principal>();
  private readonly reloads = new CoalescedTask(() => this.load());
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly config: AccessConfig,
    private readonly repository: AccessRepository,
    private readonly notifications: PgNotifications,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {
    this.limiter = new FailureLimiter(config.AUTH_FAILURE_LIMIT);
    this.oidc = config.OIDC_ISSUER
      ? new OidcVerifier({
          issuer: config.OIDC_ISSUER,
          audience: (config.OIDC_AUDIENCE ?? '')
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
          jwksUri: config.OIDC_JWKS_URI,
          groupsClaim: config.OIDC_GROUPS_CLAIM,
        })
      : null;
  }

  get oidcVerifier(): OidcVerifier | null {
    return this.oidc;
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.AUTH_ENABLED) {
      this.logger.warn(
        'AUTH_ENABLED=false: every request is served as a PlatformAdmin without credentials. ' +
          'Run like this only on a machine no one else can reach.',
      );
      return;
    }
    this.unsubscribe = this.notifications.subscribe(ACCESS_CHANNEL, {
      notify: () => void this.reload().catch((e: Error) => this.logger.error(`Reload failed: ${e.message}`)),
      reconnected: () => void this.reload().catch((e: Error) => this.logger.error(`Reload failed: ${e.message}`)),
    });
    if (this.options.background) {
      const failed = (e: Error) => this.logger.warn(`Keys and role bindings not loaded yet: ${e.message}`);
      void this.notifications
        .start()
        .then(() => this.reload(), failed)
        .catch(failed);
    } else {
      await this.notifications.start();
      if (this.options.bootstrap) await bootstrapAdmin(this.config, this.repository, this.logger);
      await this.reload();
    }
    const refresh = setInterval(() => void this.reload().catch(() => undefined), this.config.AUTH_REFRESH_INTERVAL_MS);
    const touch = setInterval(() => void this.flushUses(), TOUCH_INTERVAL_MS);
    for (const t of [refresh, touch]) t.unref();
    this.timers.push(refresh, touch);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    await this.reloads.pending?.catch(() => undefined);
    await this.flushUses();
  }

  /** Reloads keys and bindings now (coalescing with a reload under way: one more runs after it). */
  reload(): Promise<void> {
    return this.reloads.run();
  }

  private async load(): Promise<void> {
    const [keys, bindings] = await Promise.all([this.repository.loadKeys(), this.repository.loadBindings()]);
    this.snapshot = new AccessSnapshot(
      keys.map((k): KeyEntry => ({
        id: k.id,
        prefix: k.prefix,
        hash: Buffer.from(k.keyHash),
        principal: k.principal,
        workspace: k.workspace,
        scopes: k.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
        expiresAt: k.expiresAt ? k.expiresAt.getTime() : null,
        revoked: k.revoked,
      })),
      bindings,
    );
  }

  /**
   * The principal of a request, authenticated once per request (the API authenticates before the body is
   * read, in an onRequest hook, and the guard then finds it here).
   */
  async authenticateRequest(request: {
    raw: IncomingMessage;
    headers: IncomingHttpHeaders;
    ip: string;
  }): Promise<Principal> {
    const known = this.authenticated.get(request.raw);
    if (known) return known;
    const principal = await this.authenticate(request.headers.authorization, request.ip);
    this.authenticated.set(request.raw, principal);
    return principal;
  }

  /**
   * The principal an `Authorization` header proves, or a 401 saying why none. `address` is the client's,
   * for the failure limit (429 once it is reached, before any credential is looked at).
   */
  async authenticate(authorization: string | undefined, address: string, now = Date.now()): Promise<Principal> {
    if (!this.config.AUTH_ENABLED) return ANONYMOUS;
    const wait = this.limiter.retryAfter(address, now);
    if (wait > 0) throw new TooManyAuthFailuresError(wait);
    try {
      return await this.identify(authorization, now);
    } catch (error) {
      if (error instanceof UnauthenticatedError) this.limiter.fail(address, now);
      throw error;
    }
  }

  private async identify(authorization: string | undefined, now: number): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new UnauthenticatedError(
        'missing',
        'Authentication required: send Authorization: Bearer <API key or token>',
      );
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) {
      throw new UnauthenticatedError('malformed', 'The Authorization header must be "Bearer <API key or token>"');
    }
    const token = match[1];
    const prefix = apiKeyPrefix(token);
    if (prefix !== null) return this.fromKey(this.snapshot.key(prefix), token, now);
    if (this.oidc && OidcVerifier.looksLikeJwt(token)) return this.fromToken(token);
    const bootstrap = this.snapshot.key(BOOTSTRAP_PREFIX);
    if (bootstrap) return this.fromKey(bootstrap, token, now);
    throw new UnauthenticatedError('invalid', 'The bearer credential is not a valid API key or token');
  }

  private fromKey(key: KeyEntry | undefined, token: string, now: number): Principal {
    // The hash is compared even for an unknown prefix, so timing does not tell known prefixes apart.
    const matches = apiKeyMatches(token, key?.hash ?? UNKNOWN_HASH);
    if (!key || !matches) throw new UnauthenticatedError('invalid', 'The API key is not valid');
    if (key.revoked) throw new UnauthenticatedError('revoked', `API key ${key.id} has been revoked`);
    if (key.expiresAt !== null && key.expiresAt <= now) {
      throw new UnauthenticatedError(
        'expired',
        `API key ${key.id} expired at ${new Date(key.expiresAt).toISOString()}`,
      );
    }
    this.uses.set(key.id, new Date(now));
    return {
      id: key.principal,
      kind: principalKind(key.principal),
      email: null,
      groups: [],
      via: 'api_key',
      keyId: key.id,
      keyWorkspace: key.workspace,
      scopes: key.scopes,
    };
  }

  private async fromToken(token: string): Promise<Principal> {
    try {
      const identity = await this.oidc!.verify(token);
      return {
        id: identity.subject,
        kind: 'user',
        email: identity.email,
        groups: identity.groups,
        via: 'oidc',
        keyId: null,
        keyWorkspace: null,
        scopes: null,
      };
    } catch (error) {
      if (!(error instanceof OidcTokenError)) throw error;
      throw new UnauthenticatedError(
        error.reason === 'expired' ? 'expired' : 'invalid',
        `Bearer token refused: ${error.message}`,
      );
    }
  }

  /** Whether the principal is a PlatformAdmin (and not through a key narrowed to one workspace). */
  isPlatformAdmin(principal: Principal): boolean {
    if (principal.via === 'anonymous') return true;
    return principal.keyWorkspace === null && this.snapshot.isPlatformAdmin(bindingSubjects(principal));
  }

  /**
   * Refuses (403) unless `principal` holds `permission` in `workspace` (null or `-` for a platform-wide
   * permission, or a list across workspaces, which is filtered instead: see allowedWorkspaces).
   */
  authorize(principal: Principal, permission: Permission, workspace: string | null): void {
    if (principal.via === 'anonymous') return;
    const spec = PERMISSIONS[permission];
    if (principal.scopes && !scopesAllow(principal.scopes, spec.scope)) {
      throw new ForbiddenError(
        `API key ${principal.keyId} has scopes [${principal.scopes.join(', ')}]; '${permission}' needs the '${spec.scope}' scope`,
        'auth/scope_missing',
      );
    }
    if (spec.workspaced && workspace !== null && workspace !== '-') {
      if (principal.keyWorkspace !== null && principal.keyWorkspace !== workspace) {
        throw new ForbiddenError(
          `API key ${principal.keyId} is restricted to workspace '${principal.keyWorkspace}'; it cannot act in workspace '${workspace}'`,
          'auth/key_workspace',
        );
      }
      const role = this.snapshot.roleIn(bindingSubjects(principal), workspace);
      if (!roleGrants(role, permission)) {
        throw new ForbiddenError(
          `Principal '${principal.id}' lacks permission '${permission}' in workspace '${workspace}'` +
            ` (it needs the ${spec.role} role${role ? `; it has ${role}` : ''})`,
        );
      }
      return;
    }
    if (spec.workspaced) return; // a list across workspaces: filtered by allowedWorkspaces
    // Listing workspaces and managing the key's own workspace's keys (the handler narrows both) stay open.
    if (principal.keyWorkspace !== null && permission !== 'workspace.list' && permission !== 'api-keys.manage') {
      throw new ForbiddenError(
        `API key ${principal.keyId} is restricted to workspace '${principal.keyWorkspace}'; '${permission}' is platform-wide`,
        'auth/key_workspace',
      );
    }
    if (spec.role === 'PlatformAdmin' && !this.isPlatformAdmin(principal)) {
      throw new ForbiddenError(`Principal '${principal.id}' lacks permission '${permission}' (it needs PlatformAdmin)`);
    }
  }

  /** The workspaces whose rows a list may show the principal for `permission`; `all` for a PlatformAdmin. */
  allowedWorkspaces(principal: Principal, permission: Permission): string[] | 'all' {
    if (this.isPlatformAdmin(principal)) return 'all';
    const needed = PERMISSIONS[permission].role;
    const least: WorkspaceRole = needed === 'Editor' || needed === 'Admin' ? needed : 'Viewer';
    const workspaces = this.snapshot.workspacesWith(bindingSubjects(principal), least);
    return principal.keyWorkspace === null ? workspaces : workspaces.filter((w) => w === principal.keyWorkspace);
  }

  /** The highest role the principal holds in each workspace it has one in (for whoami), within its key's workspace. */
  rolesOf(principal: Principal): Record<string, WorkspaceRole> {
    const subjects = bindingSubjects(principal);
    const roles: Record<string, WorkspaceRole> = {};
    for (const role of WORKSPACE_ROLES) {
      for (const workspace of this.snapshot.workspacesWith(subjects, role)) {
        if (principal.keyWorkspace === null || principal.keyWorkspace === workspace) roles[workspace] = role;
      }
    }
    return roles;
  }

  private async flushUses(): Promise<void> {
    if (this.uses.size === 0) return;
    const batch = [...this.uses].map(([id, at]) => ({ id, at }));
    this.uses.clear();
    await this.repository
      .touchKeys(batch)
      .catch((e: Error) => this.logger.warn(`Could not record API key use: ${e.message}`));
  }
}

const UNKNOWN_HASH = Buffer.alloc(32);
