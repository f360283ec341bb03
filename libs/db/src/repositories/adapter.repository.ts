import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { AlreadyExistsError, joinRef, newId, NotFoundError } from '#domain';
import type { Adapter, Prisma } from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import { PrismaService } from '../prisma.service.js';
import { ADAPTERS } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';

export const ADAPTER_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

/** The base model an adapter belongs to (it may live in another workspace than the adapter). */
export interface ModelRef {
  workspace: string;
  name: string;
}

export type AdapterData = Pick<
  Prisma.AdapterUncheckedCreateInput,
  'description' | 'fileset' | 'finetuningType' | 'enabled' | 'loraConfig' | 'createdBy' | 'updatedBy'
>;
export type AdapterPatch = Partial<Pick<AdapterData, 'description' | 'fileset' | 'enabled'>> & { updatedBy: string };

/** An adapter a server was found to serve (a LoRA entry of its `/v1/models`): see upsertDiscoveredAdapter. */
export interface DiscoveredAdapter {
  /** Its name in the workspace: the routable entity's, `{base}@{adapter}`. */
  name: string;
  /** The base model entity, in the same workspace. */
  model: string;
  description: string;
}

/**
 * A model's adapters of its own workspace, oldest first, as one JSON column under the Prisma field names
 * (a model read's `adapters`; timestamps come back as text). Adapters of other workspaces built on the
 * model are listed in those workspaces, where their readers are.
 */
export const MODEL_ADAPTERS_SELECT = `(SELECT json_agg(json_build_object(${Object.entries(ADAPTERS.columns)
  .map(([field, column]) => `'${field}', a.${column}`)
  .join(', ')}) ORDER BY a.created_at, a.id)
  FROM adapters a WHERE a.model_workspace = t.workspace AND a.model_name = t.name AND a.workspace = t.workspace) AS adapters`;

/** Adapters of base model entities (NeMo's Models service resource); see the `Adapter` model in schema.prisma. */
@Injectable()
export class AdapterRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(workspace: string, name: string, model: ModelRef, data: AdapterData): Promise<Adapter> {
    return mapWriteErrors(
      () =>
        this.prisma.adapter.create({
          data: {
            ...data,
            id: newId('adapter'),
            workspace,
            name,
            modelWorkspace: model.workspace,
            modelName: model.name,
          },
        }),
      {
        onDuplicate: () => new AlreadyExistsError('adapter', workspace, name),
        // The service found the workspace and the model first: one of them went meanwhile.
        onMissingRef: () => new NotFoundError('model', joinRef(model.workspace, model.name)),
      },
    );
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, ADAPTERS, query);
  }

  /** An adapter of the workspace by name; with `model`, only if it belongs to that model. */
  find(workspace: string, name: string, model?: ModelRef): Promise<Adapter | null> {
    return model
      ? findOne(
          this.prisma.pool,
          ADAPTERS,
          'workspace = $1 AND name = $2 AND model_workspace = $3 AND model_name = $4',
          [workspace, name, model.workspace, model.name],
        )
      : findOne(this.prisma.pool, ADAPTERS, 'workspace = $1 AND name = $2', [workspace, name]);
  }

  /** Applies the fields present in `patch`; null when there is no such adapter (of that model). */
  async update(workspace: string, name: string, patch: AdapterPatch, model?: ModelRef): Promise<Adapter | null> {
    const rows = await this.prisma.adapter.updateManyAndReturn({
      where: { workspace, name, ...(model ? { modelWorkspace: model.workspace, modelName: model.name } : {}) },
      data: patch,
    });
    return rows[0] ?? null;
  }

  async delete(workspace: string, name: string, model?: ModelRef): Promise<boolean> {
    const { count } = await this.prisma.adapter.deleteMany({
      where: { workspace, name, ...(model ? { modelWorkspace: model.workspace, modelName: model.name } : {}) },
    });
    return count > 0;
  }
}

/**
 * Records adapters a server was found to serve (its base models' entities exist already): created by
 * `system` with no fileset, finetuning type lora. An adapter of that name made by someone else, or of
 * another model, is left alone; one discovery made gets the latest description.
 */
export async function upsertDiscoveredAdapter(pool: pg.Pool, workspace: string, a: DiscoveredAdapter): Promise<void> {
  await pool.query(
    `INSERT INTO adapters (id, workspace, name, model_workspace, model_name, description, finetuning_type, enabled,
                           created_by, updated_by, updated_at)
     VALUES ($1, $2, $3, $2, $4, $5, 'lora', true, 'system', 'system', now())
     ON CONFLICT (workspace, name) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
     WHERE adapters.created_by = 'system' AND adapters.model_workspace = EXCLUDED.model_workspace
       AND adapters.model_name = EXCLUDED.model_name AND adapters.description IS DISTINCT FROM EXCLUDED.description`,
    [newId('adapter'), workspace, a.name, a.model, a.description],
  );
}
