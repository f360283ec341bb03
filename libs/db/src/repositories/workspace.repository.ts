import { Injectable } from '@nestjs/common';
import { AlreadyExistsError, newId, NotFoundError, WorkspaceHasDeploymentsError } from '#domain';
import type { Workspace } from '../generated/prisma/client.js';
import { isRecordMissing, mapWriteErrors } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import { WORKSPACES } from '../query/tables.js';
import { roleBindingId } from './access.repository.js';
import { findOne, findPage, type ListQuery } from './list.js';

export const WORKSPACE_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

@Injectable()
export class WorkspaceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the workspace with `createdBy` as its Admin (one transaction: never a workspace without one). */
  create({
    name,
    description,
    createdBy,
  }: {
    name: string;
    description?: string | null;
    createdBy: string;
  }): Promise<Workspace> {
    return mapWriteErrors(
      () =>
        this.prisma.$transaction(async (tx) => {
          const workspace = await tx.workspace.create({
            data: { id: newId('workspace'), name, description, createdBy, updatedBy: createdBy },
          });
          await tx.roleBinding.create({
            data: {
              id: roleBindingId(name, createdBy, 'Admin'),
              workspace: name,
              principal: createdBy,
              role: 'Admin',
              grantedBy: createdBy,
            },
          });
          return workspace;
        }),
      { onDuplicate: () => new AlreadyExistsError('workspace', null, name) },
    );
  }

  /** Replaces the description (NotFoundError when there is no such workspace). */
  async update(name: string, { description, updatedBy }: { description: string | null; updatedBy: string }) {
    try {
      return await this.prisma.workspace.update({ where: { name }, data: { description, updatedBy } });
    } catch (error) {
      if (isRecordMissing(error)) throw new NotFoundError('workspace', name);
      throw error;
    }
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, WORKSPACES, query);
  }

  findByName(name: string): Promise<Workspace | null> {
    return findOne(this.prisma.pool, WORKSPACES, 'name = $1', [name]);
  }

  async exists(name: string): Promise<boolean> {
    const { rowCount } = await this.prisma.pool.query('SELECT 1 FROM workspaces WHERE name = $1', [name]);
    return (rowCount ?? 0) > 0;
  }

  /** Throws NotFoundError('workspace') unless the workspace exists. */
  async assertExists(name: string): Promise<void> {
    if (!(await this.exists(name))) throw new NotFoundError('workspace', name);
  }

  /**
   * Deletes the workspace and everything in it, refused while it holds a
   * deployment version that is not DELETED. The row lock serialises this with
   * deployment creation (whose foreign key takes a share lock on the row).
   */
  async delete(name: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<
        { name: string }[]
      >`SELECT name FROM workspaces WHERE name = ${name} FOR UPDATE`;
      if (locked.length === 0) throw new NotFoundError('workspace', name);
      const live = await tx.deploymentVersion.findMany({
        where: { workspace: name, status: { not: 'DELETED' } },
        select: { name: true, version: true, status: true },
        orderBy: [{ name: 'asc' }, { version: 'asc' }],
        take: 5,
      });
      if (live.length > 0) {
        const listed = live.map((d) => `${d.name} v${d.version} (${d.status})`).join(', ');
        throw new WorkspaceHasDeploymentsError(name, listed);
      }
      await tx.workspace.delete({ where: { name } });
    });
  }
}
