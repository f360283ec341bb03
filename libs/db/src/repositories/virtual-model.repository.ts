import { Injectable } from '@nestjs/common';
import { AlreadyExistsError, newId, NotFoundError, VirtualModelStaleError } from '#domain';
import type { Prisma, VirtualModel } from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import { VIRTUAL_MODELS } from '../query/tables.js';
import { loadVirtualModelRoutes, type VirtualModelRoute } from '../virtual-model-routes.js';
import { findOne, findPage, type ListQuery } from './list.js';

export const VIRTUAL_MODEL_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

export type VirtualModelData = Omit<
  Prisma.VirtualModelUncheckedCreateInput,
  'id' | 'workspace' | 'name' | 'dbVersion' | 'createdAt' | 'updatedAt'
>;

/**
 * What a write's `If-Match` accepts: `*` (any current version) or these db_versions (none, for tags that
 * can match no version, such as weak ones: RFC 9110 answers those with a failed precondition too).
 * `header` is what the client sent, for the error's message.
 */
export interface ExpectedVersion {
  accepts: '*' | number[];
  header: string;
}

@Injectable()
export class VirtualModelRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(workspace: string, name: string, data: VirtualModelData): Promise<VirtualModel> {
    return mapWriteErrors(
      () => this.prisma.virtualModel.create({ data: { ...data, id: newId('virtualmodel'), workspace, name } }),
      {
        onDuplicate: () => new AlreadyExistsError('virtual_model', workspace, name),
        onMissingRef: () => new NotFoundError('workspace', workspace),
      },
    );
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, VIRTUAL_MODELS, query);
  }

  find(workspace: string, name: string): Promise<VirtualModel | null> {
    return findOne(this.prisma.pool, VIRTUAL_MODELS, 'workspace = $1 AND name = $2', [workspace, name]);
  }

  /**
   * Applies only the fields present in `patch` and bumps db_version, in one statement that also checks
   * `expected`; returns null when the virtual model does not exist, and throws StaleVersionError when it
   * exists at another version.
   */
  async update(
    workspace: string,
    name: string,
    patch: Partial<VirtualModelData>,
    expected?: ExpectedVersion,
  ): Promise<VirtualModel | null> {
    const rows = await this.prisma.virtualModel.updateManyAndReturn({
      where: { workspace, name, ...versionCondition(expected) },
      data: { ...patch, dbVersion: { increment: 1 } },
    });
    return rows[0] ?? (await this.missOrStale(workspace, name, expected));
  }

  /** Deletes under the same precondition as `update`; false when the virtual model does not exist. */
  async delete(workspace: string, name: string, expected?: ExpectedVersion): Promise<boolean> {
    const { count } = await this.prisma.virtualModel.deleteMany({
      where: { workspace, name, ...versionCondition(expected) },
    });
    if (count > 0) return true;
    return (await this.missOrStale(workspace, name, expected)) ?? false;
  }

  /** Every virtual model, for the gateway's routing table (see virtual-model-routes.ts). */
  listAll(): Promise<VirtualModelRoute[]> {
    return loadVirtualModelRoutes(this.prisma.pool);
  }

  /** After a write matched no row: null when there is no such virtual model, else the precondition failed. */
  private async missOrStale(workspace: string, name: string, expected?: ExpectedVersion): Promise<null> {
    if (expected === undefined || expected.accepts === '*') return null;
    const current = await this.find(workspace, name);
    if (!current) return null;
    throw new VirtualModelStaleError(name, expected.header, current.dbVersion);
  }
}

function versionCondition(expected?: ExpectedVersion): { dbVersion?: { in: number[] } } {
  return expected === undefined || expected.accepts === '*' ? {} : { dbVersion: { in: expected.accepts } };
}
