import { Injectable } from '@nestjs/common';
import { AlreadyExistsError, newId, NotFoundError } from '#domain';
import type { Adapter, Model, Prisma } from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import { MODELS } from '../query/tables.js';
import { MODEL_ADAPTERS_SELECT, upsertDiscoveredAdapter } from './adapter.repository.js';
import { findOne, findPage, type ListQuery } from './list.js';

export const MODEL_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

/** A model entity found on a server's `/v1/models`. */
export interface DiscoveredEntity {
  name: string;
  description: string;
  baseModel?: string;
  finetuningType?: string;
  apiEndpoint?: Record<string, string>;
  backendFormat?: string;
  /** A LoRA adapter: also recorded as an adapter (named as this entity) of this base model entity of the workspace. */
  adapterOf?: { model: string; description: string };
}

export type ModelData = Omit<
  Prisma.ModelUncheckedCreateInput,
  'id' | 'workspace' | 'name' | 'createdAt' | 'updatedAt' | 'adapters'
>;

/** An adapter as a model read carries it (JSON: timestamps as text). */
export type ModelAdapter = Omit<Adapter, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
/** A model with its adapters (of its own workspace, oldest first; null when none), from the adapters table. */
export type ModelWithAdapters = Model & { adapters: ModelAdapter[] | null };

@Injectable()
export class ModelRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(workspace: string, name: string, data: ModelData): Promise<Model> {
    return mapWriteErrors(() => this.prisma.model.create({ data: { ...data, id: newId('model'), workspace, name } }), {
      onDuplicate: () => new AlreadyExistsError('model', workspace, name),
      onMissingRef: () => new NotFoundError('workspace', workspace),
    });
  }

  list(query: ListQuery): Promise<{ rows: ModelWithAdapters[]; total: number }> {
    return findPage<Model, Pick<ModelWithAdapters, 'adapters'>>(this.prisma.pool, MODELS, query, {
      extraSelect: MODEL_ADAPTERS_SELECT,
    });
  }

  find(workspace: string, name: string): Promise<ModelWithAdapters | null> {
    return findOne<Model, Pick<ModelWithAdapters, 'adapters'>>(
      this.prisma.pool,
      MODELS,
      'workspace = $1 AND name = $2',
      [workspace, name],
      MODEL_ADAPTERS_SELECT,
    );
  }

  /** Applies only the fields present in `patch`; returns the model as read after, or null when it does not exist. */
  async update(workspace: string, name: string, patch: Partial<ModelData>): Promise<ModelWithAdapters | null> {
    const { count } = await this.prisma.model.updateMany({ where: { workspace, name }, data: patch });
    return count > 0 ? this.find(workspace, name) : null;
  }

  /**
   * Creates the entities a server was found to serve. Existing entities (they
   * may be the user's) only get an `api_endpoint` or `backend_format` they
   * lack filled in. LoRA adapters are recorded as adapters of their base too.
   */
  async ensureDiscovered(workspace: string, entities: DiscoveredEntity[]): Promise<void> {
    for (const e of entities) {
      await this.prisma.pool.query(
        `INSERT INTO models (id, workspace, name, description, base_model, finetuning_type, api_endpoint, backend_format, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (workspace, name) DO UPDATE SET
           api_endpoint = COALESCE(models.api_endpoint, EXCLUDED.api_endpoint),
           backend_format = COALESCE(models.backend_format, EXCLUDED.backend_format)
         WHERE models.api_endpoint IS NULL AND EXCLUDED.api_endpoint IS NOT NULL
            OR models.backend_format IS NULL AND EXCLUDED.backend_format IS NOT NULL`,
        [
          newId('model'),
          workspace,
          e.name,
          e.description,
          e.baseModel ?? null,
          e.finetuningType ?? null,
          e.apiEndpoint ? JSON.stringify(e.apiEndpoint) : null,
          e.backendFormat ?? null,
        ],
      );
    }
    // Adapters after every entity: their base models are among them.
    for (const e of entities) {
      if (e.adapterOf) await upsertDiscoveredAdapter(this.prisma.pool, workspace, { name: e.name, ...e.adapterOf });
    }
  }

  async delete(workspace: string, name: string): Promise<boolean> {
    const { count } = await this.prisma.model.deleteMany({ where: { workspace, name } });
    return count > 0;
  }
}
