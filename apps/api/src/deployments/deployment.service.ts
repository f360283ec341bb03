import { Injectable } from '@nestjs/common';
import { actorAuthContext, actorId, currentDialect } from '#auth';
import {
  DEPLOYMENT_SORTABLE,
  DeploymentRepository,
  ProviderRepository,
  type ConfigRef,
  type DeleteOutcome,
  type DeploymentAuthor,
  type DeploymentWithHistory,
  type Page,
  filterFields,
} from '#db';
import {
  BadRequestError,
  DEPLOYMENT_STATUSES,
  joinRef,
  splitRef,
  statusFromWire,
  statusOnWire,
  type DeploymentStatus,
} from '#domain';
import type { ListQueryDto } from '../common/list.js';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import { ReconcileQueue } from '#queue';
import { DeploymentEvents } from './deployment-events.js';
import { RuntimeGate } from '../common/runtime-gate.js';
import type {
  CreateDeploymentDto,
  DeploymentDto,
  DeploymentModelsDto,
  DeploymentStatusUpdateDto,
  UpdateDeploymentDto,
} from './deployment.dto.js';

const FILTER = filterFields({
  name: 'string',
  project: 'string',
  // Read in the request's vocabulary: ERROR is FAILED on NeMo's paths.
  status: {
    column: 'status',
    type: 'enum',
    values: DEPLOYMENT_STATUSES,
    fromWire: (value) => statusFromWire(value, currentDialect()),
  },
  config: { column: 'config_name', type: 'string' },
  config_version: 'int',
  model_provider_id: 'string',
  status_message: 'string',
  entity_version: { column: 'version', type: 'int' },
  created_at: 'datetime',
  updated_at: 'datetime',
});

@Injectable()
export class DeploymentService {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly scope: WorkspaceScope,
    private readonly gate: RuntimeGate,
    private readonly queue: ReconcileQueue,
    private readonly events: DeploymentEvents,
    private readonly providers: ProviderRepository,
  ) {}

  async create(workspace: string, dto: CreateDeploymentDto): Promise<DeploymentDto> {
    this.gate.assertEnabled();
    const row = await this.deployments
      .create(workspace, dto.name, dto.project ?? null, configRef(workspace, dto), author())
      .catch((e) => this.scope.rethrow(e, workspace));
    await this.queue.enqueue(workspace, dto.name);
    return present(row);
  }

  async newVersion(workspace: string, name: string, dto: UpdateDeploymentDto): Promise<DeploymentDto> {
    this.gate.assertEnabled();
    const row = await this.deployments
      .newVersion(workspace, name, configRef(workspace, dto), author())
      .catch((e) => this.scope.rethrow(e, workspace));
    await this.queue.enqueue(workspace, name);
    return present(row);
  }

  list(workspace: string, dto: ListQueryDto, allVersions: boolean): Promise<Page<DeploymentDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: DEPLOYMENT_SORTABLE },
      (query) => this.deployments.list(query, allVersions),
      present,
    );
  }

  async get(workspace: string, name: string, version?: number): Promise<DeploymentDto> {
    const row =
      version === undefined
        ? await this.deployments.findLatest(workspace, name)
        : await this.deployments.findVersion(workspace, name, version);
    return present(row ?? (await this.scope.notFound('deployment', workspace, name, version)));
  }

  async versions(workspace: string, name: string): Promise<DeploymentDto[]> {
    const rows = await this.deployments.versions(workspace, name);
    if (rows.length === 0) await this.scope.notFound('deployment', workspace, name);
    return rows.map(present);
  }

  async setStatus(
    workspace: string,
    name: string,
    version: number | undefined,
    dto: DeploymentStatusUpdateDto,
  ): Promise<DeploymentDto> {
    this.gate.assertEnabled();
    const row = await this.deployments
      .setStatus(workspace, name, version, {
        status: statusFromWire(dto.status, currentDialect()) as DeploymentStatus,
        statusMessage: dto.status_message ?? '',
        actor: actorId(),
        ...(dto.model_provider_id !== undefined ? { modelProviderId: dto.model_provider_id } : {}),
      })
      .catch((e) => this.scope.rethrow(e, workspace));
    await this.queue.enqueue(workspace, name);
    return present(row);
  }

  /**
   * The latest version as GET answers it, or, with `orRemoved`, once the deployment's records are gone
   * (a DELETED deployment is removed: see DELETED_DEPLOYMENT_RETENTION_SECONDS), its last state as the
   * removal record in the audit log keeps it. 404 when neither is found.
   */
  async current(
    workspace: string,
    name: string,
    orRemoved: boolean,
  ): Promise<{ deployment: DeploymentDto; removed: boolean }> {
    const row = await this.deployments.findLatest(workspace, name);
    if (row) return { deployment: present(row), removed: false };
    const removed = orRemoved ? await this.deployments.findRemoved(workspace, name) : null;
    if (removed) return { deployment: present(removed), removed: true };
    return this.scope.notFound('deployment', workspace, name);
  }

  /**
   * The latest version once its status is one of `statuses`, or as it is
   * when `timeoutMs` runs out. Subscribes before reading, so a change that
   * lands in between is not missed. A deployment removed during the wait (or
   * already removed, when DELETED is awaited) answers its final DELETED state.
   */
  async waitFor(
    workspace: string,
    name: string,
    statuses: ReadonlySet<string>,
    timeoutMs: number,
  ): Promise<DeploymentDto> {
    // A change that lands while the state is being read (before anyone waits) is kept in `changed`,
    // so the loop reads again instead of sleeping through it.
    let changed = false;
    let wake: () => void = () => (changed = true);
    const unsubscribe = await this.events.subscribe(workspace, name, () => wake());
    const deadline = Date.now() + timeoutMs;
    let seen = false;
    try {
      for (;;) {
        const { deployment: current, removed } = await this.current(workspace, name, seen || statuses.has('DELETED'));
        seen = true;
        const left = deadline - Date.now();
        if (removed || statuses.has(current.status) || left <= 0) return current;
        if (changed) {
          changed = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => (changed = true);
      }
    } finally {
      unsubscribe();
    }
  }

  /** What the deployment's provider serves (empty until a version is READY). */
  async models(workspace: string, name: string): Promise<DeploymentModelsDto> {
    await this.get(workspace, name); // 404 for an unknown deployment or workspace
    const provider = await this.providers.findForDeployment(workspace, joinRef(workspace, name));
    return compact({
      workspace,
      name,
      model_provider_id: provider ? joinRef(workspace, provider.name) : undefined,
      models: (provider?.servedModels as DeploymentModelsDto['models'] | undefined) ?? [],
    });
  }

  /** Subscribes to status changes of a deployment (for event streams). */
  subscribe(workspace: string, name: string, listener: () => void): Promise<() => void> {
    return this.events.subscribe(workspace, name, listener);
  }

  async delete(workspace: string, name: string, version?: number): Promise<DeleteOutcome> {
    this.gate.assertEnabled();
    const outcome =
      version === undefined
        ? this.deployments.delete(workspace, name, actorId())
        : this.deployments.deleteVersion(workspace, name, version, actorId());
    const result = await outcome.catch((e) => this.scope.rethrow(e, workspace));
    if (result === 'marked') await this.queue.enqueue(workspace, name);
    return result;
  }
}

/**
 * The caller writing a new version: its created_by, and the AuthContext the deployment keeps (set by the
 * server from the authenticated principal; no client field can supply it).
 */
function author(): DeploymentAuthor {
  return { actor: actorId(), authContext: actorAuthContext() };
}

/** `config` may be `name` or `workspace/name`; deployments only use configs of their own workspace. */
function configRef(workspace: string, dto: UpdateDeploymentDto): ConfigRef {
  const ref = splitRef(dto.config, workspace);
  if (ref.workspace !== workspace) {
    throw new BadRequestError(
      'deployment/cross_workspace_config',
      `config '${dto.config}' belongs to workspace '${ref.workspace}'; a deployment in '${workspace}' can only use configs of its own workspace`,
    );
  }
  return { name: ref.name, version: dto.config_version ? dto.config_version : undefined };
}

/** A deployment as the request's vocabulary says it (FAILED is ERROR on NeMo's paths). */
function present(d: DeploymentWithHistory): DeploymentDto {
  const dialect = currentDialect();
  return compact({
    id: d.id,
    name: d.name,
    workspace: d.workspace,
    project: d.project ?? undefined,
    entity_version: d.version,
    config: d.configName,
    config_version: d.configVersion,
    status: statusOnWire(d.status as DeploymentStatus, dialect) as DeploymentStatus,
    status_message: d.statusMessage,
    status_history: d.history.map((h) => ({
      timestamp: iso(h.at),
      status: statusOnWire(h.status as DeploymentStatus, dialect) as DeploymentStatus,
      status_message: h.statusMessage,
    })),
    status_reason: d.statusReason ?? undefined,
    endpoint: d.endpoint ?? undefined,
    serving_version: d.servingVersion ?? undefined,
    model_provider_id: d.modelProviderId ?? undefined,
    auth_context: (d.authContext as Record<string, unknown> | null) ?? undefined,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    ...authorship(d),
  });
}
