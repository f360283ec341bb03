import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import type { PrincipalKind, Role } from '../generated/prisma/client.js';

export interface KeyRow {
  id: string;
  prefix: string;
  keyHash: Buffer;
  principal: string;
  workspace: string | null;
  scopes: string[];
  expiresAt: Date | null;
  revoked: boolean;
}

export interface BindingRow {
  workspace: string | null;
  principal: string;
  role: Role;
}

/** Revoked keys stay known this long, so their use is answered "revoked" rather than "invalid". */
const REVOKED_KEPT = '30 days';

export interface BootstrapAdmin {
  principal: string;
  keyId: string;
  name: string;
  prefix: string;
  hash: Buffer;
}

/**
 * What authentication reads (the whole set of keys and bindings, loaded by every authenticating process
 * into memory) and the bootstrap of the first PlatformAdmin.
 */
@Injectable()
export class AccessRepository {
  constructor(private readonly prisma: PrismaService) {}

  async loadKeys(): Promise<KeyRow[]> {
    const { rows } = await this.prisma.pool.query<KeyRow>(
      `SELECT id, prefix, key_hash AS "keyHash", principal, workspace, scopes, expires_at AS "expiresAt",
              revoked_at IS NOT NULL AS revoked
       FROM api_keys WHERE revoked_at IS NULL OR revoked_at > now() - interval '${REVOKED_KEPT}'`,
    );
    return rows;
  }

  async loadBindings(): Promise<BindingRow[]> {
    const { rows } = await this.prisma.pool.query<BindingRow>(
      `SELECT workspace, principal, role::text AS role FROM role_bindings`,
    );
    return rows;
  }

  /** Records when keys were last used (batched by the caller; not a change that reloads anyone's cache). */
  async touchKeys(uses: { id: string; at: Date }[]): Promise<void> {
    if (uses.length === 0) return;
    await this.prisma.pool.query(
      `UPDATE api_keys k SET last_used_at = u.at
       FROM unnest($1::text[], $2::timestamptz[]) AS u(id, at)
       WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
      [uses.map((u) => u.id), uses.map((u) => u.at)],
    );
  }

  /** Creates the principal on first use (a service account when its id says so); no-op if it exists. */
  async ensurePrincipal(id: string, kind: PrincipalKind, createdBy: string | null): Promise<void> {
    await this.prisma.principal.upsert({ where: { id }, create: { id, kind, createdBy }, update: {} });
  }

  /**
   * Makes `admin` a PlatformAdmin holding the given key, in one transaction under an advisory lock (API
   * replicas start together). `onlyIfEmpty`: only when no principal, key or binding exists yet (first
   * start); else the key replaces the previous bootstrap key. Returns whether it wrote anything.
   */
  async bootstrapAdmin(admin: BootstrapAdmin, onlyIfEmpty: boolean): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('modelplane.bootstrap_admin'))`;
      if (onlyIfEmpty) {
        const [principals, keys, bindings] = await Promise.all([
          tx.principal.count(),
          tx.apiKey.count(),
          tx.roleBinding.count(),
        ]);
        if (principals + keys + bindings > 0) return false;
      } else {
        const current = await tx.apiKey.findUnique({ where: { id: admin.keyId } });
        if (current && Buffer.from(current.keyHash).equals(admin.hash) && current.revokedAt === null) return false;
        await tx.apiKey.deleteMany({ where: { id: admin.keyId } });
      }
      await tx.principal.upsert({
        where: { id: admin.principal },
        create: { id: admin.principal, kind: 'user', createdBy: 'system' },
        update: {},
      });
      await tx.roleBinding.upsert({
        where: { id: platformBindingId(admin.principal) },
        create: {
          id: platformBindingId(admin.principal),
          workspace: null,
          principal: admin.principal,
          role: 'PlatformAdmin',
          grantedBy: 'system',
        },
        update: {},
      });
      await tx.apiKey.create({
        data: {
          id: admin.keyId,
          name: admin.name,
          principal: admin.principal,
          scopes: ['read', 'write', 'inference', 'admin'],
          prefix: admin.prefix,
          keyHash: new Uint8Array(admin.hash),
          createdBy: 'system',
        },
      });
      return true;
    });
  }
}

/** Role binding ids are derived from what they bind, so each binding exists once (see schema.prisma). */
export function roleBindingId(workspace: string | null, principal: string, role: Role): string {
  return `rb-${sha256Hex(`${workspace ?? ''}\n${principal}\n${role}`).slice(0, 24)}`;
}

function platformBindingId(principal: string): string {
  return roleBindingId(null, principal, 'PlatformAdmin');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
