import { Injectable } from '@nestjs/common';
import { AccessService, actorId, currentAccess, principalProblem, type WorkspaceRole } from '#auth';
import { RoleBindingRepository, WorkspaceRepository, type MemberRow } from '#db';
import { InvalidFieldError } from '#domain';
import { deleted, type DeleteResponseDto } from '../common/delete-response.js';
import type { MemberDto, MemberInputDto, MemberListDto, MemberUpdateDto } from './member.dto.js';

const DEFAULT_ROLES: WorkspaceRole[] = ['Editor'];

/**
 * A workspace's members: its role bindings grouped by principal. Every write reloads this replica's
 * access snapshot before answering, so the caller's next request sees it (other replicas follow the
 * access_changed notification). The last Admin is kept by the repository, under the workspace's lock.
 */
@Injectable()
export class MemberService {
  constructor(
    private readonly bindings: RoleBindingRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly access: AccessService,
  ) {}

  async list(workspace: string): Promise<MemberListDto> {
    await this.workspaces.assertExists(workspace);
    const rows = await this.bindings.listMembers(workspace);
    return { data: rows.map(presentMember) };
  }

  async add(workspace: string, dto: MemberInputDto): Promise<MemberDto> {
    const problem = principalProblem(dto.principal, true);
    if (problem !== null) throw new InvalidFieldError(['body', 'principal'], `principal ${problem}`);
    noteResource(dto.principal);
    const row = await this.bindings.addMember({
      workspace,
      principal: dto.principal,
      roles: unique(dto.roles ?? DEFAULT_ROLES),
      grantedBy: actorId(),
    });
    await this.access.reload();
    return presentMember(row);
  }

  async update(workspace: string, principal: string, dto: MemberUpdateDto): Promise<MemberDto> {
    const row = await this.bindings.setMemberRoles({
      workspace,
      principal,
      roles: unique(dto.roles),
      grantedBy: actorId(),
    });
    await this.access.reload();
    return presentMember(row);
  }

  async remove(workspace: string, principal: string): Promise<DeleteResponseDto> {
    await this.bindings.removeMember(workspace, principal);
    await this.access.reload();
    return deleted(principal);
  }
}

function presentMember(row: MemberRow): MemberDto {
  return {
    principal: row.principal,
    roles: row.roles as WorkspaceRole[],
    granted_at: row.grantedAt.toISOString(),
    granted_by: row.grantedBy,
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The audit event names the member added (the route has no `:principal` to take it from). */
function noteResource(principal: string): void {
  const access = currentAccess();
  if (access) access.resource = principal;
}
