import { Injectable } from '@nestjs/common';
import { AlreadyExistsError, DeploymentConfigInUseError, newId, NotFoundError } from '#domain';
import type { DeploymentConfigVersion, Prisma } from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import { PrismaService, type Tx } from '../prisma.service.js';
import { CONFIG_VERSIONS, selectList } from '../query/tables.js';
import { findOne, findPage, type ListQuery } from './list.js';
import { lockHead, nextVersion } from './versioning.js';

export const CONFIG_SORTABLE = {
  name: 'name',
  created_at: 'created_at',
  updated_at: 'created_at',
  entity_version: 'version',
};

export type ConfigVersionData = Pick<
  Prisma.DeploymentConfigVersionUncheckedCreateInput,
  'description' | 'engine' | 'modelEntityId' | 'modelSpec' | 'executorConfig'
>;

@Injectable()
export class DeploymentConfigRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Version 1 of a new config, written by `actor` (created_by of the head and the version). */
  create(
    workspace: string,
    name: string,
    project: string | null,
    data: ConfigVersionData,
    actor: string,
  ): Promise<DeploymentConfigVersion> {
    return mapWriteErrors(
      () =>
        this.prisma.$transaction(async (tx) => {
          const head = await tx.deploymentConfig.create({
            data: {
              id: newId('deploymentconfig'),
              workspace,
              name,
              latestVersion: 1,
              createdBy: actor,
              updatedBy: actor,
            },
          });
          return tx.deploymentConfigVersion.create({
            data: {
              ...data,
              id: newId('deploymentconfig'),
              configId: head.id,
              workspace,
              name,
              version: 1,
              isLatest: true,
              project,
              createdBy: actor,
            },
          });
        }),
      {
        onDuplicate: () => new AlreadyExistsError('deployment_config', workspace, name),
        onMissingRef: () => new NotFoundError('workspace', workspace),
      },
    );
  }

  /** Version N+1, serialised on the head row so concurrent writers each get their own number. */
  newVersion(
    workspace: string,
    name: string,
    data: ConfigVersionData,
    actor: string,
  ): Promise<DeploymentConfigVersion> {
    return this.prisma.$transaction(async (tx) => {
      const next = await nextVersion(
        tx,
        'deployment_configs',
        'deployment_config_versions',
        'config_id',
        workspace,
        name,
        actor,
      );
      if (!next) throw new NotFoundError('deployment_config', name, ` in workspace '${workspace}'`);
      return tx.deploymentConfigVersion.create({
        data: {
          ...data,
          id: newId('deploymentconfig'),
          configId: next.headId,
          workspace,
          name,
          version: next.version,
          isLatest: true,
          project: next.project,
          createdBy: actor,
        },
      });
    });
  }

  /** The latest version of each config, or every version with `allVersions`. */
  list(query: ListQuery, allVersions: boolean) {
    return findPage(this.prisma.pool, CONFIG_VERSIONS, query, { extraWhere: allVersions ? undefined : 'is_latest' });
  }

  findLatest(workspace: string, name: string): Promise<DeploymentConfigVersion | null> {
    return findOne(this.prisma.pool, CONFIG_VERSIONS, 'workspace = $1 AND name = $2 AND is_latest', [workspace, name]);
  }

  findVersion(workspace: string, name: string, version: number): Promise<DeploymentConfigVersion | null> {
    return findOne(this.prisma.pool, CONFIG_VERSIONS, 'workspace = $1 AND name = $2 AND version = $3', [
      workspace,
      name,
      version,
    ]);
  }

  /** All versions, newest first. */
  async versions(workspace: string, name: string): Promise<DeploymentConfigVersion[]> {
    const { rows } = await this.prisma.pool.query(
      `SELECT ${selectList(CONFIG_VERSIONS)} FROM deployment_config_versions WHERE workspace = $1 AND name = $2 ORDER BY version DESC`,
      [workspace, name],
    );
    return rows;
  }

  /**
   * Deletes every version (or one), refused while a deployment version that
   * is not DELETED runs one of them. Deployments lock the head row FOR SHARE
   * while they pick a config version, so the check and the delete cannot
   * interleave with a new deployment.
   */
  async delete(workspace: string, name: string, version?: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const headId = await lockHead(tx, 'deployment_configs', workspace, name, 'UPDATE');
      if (!headId) throw new NotFoundError('deployment_config', name, ` in workspace '${workspace}'`);
      const target = version === undefined ? undefined : await this.versionOrThrow(tx, workspace, name, version);
      const users = await tx.deploymentVersion.findMany({
        where: {
          status: { not: 'DELETED' },
          configVersionRef: target ? { id: target.id } : { configId: headId },
        },
        select: { name: true, version: true, status: true, configVersion: true },
        orderBy: [{ name: 'asc' }, { version: 'asc' }],
        take: 5,
      });
      if (users.length > 0) {
        const listed = users.map((u) => `${u.name} v${u.version} (${u.status}, config v${u.configVersion})`).join(', ');
        throw new DeploymentConfigInUseError(name, target ? version : undefined, listed);
      }
      if (!target) {
        await tx.deploymentConfig.delete({ where: { id: headId } });
        return;
      }
      await tx.deploymentConfigVersion.delete({ where: { id: target.id } });
      const remaining = await tx.deploymentConfigVersion.findFirst({
        where: { configId: headId },
        orderBy: { version: 'desc' },
        select: { id: true },
      });
      if (!remaining) await tx.deploymentConfig.delete({ where: { id: headId } });
      else if (target.isLatest)
        await tx.deploymentConfigVersion.update({ where: { id: remaining.id }, data: { isLatest: true } });
    });
  }

  private async versionOrThrow(tx: Tx, workspace: string, name: string, version: number) {
    const row = await tx.deploymentConfigVersion.findUnique({
      where: { workspace_name_version: { workspace, name, version } },
      select: { id: true, isLatest: true },
    });
    if (!row)
      throw new NotFoundError('deployment_config', `${name}`, ` version ${version} in workspace '${workspace}'`);
    return row;
  }
}
