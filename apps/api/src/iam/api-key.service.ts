import { Injectable } from '@nestjs/common';
import {
  AccessService,
  ANONYMOUS,
  actorId,
  currentAccess,
  generateApiKey,
  principalKind,
  principalProblem,
  scopesAllow,
  type Principal,
  type Scope,
} from '#auth';
import { AccessConfig } from '#config';
import {
  AccessRepository,
  API_KEY_SORTABLE,
  ApiKeyRepository,
  filterFields,
  WorkspaceRepository,
  type ApiKeyMeta,
  type NewApiKeyRow,
  type Page,
} from '#db';
import { ApiKeyStateError, ForbiddenError, InvalidFieldError, newId, NotFoundError } from '#domain';
import { listPage, toListQuery, type ListQueryDto } from '../common/list.js';
import { compact, iso } from '../common/present.js';
import type { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto, RotateApiKeyDto, WhoAmIDto } from './api-key.dto.js';

const FILTER = filterFields({
  name: 'string',
  principal: 'string',
  workspace: 'string',
  created_at: 'datetime',
  expires_at: 'datetime',
  last_used_at: 'datetime',
});

/**
 * API keys: a principal manages its own, a PlatformAdmin anyone's. Another principal's key is answered
 * 404, as if it did not exist. A key never gets more than the credential that issues it: no scope that
 * credential lacks, no workspace other than the one it is restricted to. After every write this replica
 * reloads its keys at once (the others follow the access_changed notification).
 */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly principals: AccessRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly access: AccessService,
    private readonly config: AccessConfig,
  ) {}

  async create(dto: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    const caller = callerOf();
    const principal = dto.principal ?? caller.id;
    const problem = principalProblem(principal, false);
    if (problem) throw new InvalidFieldError(['body', 'principal'], `principal ${problem}`);
    if (principal !== caller.id && !this.access.isPlatformAdmin(caller)) {
      throw new ForbiddenError(
        `Principal '${caller.id}' may issue API keys only for itself; keys for '${principal}' need PlatformAdmin`,
        'auth/not_key_owner',
      );
    }
    const scopes = dto.scopes;
    this.checkScopes(caller, scopes);
    const workspace = dto.workspace ?? null;
    await this.checkWorkspace(caller, workspace);
    let expiresAt: Date | null = null;
    if (dto.expires_at !== undefined) {
      expiresAt = new Date(dto.expires_at);
      if (!(expiresAt.getTime() > Date.now())) {
        throw new InvalidFieldError(['body', 'expires_at'], 'expires_at must be in the future');
      }
    }
    await this.principals.ensurePrincipal(principal, principalKind(principal), actorId());
    const { row, key } = newKeyRow({ name: dto.name, principal, workspace, scopes, expiresAt });
    const created = await this.keys.create(row);
    await this.access.reload();
    return { ...presentApiKey(created), key };
  }

  async list(dto: ListQueryDto): Promise<Page<ApiKeyDto>> {
    const query = toListQuery(dto, { filter: FILTER, sortable: API_KEY_SORTABLE });
    const caller = callerOf();
    if (!this.access.isPlatformAdmin(caller)) {
      const own: Record<string, unknown> = { principal: caller.id };
      if (caller.keyWorkspace !== null) own.workspace = caller.keyWorkspace;
      query.filter = query.filter ? { $and: [query.filter, own] } : own;
    }
    const { rows, total } = await this.keys.list(query);
    return listPage(rows.map(presentApiKey), total, query);
  }

  async get(id: string): Promise<ApiKeyDto> {
    return presentApiKey(await this.visible(id));
  }

  /**
   * A new key with the old one's name, principal, workspace, scopes and expiry; the old one works on for
   * the grace period (never past its own expiry). Refused (409) for a revoked, replaced or expired key.
   */
  async rotate(id: string, dto: RotateApiKeyDto): Promise<IssuedApiKeyDto> {
    const old = await this.visible(id);
    const caller = callerOf();
    this.checkScopes(caller, old.scopes as Scope[]);
    const now = new Date();
    const grace = dto.grace_period_seconds ?? this.config.API_KEY_ROTATION_GRACE_SECONDS;
    const { row, key } = newKeyRow({ ...old, scopes: old.scopes as Scope[] });
    const result = await this.keys.rotate(id, row, now, new Date(now.getTime() + grace * 1000));
    if ('refused' in result) {
      if (result.refused === 'missing') throw new NotFoundError('api_key', id);
      throw new ApiKeyStateError(id, result.refused);
    }
    await this.access.reload();
    return { ...presentApiKey(result.created), key };
  }

  /** Revokes at once on this replica; revoking a revoked key is a no-op that answers 204 again. */
  async revoke(id: string): Promise<void> {
    await this.visible(id);
    if (!(await this.keys.revoke(id, actorId(), new Date()))) throw new NotFoundError('api_key', id);
    await this.access.reload();
  }

  whoami(): WhoAmIDto {
    const caller = callerOf();
    return compact({
      principal: caller.id,
      kind: caller.kind,
      email: caller.email ?? undefined,
      groups: [...caller.groups],
      via: caller.via,
      key_id: caller.keyId ?? undefined,
      key_workspace: caller.keyWorkspace ?? undefined,
      scopes: caller.scopes ? [...caller.scopes] : undefined,
      platform_admin: this.access.isPlatformAdmin(caller),
      roles: this.access.rolesOf(caller),
    });
  }

  /**
   * The key, if the caller may see it: its own (of its workspace, for a key restricted to one), or any
   * for a PlatformAdmin; else 404.
   */
  private async visible(id: string): Promise<ApiKeyMeta> {
    const caller = callerOf();
    const row = await this.keys.findById(id);
    const own =
      row !== null &&
      row.principal === caller.id &&
      (caller.keyWorkspace === null || row.workspace === caller.keyWorkspace);
    if (!row || (!own && !this.access.isPlatformAdmin(caller))) throw new NotFoundError('api_key', id);
    return row;
  }

  /** A key's scopes must all be within the issuing credential's (an OIDC token is not narrowed). */
  private checkScopes(caller: Principal, scopes: readonly Scope[]): void {
    if (!caller.scopes) return;
    const beyond = scopes.filter((s) => !scopesAllow(caller.scopes!, s));
    if (beyond.length > 0) {
      throw new ForbiddenError(
        `API key ${caller.keyId} has scopes [${caller.scopes.join(', ')}]; it cannot issue a key with the ` +
          `'${beyond.join("', '")}' scope`,
        'auth/scope_missing',
      );
    }
  }

  /**
   * The workspace must exist, and be one the caller may see (404 either way, so its existence is not
   * told); a key restricted to a workspace issues keys for that workspace only.
   */
  private async checkWorkspace(caller: Principal, workspace: string | null): Promise<void> {
    if (caller.keyWorkspace !== null && workspace !== caller.keyWorkspace) throw keyWorkspaceError(caller);
    if (workspace === null) return;
    const visible = this.access.allowedWorkspaces(caller, 'workspace.read');
    if ((visible !== 'all' && !visible.includes(workspace)) || !(await this.workspaces.exists(workspace))) {
      throw new NotFoundError('workspace', workspace);
    }
  }
}

/** The caller the guard found (every route here needs one; with authentication off, ANONYMOUS). */
function callerOf(): Principal {
  return currentAccess()?.principal ?? ANONYMOUS;
}

function keyWorkspaceError(caller: Principal): ForbiddenError {
  return new ForbiddenError(
    `API key ${caller.keyId} is restricted to workspace '${caller.keyWorkspace}'; ` +
      `it can only issue keys restricted to that workspace`,
    'auth/key_workspace',
  );
}

function newKeyRow(key: {
  name: string;
  principal: string;
  workspace: string | null;
  scopes: Scope[];
  expiresAt: Date | null;
}): { row: NewApiKeyRow; key: string } {
  const generated = generateApiKey();
  return {
    key: generated.key,
    row: {
      id: newId('apikey'),
      name: key.name,
      principal: key.principal,
      workspace: key.workspace,
      scopes: [...key.scopes],
      prefix: generated.prefix,
      hash: generated.hash,
      expiresAt: key.expiresAt,
      createdBy: actorId(),
    },
  };
}

export function presentApiKey(k: ApiKeyMeta): ApiKeyDto {
  return compact({
    id: k.id,
    name: k.name,
    principal: k.principal,
    workspace: k.workspace ?? undefined,
    scopes: [...k.scopes],
    // The bootstrap key (MODELPLANE_BOOTSTRAP_ADMIN_KEY) is not of the mp_ format: its prefix is a label.
    prefix: /^[0-9a-f]{12}$/.test(k.prefix) ? `mp_${k.prefix}` : k.prefix,
    created_at: iso(k.createdAt),
    created_by: k.createdBy,
    expires_at: k.expiresAt ? iso(k.expiresAt) : undefined,
    last_used_at: k.lastUsedAt ? iso(k.lastUsedAt) : undefined,
    revoked_at: k.revokedAt ? iso(k.revokedAt) : undefined,
    revoked_by: k.revokedBy ?? undefined,
    replaced_by: k.replacedBy ?? undefined,
  });
}
