import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { addVersion, createDeployment } from './deployment.new-version.js';
import { deleteDeployment, deleteDeploymentVersion } from './deployment.deletion.js';
import * as reads from './deployment.reads.js';
import { expiredDeleted, findRemoved, removeIfSettled } from './deployment.removal.js';
import { setStatus, setStatusFrom } from './deployment.status-write.js';
import type {
  ConfigRef,
  DeleteOutcome,
  DeploymentAuthor,
  DeploymentWithHistory,
  ReconcileVersion,
  StatusRow,
  StatusWrite,
} from './deployment.types.js';
import type { ListQuery } from './list.js';

export { DEPLOYMENT_SORTABLE } from './deployment.reads.js';
export { DEPLOYMENT_REMOVED_ACTION } from './deployment.removal.js';
export type { RemovalCause, RemovalRecord, RemovedVersion } from './deployment.removal.js';
export type {
  ConfigRef,
  DeleteOutcome,
  DeploymentAuthor,
  DeploymentWithHistory,
  HistoryEntry,
  ReconcileVersion,
  StatusRow,
  StatusWrite,
} from './deployment.types.js';

/**
 * Deployments and their immutable versions. The one injectable the API and
 * the workers use; each concern lives in its own module (reads, version
 * creation, status writes, deletes), and this class hands them the pool or
 * the Prisma client they need.
 */
@Injectable()
export class DeploymentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Version 1 in CREATED with its first history entry. */
  create(
    workspace: string,
    name: string,
    project: string | null,
    config: ConfigRef,
    author: DeploymentAuthor,
  ): Promise<DeploymentWithHistory> {
    return createDeployment(this.prisma, workspace, name, project, config, author);
  }

  /** Version N+1 in PENDING; the previous versions keep their status (they serve until it is READY). */
  newVersion(
    workspace: string,
    name: string,
    config: ConfigRef,
    author: DeploymentAuthor,
  ): Promise<DeploymentWithHistory> {
    return addVersion(this.prisma, workspace, name, config, author);
  }

  /** The latest version of each deployment, or every version with `allVersions`. */
  list(query: ListQuery, allVersions: boolean): Promise<{ rows: DeploymentWithHistory[]; total: number }> {
    return reads.listVersions(this.prisma.pool, query, allVersions);
  }

  findLatest(workspace: string, name: string): Promise<DeploymentWithHistory | null> {
    return reads.findLatest(this.prisma.pool, workspace, name);
  }

  findVersion(workspace: string, name: string, version: number): Promise<DeploymentWithHistory | null> {
    return reads.findVersion(this.prisma.pool, workspace, name, version);
  }

  /** All versions, newest first. */
  versions(workspace: string, name: string): Promise<DeploymentWithHistory[]> {
    return reads.allVersions(this.prisma.pool, workspace, name);
  }

  /** The API's status write: locked, through the transition table; see deployment.status-write.ts. */
  setStatus(
    workspace: string,
    name: string,
    version: number | undefined,
    write: StatusWrite,
  ): Promise<DeploymentWithHistory> {
    return setStatus(this.prisma, workspace, name, version, write);
  }

  /** The workers' status write: one compare-and-set statement; returns the new revision. */
  setStatusFrom(current: StatusRow, write: StatusWrite & { expectedRevision: number }): Promise<number> {
    return setStatusFrom(this.prisma.pool, current, write);
  }

  /** Marks every version not DELETED as DELETING, or removes the records (see removeLocked) when all are DELETED. */
  delete(workspace: string, name: string, actor: string): Promise<DeleteOutcome> {
    return deleteDeployment(this.prisma, workspace, name, actor);
  }

  /** The same for one version; removing the last version removes the deployment. */
  deleteVersion(workspace: string, name: string, version: number, actor: string): Promise<DeleteOutcome> {
    return deleteDeploymentVersion(this.prisma, workspace, name, version, actor);
  }

  /**
   * Removes the deployment if every version is DELETED and has been for `retentionMs` (the records go,
   * their history into the audit log as `deployment.removed` by `actor`). Atomic and idempotent; true
   * when this call removed it.
   */
  removeIfSettled(workspace: string, name: string, retentionMs: number, actor = 'system'): Promise<boolean> {
    return removeIfSettled(this.prisma, workspace, name, retentionMs, actor);
  }

  /** Deployments DELETED for at least `retentionMs` (at most `limit`): what the workers' sweep removes. */
  expiredDeleted(retentionMs: number, limit = 500): Promise<{ workspace: string; name: string }[]> {
    return expiredDeleted(this.prisma.pool, retentionMs, limit);
  }

  /** The latest version of a removed deployment, from its removal record; null if none was removed. */
  findRemoved(workspace: string, name: string): Promise<DeploymentWithHistory | null> {
    return findRemoved(this.prisma.pool, workspace, name);
  }

  /** Every version of a deployment with the config it runs, oldest first (the reconciler's view). */
  versionsForReconcile(workspace: string, name: string): Promise<ReconcileVersion[]> {
    return reads.versionsForReconcile(this.prisma.pool, workspace, name);
  }

  /** Deployments with a version that is not DELETED: what the resync re-enqueues. */
  unsettled(): Promise<{ workspace: string; name: string }[]> {
    return reads.unsettled(this.prisma.pool);
  }

  /** Deployments per workspace and status of their latest version. */
  countByStatus(): Promise<{ workspace: string; status: string; count: number }[]> {
    return reads.countByStatus(this.prisma.pool);
  }

  /** Whether a version exists and is not DELETED (an instance of it may live). */
  isLive(workspace: string, name: string, version: number): Promise<boolean> {
    return reads.isLive(this.prisma.pool, workspace, name, version);
  }
}
