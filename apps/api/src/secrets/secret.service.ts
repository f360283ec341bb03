import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { actorId } from '#auth';
import { SECRET_SORTABLE, SecretCipher, SecretRepository, secretAad, type Page, type SecretMeta } from '#db';
import { NAMED_FIELDS, type ListQueryDto } from '../common/list.js';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import type { CreateSecretDto, RotateSecretsResultDto, SecretDto, UpdateSecretDto } from './secret.dto.js';

const FILTER = NAMED_FIELDS;

/** Secrets: values are sealed before they reach the repository and never leave it through here. */
@Injectable()
export class SecretService {
  private readonly logger = new Logger(SecretService.name);

  constructor(
    private readonly secrets: SecretRepository,
    private readonly scope: WorkspaceScope,
    private readonly cipher: SecretCipher,
  ) {}

  async create(workspace: string, dto: CreateSecretDto): Promise<SecretDto> {
    const sealed = this.cipher.seal(dto.value, secretAad(workspace, dto.name));
    const row = await this.secrets.create({
      workspace,
      name: dto.name,
      description: dto.description,
      sealed,
      actor: actorId(),
    });
    this.logger.log(`Secret ${workspace}/${dto.name} created (key ${sealed.keyId})`);
    return present(row);
  }

  list(workspace: string, dto: ListQueryDto): Promise<Page<SecretDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: SECRET_SORTABLE },
      (query) => this.secrets.list(query),
      present,
    );
  }

  async get(workspace: string, name: string): Promise<SecretDto> {
    return present(
      (await this.secrets.findMeta(workspace, name)) ?? (await this.scope.notFound('secret', workspace, name)),
    );
  }

  /**
   * Replaces the value and/or description. Writing what is already stored
   * changes nothing (no write, `updated_at` kept), so a pipeline that applies
   * the same secret on every run can tell from `updated_at` that nothing moved,
   * without the value ever being compared outside the server.
   */
  async update(workspace: string, name: string, dto: UpdateSecretDto): Promise<SecretDto> {
    const current =
      (await this.secrets.findMeta(workspace, name)) ?? (await this.scope.notFound('secret', workspace, name));
    const newValue = dto.value !== undefined && !(await this.holds(workspace, name, dto.value));
    const newDescription = dto.description !== undefined && (dto.description ?? null) !== (current.description ?? null);
    if (!newValue && !newDescription) return present(current);
    const sealed = newValue ? this.cipher.seal(dto.value as string, secretAad(workspace, name)) : undefined;
    const row = await this.secrets.update(workspace, name, {
      description: newDescription ? dto.description : undefined,
      sealed,
      actor: actorId(),
    });
    if (!row) return this.scope.notFound('secret', workspace, name);
    if (sealed) this.logger.log(`Secret ${workspace}/${name} value replaced (key ${sealed.keyId})`);
    return present(row);
  }

  /** Whether the stored value is `value` (compared in constant time; false when it cannot be opened). */
  private async holds(workspace: string, name: string, value: string): Promise<boolean> {
    const sealed = await this.secrets.findSealed(workspace, name);
    if (!sealed || !this.cipher.hasKey(sealed.keyId)) return false;
    const digest = (text: string) => createHash('sha256').update(text).digest();
    try {
      return timingSafeEqual(digest(this.cipher.open(sealed, secretAad(workspace, name))), digest(value));
    } catch {
      return false; // sealed under a key that no longer opens it: write the value anew
    }
  }

  async delete(workspace: string, name: string): Promise<void> {
    if (!(await this.secrets.delete(workspace, name))) await this.scope.notFound('secret', workspace, name);
    this.logger.log(`Secret ${workspace}/${name} deleted`);
  }

  /**
   * Re-encrypts every secret not already under the active key. Safe to re-run.
   * Secrets sealed under a key that is no longer configured are skipped and
   * counted, so one lost key does not stop the rest from rotating.
   */
  async rotate(): Promise<RotateSecretsResultDto> {
    let rotated = 0;
    let skipped = 0;
    for (const row of await this.secrets.findAllSealed()) {
      if (row.keyId === this.cipher.activeKeyId) continue;
      if (!this.cipher.hasKey(row.keyId)) {
        skipped++;
        this.logger.warn(
          `Secret ${row.workspace}/${row.name} is sealed under key '${row.keyId}', which is not configured; skipped`,
        );
        continue;
      }
      const aad = secretAad(row.workspace, row.name);
      const sealed = this.cipher.seal(this.cipher.open(row, aad), aad);
      if (await this.secrets.reseal(row.id, row.keyId, sealed)) rotated++;
    }
    this.logger.log(`Rotated ${rotated} secrets to key ${this.cipher.activeKeyId}; ${skipped} skipped`);
    return {
      rotated_secrets: rotated,
      skipped_secrets: skipped,
      success: skipped === 0,
      active_key_id: this.cipher.activeKeyId,
    };
  }
}

function present(s: SecretMeta): SecretDto {
  return compact({
    id: s.id,
    name: s.name,
    workspace: s.workspace,
    description: s.description ?? undefined,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    ...authorship(s),
  });
}
