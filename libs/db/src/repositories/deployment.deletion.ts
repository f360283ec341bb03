import { NotFoundError, STATUS_MESSAGES } from '#domain';
import type { PrismaService, Tx } from '../prisma.service.js';
import { removeLocked } from './deployment.removal.js';
import { appendHistory, lockVersion } from './deployment.status-write.js';
import type { DeleteOutcome } from './deployment.types.js';
import { lockHead } from './versioning.js';

/**
 * DeploymentRepository's deletes. A live version is only marked DELETING
 * (the workers tear it down and mark it DELETED); records go once DELETED,
 * through removeLocked (deployment.removal.ts), which keeps their history in
 * the audit log. The workers remove a DELETED deployment themselves after
 * DELETED_DEPLOYMENT_RETENTION_SECONDS; a DELETE does it at once.
 */

/**
 * Deleting a deployment marks every version that is not DELETED as
 * DELETING (the workers tear them down); when every version is already
 * DELETED the records are removed.
 */
export function deleteDeployment(
  prisma: PrismaService,
  workspace: string,
  name: string,
  actor: string,
): Promise<DeleteOutcome> {
  return prisma.$transaction(async (tx) => {
    const headId = await lockHead(tx, 'deployments', workspace, name, 'UPDATE');
    if (!headId) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
    const live = await tx.deploymentVersion.findMany({
      where: { deploymentId: headId, status: { not: 'DELETED' } },
      select: { id: true, status: true },
    });
    if (live.length === 0) {
      await removeLocked(tx, headId, actor, 'deleted_again');
      return 'deleted';
    }
    for (const v of live) if (v.status !== 'DELETING') await markDeleting(tx, v.id, actor);
    await tx.deployment.update({ where: { id: headId }, data: { updatedBy: actor } });
    return 'marked';
  });
}

/** The same for one version; removing the last version removes the deployment. */
export function deleteDeploymentVersion(
  prisma: PrismaService,
  workspace: string,
  name: string,
  version: number,
  actor: string,
): Promise<DeleteOutcome> {
  return prisma.$transaction(async (tx) => {
    const headId = await lockHead(tx, 'deployments', workspace, name, 'UPDATE');
    if (!headId) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
    const target = await lockVersion(tx, workspace, name, version);
    if (target.status !== 'DELETED') {
      if (target.status !== 'DELETING') await markDeleting(tx, target.id, actor);
      await tx.deployment.update({ where: { id: headId }, data: { updatedBy: actor } });
      return 'marked';
    }
    const remaining = await tx.deploymentVersion.findFirst({
      where: { deploymentId: headId, id: { not: target.id } },
      orderBy: { version: 'desc' },
      select: { id: true },
    });
    if (!remaining) {
      // Its last version: the deployment goes with it, its record into the audit log.
      await removeLocked(tx, headId, actor, 'last_version_deleted');
      return 'deleted';
    }
    await tx.deploymentVersion.delete({ where: { id: target.id } });
    if (target.is_latest) await tx.deploymentVersion.update({ where: { id: remaining.id }, data: { isLatest: true } });
    return 'deleted';
  });
}

async function markDeleting(tx: Tx, id: string, actor: string): Promise<void> {
  await tx.deploymentVersion.update({
    where: { id },
    data: {
      updatedBy: actor,
      status: 'DELETING',
      statusMessage: STATUS_MESSAGES.deletionRequested,
      statusReason: null,
      statusChangedAt: new Date(),
      revision: { increment: 1 },
    },
  });
  await appendHistory(tx, id, 'DELETING', STATUS_MESSAGES.deletionRequested);
}
