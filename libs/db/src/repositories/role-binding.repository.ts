import { Injectable } from '@nestjs/common';
import {
  LastAdminError,
  LastPlatformAdminError,
  MemberExistsError,
  NotFoundError,
  RoleBindingExistsError,
} from '#domain';
import type { Prisma, Role, RoleBinding } from '../generated/prisma/client.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import type { TableDef } from '../query/tables.js';
import { roleBindingId } from './access.repository.js';
import { findPage, type ListQuery } from './list.js';

export const ROLE_BINDINGS: TableDef<RoleBinding> = {
  table: 'role_bindings',
  columns: {
    id: 'id',
    workspace: 'workspace',
    principal: 'principal',
    role: 'role',
    grantedBy: 'granted_by',
    grantedAt: 'granted_at',
  },
};

export const ROLE_BINDING_SORTABLE = {
  granted_at: 'granted_at',
  principal: 'principal',
  role: 'role',
  workspace: 'workspace',
  id: 'id',
};

/** A workspace member: every role bound to one principal there. */
export interface MemberRow {
  principal: string;
  /** Viewer < Editor < Admin order. */
  roles: Role[];
  /** The earliest of its bindings. */
  grantedAt: Date;
  grantedBy: string;
}

type Tx = Prisma.TransactionClient;

/**
 * Role bindings, and workspace members as their per-principal view. Every write that could take away a
 * workspace's last Admin (or the platform's last PlatformAdmin) first locks the workspace row (or a
 * platform-wide advisory lock), so concurrent writes are serialised and each sees the others' outcome:
 * two concurrent removals of the last two Admins cannot both pass the check.
 *
 * The rule is "at least one Admin binding remains": a binding of a group or of `*` counts, since it
 * grants Admin to whoever it names (and a PlatformAdmin can always repair a workspace).
 */
@Injectable()
export class RoleBindingRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ─── Members ────────────────────────────────────────────────────────────────

  async listMembers(workspace: string): Promise<MemberRow[]> {
    const { rows } = await this.prisma.pool.query<MemberRow>(
      `SELECT principal, array_agg(role::text ORDER BY role) AS roles, min(granted_at) AS "grantedAt",
              (array_agg(granted_by ORDER BY granted_at, role))[1] AS "grantedBy"
       FROM role_bindings WHERE workspace = $1
       GROUP BY principal ORDER BY min(granted_at), principal`,
      [workspace],
    );
    return rows;
  }

  /** Binds `roles` to a principal that holds none in the workspace yet (else MemberExistsError). */
  addMember(m: { workspace: string; principal: string; roles: Role[]; grantedBy: string }): Promise<MemberRow> {
    return this.prisma.$transaction(async (tx) => {
      await lockWorkspace(tx, m.workspace);
      const held = await tx.roleBinding.count({ where: { workspace: m.workspace, principal: m.principal } });
      if (held > 0) throw new MemberExistsError(m.workspace, m.principal);
      const rows = await this.grant(tx, m.workspace, m.principal, m.roles, m.grantedBy);
      return toMember(m.principal, rows);
    });
  }

  /**
   * Replaces a member's roles: bindings of roles it keeps are left as they are (their granted_at stays),
   * others are removed or added. NotFoundError('member') when it holds no role there.
   */
  setMemberRoles(m: { workspace: string; principal: string; roles: Role[]; grantedBy: string }): Promise<MemberRow> {
    return this.prisma.$transaction(async (tx) => {
      await lockWorkspace(tx, m.workspace);
      const current = await this.memberBindings(tx, m.workspace, m.principal);
      const dropped = current.filter((b) => !m.roles.includes(b.role)).map((b) => b.role);
      if (dropped.includes('Admin')) await assertAnotherAdmin(tx, m.workspace, m.principal);
      await tx.roleBinding.deleteMany({
        where: { workspace: m.workspace, principal: m.principal, role: { in: dropped } },
      });
      const added = m.roles.filter((r) => !current.some((b) => b.role === r));
      await this.grant(tx, m.workspace, m.principal, added, m.grantedBy);
      const after = await tx.roleBinding.findMany({ where: { workspace: m.workspace, principal: m.principal } });
      return toMember(m.principal, after);
    });
  }

  /** Removes every role of the member; NotFoundError('member') when it holds none. */
  removeMember(workspace: string, principal: string): Promise<MemberRow> {
    return this.prisma.$transaction(async (tx) => {
      await lockWorkspace(tx, workspace);
      const current = await this.memberBindings(tx, workspace, principal);
      if (current.some((b) => b.role === 'Admin')) await assertAnotherAdmin(tx, workspace, principal);
      await tx.roleBinding.deleteMany({ where: { workspace, principal } });
      return toMember(principal, current);
    });
  }

  // ─── Role bindings ──────────────────────────────────────────────────────────

  list(query: ListQuery) {
    return findPage(this.prisma.pool, ROLE_BINDINGS, query);
  }

  findById(id: string): Promise<RoleBinding | null> {
    return this.prisma.roleBinding.findUnique({ where: { id } });
  }

  /** One binding (`workspace` null: PlatformAdmin); RoleBindingExistsError when it exists. */
  create(b: { workspace: string | null; principal: string; role: Role; grantedBy: string }): Promise<RoleBinding> {
    return this.prisma.$transaction(async (tx) => {
      if (b.workspace === null) await lockPlatform(tx);
      else await lockWorkspace(tx, b.workspace);
      const [row] = await this.grant(tx, b.workspace, b.principal, [b.role], b.grantedBy);
      return row;
    });
  }

  /** Deletes a binding unless it is its workspace's last Admin or the platform's last PlatformAdmin. */
  delete(id: string): Promise<RoleBinding> {
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.roleBinding.findUnique({ where: { id } });
      if (!found) throw new NotFoundError('role_binding', id);
      // Lock first, then read again: a concurrent write may have removed it or its fellow Admins.
      if (found.workspace === null) await lockPlatform(tx);
      else await lockWorkspace(tx, found.workspace);
      const binding = await tx.roleBinding.findUnique({ where: { id } });
      if (!binding) throw new NotFoundError('role_binding', id);
      if (binding.role === 'Admin' && binding.workspace !== null) {
        await assertAnotherAdmin(tx, binding.workspace, binding.principal);
      }
      if (binding.role === 'PlatformAdmin') {
        const others = await tx.roleBinding.count({ where: { role: 'PlatformAdmin', id: { not: id } } });
        if (others === 0) throw new LastPlatformAdminError();
      }
      await tx.roleBinding.delete({ where: { id } });
      return binding;
    });
  }

  // ─── Shared ─────────────────────────────────────────────────────────────────

  private async memberBindings(tx: Tx, workspace: string, principal: string): Promise<RoleBinding[]> {
    const rows = await tx.roleBinding.findMany({ where: { workspace, principal } });
    if (rows.length === 0) throw new NotFoundError('member', principal, ` in workspace '${workspace}'`);
    return rows;
  }

  /**
   * Inserts bindings with their derived ids (so each exists once), creating the principal's row on first
   * use when it names a user or service account. A binding that exists is RoleBindingExistsError.
   */
  private async grant(
    tx: Tx,
    workspace: string | null,
    principal: string,
    roles: Role[],
    grantedBy: string,
  ): Promise<RoleBinding[]> {
    if (roles.length === 0) return [];
    const kind = principalRowKind(principal);
    if (kind)
      await tx.principal.upsert({
        where: { id: principal },
        create: { id: principal, kind, createdBy: grantedBy },
        update: {},
      });
    const out: RoleBinding[] = [];
    for (const role of roles) {
      try {
        // A duplicate aborts the whole transaction: a request writes all of its bindings or none.
        out.push(
          await tx.roleBinding.create({
            data: { id: roleBindingId(workspace, principal, role), workspace, principal, role, grantedBy },
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new RoleBindingExistsError(principal, role, workspace);
        throw error;
      }
    }
    return out;
  }
}

/** Serialises membership writes of one workspace (and NotFoundError when it does not exist). */
async function lockWorkspace(tx: Tx, workspace: string): Promise<void> {
  const rows = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM workspaces WHERE name = ${workspace} FOR UPDATE`;
  if (rows.length === 0) throw new NotFoundError('workspace', workspace);
}

/** Serialises writes of platform-wide bindings (they have no row to lock). */
async function lockPlatform(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('modelplane.platform_bindings'))`;
}

async function assertAnotherAdmin(tx: Tx, workspace: string, principal: string): Promise<void> {
  const others = await tx.roleBinding.count({ where: { workspace, role: 'Admin', principal: { not: principal } } });
  if (others === 0) throw new LastAdminError(workspace);
}

const ROLE_ORDER: Role[] = ['Viewer', 'Editor', 'Admin', 'PlatformAdmin'];

function toMember(principal: string, bindings: RoleBinding[]): MemberRow {
  const sorted = [...bindings].sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime());
  return {
    principal,
    roles: bindings.map((b) => b.role).sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b)),
    grantedAt: sorted[0]?.grantedAt ?? new Date(),
    grantedBy: sorted[0]?.grantedBy ?? '',
  };
}

/** The `principals` row a binding's principal has: none for groups and `*` (see #auth principal.ts). */
function principalRowKind(principal: string): 'user' | 'service_account' | null {
  if (principal === '*' || principal.startsWith('group:')) return null;
  return principal.startsWith('service-account:') ? 'service_account' : 'user';
}
