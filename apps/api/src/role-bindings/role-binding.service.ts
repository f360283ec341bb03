import { Injectable } from '@nestjs/common';
import { AccessService, actorId, EVERYONE, principalProblem, ROLES, type Role } from '#auth';
import { filterFields, ROLE_BINDING_SORTABLE, RoleBindingRepository, type Page, type RoleBinding } from '#db';
import { InvalidFieldError, NotFoundError } from '#domain';
import { deleted, type DeleteResponseDto } from '../common/delete-response.js';
import { listPage, toListQuery } from '../common/list.js';
import type { RoleBindingDto, RoleBindingInputDto, RoleBindingListQueryDto } from './role-binding.dto.js';

const FILTER = filterFields({
  id: 'string',
  principal: 'string',
  role: { column: 'role', type: 'enum', values: ROLES },
  workspace: 'string',
  granted_by: 'string',
  granted_at: 'datetime',
});

export type RoleBindingPage = Page<RoleBindingDto>;

/**
 * Role bindings across the platform (PlatformAdmin only; workspace Admins manage theirs as members).
 * Writes reload this replica's access snapshot before answering.
 */
@Injectable()
export class RoleBindingService {
  constructor(
    private readonly bindings: RoleBindingRepository,
    private readonly access: AccessService,
  ) {}

  async list(dto: RoleBindingListQueryDto): Promise<RoleBindingPage> {
    const query = toListQuery(dto, { filter: FILTER, sortable: ROLE_BINDING_SORTABLE });
    const { rows, total } = await this.bindings.list(query);
    return listPage(rows.map(presentBinding), total, query);
  }

  async get(id: string): Promise<RoleBindingDto> {
    const row = await this.bindings.findById(id);
    if (!row) throw new NotFoundError('role_binding', id);
    return presentBinding(row);
  }

  async create(dto: RoleBindingInputDto): Promise<RoleBindingDto> {
    const workspace = checkInput(dto);
    const row = await this.bindings.create({
      workspace,
      principal: dto.principal,
      role: dto.role,
      grantedBy: actorId(),
    });
    await this.access.reload();
    return presentBinding(row);
  }

  async delete(id: string): Promise<DeleteResponseDto> {
    await this.bindings.delete(id);
    await this.access.reload();
    return deleted(id);
  }
}

/** The binding's workspace (null for PlatformAdmin), or a 422 naming the field at fault. */
function checkInput(dto: RoleBindingInputDto): string | null {
  const problem = principalProblem(dto.principal, true);
  if (problem !== null) throw new InvalidFieldError(['body', 'principal'], `principal ${problem}`);
  const platform: Role = 'PlatformAdmin';
  if (dto.role === platform) {
    if (dto.workspace !== undefined && dto.workspace !== null) {
      throw new InvalidFieldError(['body', 'workspace'], 'PlatformAdmin is granted platform-wide: omit workspace');
    }
    // Every authenticated principal a PlatformAdmin is authentication without authorization: refuse it.
    if (dto.principal === EVERYONE) {
      throw new InvalidFieldError(['body', 'principal'], "PlatformAdmin cannot be granted to '*'");
    }
    return null;
  }
  if (dto.workspace === undefined || dto.workspace === null || dto.workspace === '') {
    throw new InvalidFieldError(['body', 'workspace'], `workspace is required for the ${dto.role} role`);
  }
  return dto.workspace;
}

function presentBinding(row: RoleBinding): RoleBindingDto {
  return {
    id: row.id,
    name: row.id,
    principal: row.principal,
    workspace: row.workspace,
    role: row.role,
    granted_by: row.grantedBy,
    granted_at: row.grantedAt.toISOString(),
    revoked_at: null,
  };
}
