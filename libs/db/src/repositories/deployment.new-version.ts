import {
  AlreadyExistsError,
  DeploymentBeingDeletedError,
  DeploymentConfigRefNotFoundError,
  newId,
  NotFoundError,
  STATUS_MESSAGES,
  type DeploymentStatus,
} from '#domain';
import type { Prisma } from '../generated/prisma/client.js';
import { mapWriteErrors } from '../prisma-errors.js';
import type { PrismaService, Tx } from '../prisma.service.js';
import { servingVersion, WITH_HISTORY } from './deployment.reads.js';
import type { ConfigRef, DeploymentAuthor, DeploymentWithHistory } from './deployment.types.js';
import { lockHead, nextVersion } from './versioning.js';

/**
 * DeploymentRepository's version creation: a new deployment (version 1) or
 * a new version of one, each pinned to the config version it will run.
 */

/** Version 1 in CREATED with its first history entry. */
export function createDeployment(
  prisma: PrismaService,
  workspace: string,
  name: string,
  project: string | null,
  config: ConfigRef,
  author: DeploymentAuthor,
): Promise<DeploymentWithHistory> {
  return mapWriteErrors(
    () =>
      prisma.$transaction(async (tx) => {
        const cfg = await resolveConfig(tx, workspace, config);
        const head = await tx.deployment.create({
          data: {
            id: newId('deployment'),
            workspace,
            name,
            latestVersion: 1,
            createdBy: author.actor,
            updatedBy: author.actor,
          },
        });
        return insertVersion(tx, {
          deploymentId: head.id,
          workspace,
          name,
          version: 1,
          project,
          config: cfg,
          status: 'CREATED',
          statusMessage: STATUS_MESSAGES.created,
          author,
        });
      }),
    {
      onDuplicate: () => new AlreadyExistsError('deployment', workspace, name),
      onMissingRef: () => new NotFoundError('workspace', workspace),
    },
  );
}

/** Version N+1 in PENDING; the previous versions keep their status (they serve until it is READY). */
export function addVersion(
  prisma: PrismaService,
  workspace: string,
  name: string,
  config: ConfigRef,
  author: DeploymentAuthor,
): Promise<DeploymentWithHistory> {
  return prisma.$transaction(async (tx) => {
    // Lock the head before reading the latest status, so a concurrent delete
    // (which locks it too) either marks this version or is seen here.
    if (!(await lockHead(tx, 'deployments', workspace, name, 'UPDATE'))) {
      throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
    }
    const cfg = await resolveConfig(tx, workspace, config);
    const latest = await tx.deploymentVersion.findFirst({
      where: { workspace, name, isLatest: true },
      select: { status: true },
    });
    if (latest && (latest.status === 'DELETING' || latest.status === 'DELETED')) {
      throw new DeploymentBeingDeletedError(name, latest.status);
    }
    const next = await nextVersion(
      tx,
      'deployments',
      'deployment_versions',
      'deployment_id',
      workspace,
      name,
      author.actor,
    );
    if (!next) throw new NotFoundError('deployment', name, ` in workspace '${workspace}'`);
    return insertVersion(tx, {
      deploymentId: next.headId,
      workspace,
      name,
      version: next.version,
      project: next.project,
      config: cfg,
      status: 'PENDING',
      statusMessage: STATUS_MESSAGES.updatePending,
      author,
    });
  });
}

interface ResolvedConfig {
  id: string;
  name: string;
  version: number;
  /** The model entity's spec, as the version will keep it (see entitySpecOf). */
  modelEntitySpec: Prisma.InputJsonValue | null;
}

/**
 * Finds the config version a deployment will run, holding the config's head
 * row FOR SHARE so a concurrent config delete waits for us (or we for it).
 */
async function resolveConfig(tx: Tx, workspace: string, ref: ConfigRef): Promise<ResolvedConfig> {
  const headId = await lockHead(tx, 'deployment_configs', workspace, ref.name, 'SHARE');
  const row = headId
    ? await tx.deploymentConfigVersion.findFirst({
        where:
          ref.version === undefined ? { configId: headId, isLatest: true } : { configId: headId, version: ref.version },
        select: { id: true, name: true, version: true, modelEntityId: true },
      })
    : null;
  if (!row) {
    throw new DeploymentConfigRefNotFoundError(workspace, ref.name, ref.version);
  }
  const { modelEntityId, ...config } = row;
  return { ...config, modelEntitySpec: modelEntityId ? await entitySpecOf(tx, modelEntityId) : null };
}

/**
 * What of a model entity shapes its server (the reference's env step 5 and
 * trust_remote_code): its spec's chat template and tool calling, and
 * trust_remote_code. Null when the entity does not exist (yet) or sets none.
 */
async function entitySpecOf(tx: Tx, entityRef: string): Promise<Prisma.InputJsonValue | null> {
  const slash = entityRef.indexOf('/');
  if (slash < 0) return null;
  const model = await tx.model.findUnique({
    where: { workspace_name: { workspace: entityRef.slice(0, slash), name: entityRef.slice(slash + 1) } },
    select: { spec: true, trustRemoteCode: true },
  });
  if (!model) return null;
  const spec = (model.spec ?? {}) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  if (typeof spec.chat_template === 'string') picked.chat_template = spec.chat_template;
  if (spec.tool_call_config && typeof spec.tool_call_config === 'object')
    picked.tool_call_config = spec.tool_call_config;
  if (model.trustRemoteCode) picked.trust_remote_code = true;
  return Object.keys(picked).length > 0 ? (picked as Prisma.InputJsonValue) : null;
}

async function insertVersion(
  tx: Tx,
  v: {
    deploymentId: string;
    workspace: string;
    name: string;
    version: number;
    project: string | null;
    config: ResolvedConfig;
    status: DeploymentStatus;
    statusMessage: string;
    author: DeploymentAuthor;
  },
): Promise<DeploymentWithHistory> {
  const id = newId('deployment');
  const row = await tx.deploymentVersion.create({
    data: {
      id,
      deploymentId: v.deploymentId,
      workspace: v.workspace,
      name: v.name,
      version: v.version,
      isLatest: true,
      project: v.project,
      configVersionId: v.config.id,
      configName: v.config.name,
      configVersion: v.config.version,
      ...(v.config.modelEntitySpec !== null ? { modelEntitySpec: v.config.modelEntitySpec } : {}),
      status: v.status,
      statusMessage: v.statusMessage,
      authContext: v.author.authContext,
      createdBy: v.author.actor,
      updatedBy: v.author.actor,
      history: { create: { status: v.status, statusMessage: v.statusMessage } },
    },
    include: WITH_HISTORY,
  });
  return { ...row, servingVersion: v.version === 1 ? null : await servingVersion(tx, v.deploymentId) };
}
