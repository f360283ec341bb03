import { Injectable } from '@nestjs/common';
import type { ApiKey } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma.service.js';
import type { TableDef } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';

/** A key as the API shows it: everything but the hash, which never leaves this repository. */
export type ApiKeyMeta = Omit<ApiKey, 'keyHash'>;

export const API_KEYS: TableDef<ApiKeyMeta> = {
  table: 'api_keys',
  columns: {
    id: 'id',
    name: 'name',
    principal: 'principal',
    workspace: 'workspace',
    scopes: 'scopes',
    prefix: 'prefix',
    expiresAt: 'expires_at',
    lastUsedAt: 'last_used_at',
    revokedAt: 'revoked_at',
    revokedBy: 'revoked_by',
    replacedBy: 'replaced_by',
    createdAt: 'created_at',
    createdBy: 'created_by',
  },
};

export const API_KEY_SORTABLE = {
  name: 'name',
  principal: 'principal',
  created_at: 'created_at',
  expires_at: 'expires_at',
  last_used_at: 'last_used_at',
};

export interface NewApiKeyRow {
  id: string;
  name: string;
  principal: string;
  workspace: string | null;
  scopes: string[];
  prefix: string;
  hash: Buffer;
  expiresAt: Date | null;
  createdBy: string;
}

/** What rotate found when it could not replace the key (nothing was written). */
export type RotateRefusal = 'missing' | 'revoked' | 'rotated' | 'expired';

/**
 * API keys as the IAM endpoints manage them. Every write changes `api_keys`, whose trigger NOTIFYs
 * access_changed, so every replica reloads its keys (see AccessRepository for what they load).
 */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(key: NewApiKeyRow): Promise<ApiKeyMeta> {
    const { keyHash: _hash, ...meta } = await this.prisma.apiKey.create({ data: toData(key) });
    return meta;
  }

  findById(id: string): Promise<ApiKeyMeta | null> {
    return findOne(this.prisma.pool, API_KEYS, 'id = $1', [id]);
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, API_KEYS, query);
  }

  /**
   * Replaces key `id` by `next` in one transaction: the old key is locked, checked (not revoked, not
   * already replaced, not expired at `now`), cut to expire at min(its expiry, `graceUntil`) and pointed
   * at its replacement. Two concurrent rotations of one key: the second finds it replaced.
   */
  rotate(
    id: string,
    next: NewApiKeyRow,
    now: Date,
    graceUntil: Date,
  ): Promise<{ created: ApiKeyMeta } | { refused: RotateRefusal }> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Pick<ApiKey, 'revokedAt' | 'replacedBy' | 'expiresAt'>[]>`
        SELECT revoked_at AS "revokedAt", replaced_by AS "replacedBy", expires_at AS "expiresAt"
        FROM api_keys WHERE id = ${id} FOR UPDATE`;
      const old = rows[0];
      if (!old) return { refused: 'missing' as const };
      if (old.revokedAt) return { refused: 'revoked' as const };
      if (old.replacedBy) return { refused: 'rotated' as const };
      if (old.expiresAt && old.expiresAt <= now) return { refused: 'expired' as const };
      const { keyHash: _hash, ...created } = await tx.apiKey.create({ data: toData(next) });
      const until = old.expiresAt && old.expiresAt < graceUntil ? old.expiresAt : graceUntil;
      await tx.apiKey.update({ where: { id }, data: { expiresAt: until, replacedBy: next.id } });
      return { created };
    });
  }

  /**
   * Revokes the key; a key already revoked keeps its first revocation (time and revoker), so a retried
   * DELETE changes nothing. Returns false when there is no such key.
   */
  async revoke(id: string, by: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.prisma.pool.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2), revoked_by = COALESCE(revoked_by, $3)
       WHERE id = $1`,
      [id, at, by],
    );
    return (rowCount ?? 0) > 0;
  }
}

function toData(key: NewApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    principal: key.principal,
    workspace: key.workspace,
    scopes: key.scopes,
    prefix: key.prefix,
    keyHash: new Uint8Array(key.hash),
    expiresAt: key.expiresAt,
    createdBy: key.createdBy,
  };
}
