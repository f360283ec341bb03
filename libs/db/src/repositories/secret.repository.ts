import { Injectable } from '@nestjs/common';
import { AlreadyExistsError, newId, NotFoundError, SecretInUseError } from '#domain';
import { isForeignKeyViolation, mapWriteErrors } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import type { SealedSecret } from '../secret-cipher.js';
import { SECRET_META, type SecretMeta } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';

export type { SecretMeta };

export const SECRET_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

const META = {
  id: true,
  workspace: true,
  name: true,
  description: true,
  createdAt: true,
  updatedAt: true,
  createdBy: true,
  updatedBy: true,
} as const;

@Injectable()
export class SecretRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(input: {
    workspace: string;
    name: string;
    description?: string | null;
    sealed: SealedSecret;
    /** The principal creating it (created_by and updated_by). */
    actor: string;
  }): Promise<SecretMeta> {
    const { workspace, name, description, sealed, actor } = input;
    return mapWriteErrors(
      () =>
        this.prisma.secret.create({
          data: { id: newId('secret'), workspace, name, description, ...sealed, createdBy: actor, updatedBy: actor },
          select: META,
        }),
      {
        onDuplicate: () => new AlreadyExistsError('secret', workspace, name),
        onMissingRef: () => new NotFoundError('workspace', workspace),
      },
    );
  }

  list(query: ListQuery): Promise<{ rows: SecretMeta[]; total: number }> {
    return findPage(this.prisma.pool, SECRET_META, query);
  }

  findMeta(workspace: string, name: string): Promise<SecretMeta | null> {
    return findOne(this.prisma.pool, SECRET_META, 'workspace = $1 AND name = $2', [workspace, name]);
  }

  /** The sealed value, for services that inject it upstream (never for API responses). */
  findSealed(workspace: string, name: string): Promise<SealedSecret | null> {
    return this.prisma.secret.findUnique({
      where: { workspace_name: { workspace, name } },
      select: { ciphertext: true, nonce: true, authTag: true, keyId: true },
    });
  }

  async update(
    workspace: string,
    name: string,
    patch: { description?: string | null; sealed?: SealedSecret; actor: string },
  ): Promise<SecretMeta | null> {
    const data = {
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...patch.sealed,
      updatedBy: patch.actor,
    };
    const rows = await this.prisma.secret.updateManyAndReturn({
      where: { workspace, name },
      data,
      select: META,
    });
    return rows[0] ?? null;
  }

  /** Deletes a secret; refused with 409 while a provider names it. */
  async delete(workspace: string, name: string): Promise<boolean> {
    try {
      const { count } = await this.prisma.secret.deleteMany({ where: { workspace, name } });
      return count > 0;
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      const users = await this.prisma.modelProvider.findMany({
        where: { workspace, apiKeySecretName: name },
        select: { name: true },
        take: 10,
      });
      throw new SecretInUseError(
        name,
        users.map((u) => u.name),
      );
    }
  }

  /** Every sealed value, for key rotation. */
  findAllSealed(): Promise<(SealedSecret & { id: string; workspace: string; name: string })[]> {
    return this.prisma.secret.findMany({
      select: { id: true, workspace: true, name: true, ciphertext: true, nonce: true, authTag: true, keyId: true },
      orderBy: { id: 'asc' },
    });
  }

  async reseal(id: string, fromKeyId: string, sealed: SealedSecret): Promise<boolean> {
    const { count } = await this.prisma.secret.updateMany({ where: { id, keyId: fromKeyId }, data: sealed });
    return count > 0;
  }
}
