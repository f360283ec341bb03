import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, InvalidFieldError, joinRef, newId, NotFoundError } from '#domain';
import { Prisma, type ModelProvider } from '../generated/prisma/client.js';
import { isUniqueViolation, mapWriteErrors } from '../prisma-errors.js';
import { PrismaService, type Tx } from '../prisma.service.js';
import { PROVIDERS, selectList } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';

export const PROVIDER_SORTABLE = { name: 'name', created_at: 'created_at', updated_at: 'updated_at', status: 'status' };

export type ProviderData = Omit<
  Prisma.ModelProviderUncheckedCreateInput,
  'id' | 'workspace' | 'name' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy'
>;

export type ProviderStatusPatch = Pick<
  Prisma.ModelProviderUncheckedUpdateInput,
  'modelDeploymentId' | 'servedModels' | 'status' | 'statusMessage' | 'updatedBy'
>;

@Injectable()
export class ProviderRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates a provider; `actor` is its created_by and updated_by. */
  create(workspace: string, name: string, data: ProviderData, actor: string): Promise<ModelProvider> {
    return mapWriteErrors(
      () =>
        this.prisma.modelProvider.create({
          data: { ...data, id: newId('modelprovider'), workspace, name, createdBy: actor, updatedBy: actor },
        }),
      {
        onDuplicate: () => new AlreadyExistsError('provider', workspace, name),
        onMissingRef: () => this.missingRef(workspace, data.apiKeySecretName),
      },
    );
  }

  /**
   * Full replacement, creating the provider when it does not exist. Returns
   * the row and whether it was created. A create that loses a race with
   * another create retries as a replacement. A replacement keeps created_by; `actor` is its updated_by.
   */
  async upsert(
    workspace: string,
    name: string,
    data: ProviderData,
    actor: string,
  ): Promise<{ row: ModelProvider; created: boolean }> {
    const replacement: Prisma.ModelProviderUncheckedUpdateManyInput = {
      project: null,
      description: null,
      apiKeySecretName: null,
      servedModels: [],
      enabledModels: Prisma.DbNull,
      status: 'UNKNOWN',
      statusMessage: '',
      defaultExtraBody: Prisma.DbNull,
      defaultExtraHeaders: Prisma.DbNull,
      requiredExtraBody: Prisma.DbNull,
      requiredExtraHeaders: Prisma.DbNull,
      modelDeploymentId: null,
      authContext: Prisma.DbNull,
      authHeaderFormat: null,
      ...data,
      updatedBy: actor,
    };
    return mapWriteErrors(
      async () => {
        for (let attempt = 0; ; attempt++) {
          const rows = await this.prisma.modelProvider.updateManyAndReturn({
            where: { workspace, name },
            data: replacement,
          });
          if (rows[0]) return { row: rows[0], created: false };
          try {
            const row = await this.prisma.modelProvider.create({
              data: { ...data, id: newId('modelprovider'), workspace, name, createdBy: actor, updatedBy: actor },
            });
            return { row, created: true };
          } catch (error) {
            if (!isUniqueViolation(error) || attempt > 0) throw error;
          }
        }
      },
      { onMissingRef: () => this.missingRef(workspace, data.apiKeySecretName) },
    );
  }

  list(query: ListQuery) {
    return findPage(this.prisma.pool, PROVIDERS, query);
  }

  find(workspace: string, name: string): Promise<ModelProvider | null> {
    return findOne(this.prisma.pool, PROVIDERS, 'workspace = $1 AND name = $2', [workspace, name]);
  }

  async updateStatus(workspace: string, name: string, patch: ProviderStatusPatch): Promise<ModelProvider | null> {
    const rows = await this.prisma.modelProvider.updateManyAndReturn({ where: { workspace, name }, data: patch });
    return rows[0] ?? null;
  }

  /**
   * Deletes the provider and removes `workspace/name` from the
   * `model_providers` of every model that lists it, in one transaction.
   */
  async delete(workspace: string, name: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.modelProvider.deleteMany({ where: { workspace, name } });
      if (count > 0) await unlinkProvider(tx, joinRef(workspace, name));
      return count > 0;
    });
  }

  /** The provider a deployment published, found by its `model_deployment_id` (`workspace/name`). */
  findForDeployment(workspace: string, deploymentRef: string): Promise<ModelProvider | null> {
    return findOne(this.prisma.pool, PROVIDERS, 'workspace = $1 AND model_deployment_id = $2', [
      workspace,
      deploymentRef,
    ]);
  }

  /**
   * Publishes a deployment's provider: named after the deployment, or
   * `{name}_{8 hex}` when that name is taken by another provider (the
   * reference's collision rule). Creates it, or updates the existing one,
   * and links the served models' entities in the same transaction.
   */
  async publishForDeployment(input: {
    workspace: string;
    deployment: string;
    project: string | null;
    hostUrl: string;
    servedModels: { model_entity_id: string; served_model_name: string }[];
  }): Promise<ModelProvider> {
    const { workspace, deployment, hostUrl, servedModels } = input;
    const deploymentRef = joinRef(workspace, deployment);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.modelProvider.findFirst({ where: { workspace, modelDeploymentId: deploymentRef } });
      const data = { hostUrl, servedModels, status: 'READY' as const, statusMessage: '' };
      let row: ModelProvider;
      if (existing) {
        row = await tx.modelProvider.update({ where: { id: existing.id }, data });
      } else {
        const taken = await tx.modelProvider.count({ where: { workspace, name: deployment } });
        const name = taken ? `${deployment}_${randomBytes(4).toString('hex')}` : deployment;
        row = await tx.modelProvider.create({
          data: {
            ...data,
            id: newId('modelprovider'),
            workspace,
            name,
            project: input.project,
            description: `Auto-created provider for deployment ${deployment}`,
            modelDeploymentId: deploymentRef,
          },
        });
      }
      await linkProvider(
        tx,
        joinRef(workspace, row.name),
        servedModels.map((m) => m.model_entity_id),
      );
      return row;
    });
  }

  /** Points a provider elsewhere or changes its status, without touching what it serves. */
  async setRouting(
    id: string,
    patch: { hostUrl?: string; status: 'READY' | 'ERROR'; statusMessage: string },
  ): Promise<void> {
    await this.prisma.modelProvider.updateMany({ where: { id }, data: patch });
  }

  /** Providers registered by hand (no deployment behind them): what periodic discovery checks. */
  async listExternal(): Promise<ModelProvider[]> {
    const { rows } = await this.prisma.pool.query<ModelProvider>(
      `SELECT ${selectList(PROVIDERS)} FROM model_providers WHERE model_deployment_id IS NULL ORDER BY workspace, name`,
    );
    return rows;
  }

  /**
   * Records a discovery result: status and message, and when given, the
   * served models (linking their entities to the provider in the same
   * transaction).
   */
  async recordDiscovery(
    provider: Pick<ModelProvider, 'id' | 'workspace' | 'name'>,
    result: {
      status: 'READY' | 'ERROR' | 'LOST';
      statusMessage: string;
      servedModels?: { model_entity_id: string; served_model_name: string }[];
    },
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.modelProvider.updateMany({
        where: { id: provider.id },
        data: {
          status: result.status,
          statusMessage: result.statusMessage,
          ...(result.servedModels ? { servedModels: result.servedModels } : {}),
        },
      });
      if (result.servedModels) {
        await linkProvider(
          tx,
          joinRef(provider.workspace, provider.name),
          result.servedModels.map((m) => m.model_entity_id),
        );
      }
    });
  }

  private async missingRef(workspace: string, secretName: string | null | undefined) {
    const ws = await this.prisma.workspace.count({ where: { name: workspace } });
    if (ws === 0) return new NotFoundError('workspace', workspace);
    return new InvalidFieldError(
      ['body', 'api_key_secret_name'],
      `api_key_secret_name must name a secret in workspace '${workspace}'; there is no secret '${secretName ?? ''}'`,
      'provider/secret_not_found',
    );
  }
}

/**
 * Makes `ref` (a provider) appear in the `model_providers` of exactly the
 * given entities: added where missing, removed from entities it no longer
 * serves.
 */
async function linkProvider(tx: Tx, ref: string, entityRefs: string[]): Promise<void> {
  await tx.$executeRaw`UPDATE models SET model_providers = array_append(model_providers, ${ref}), updated_at = now()
    WHERE workspace || '/' || name = ANY(${entityRefs}::text[]) AND NOT (${ref} = ANY(model_providers))`;
  await tx.$executeRaw`UPDATE models SET model_providers = array_remove(model_providers, ${ref}), updated_at = now()
    WHERE ${ref} = ANY(model_providers) AND NOT (workspace || '/' || name = ANY(${entityRefs}::text[]))`;
}

async function unlinkProvider(tx: Tx, ref: string): Promise<void> {
  await tx.$executeRaw`UPDATE models SET model_providers = array_remove(model_providers, ${ref}), updated_at = now()
    WHERE ${ref} = ANY(model_providers)`;
}
