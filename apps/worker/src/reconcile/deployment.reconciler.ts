import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DeploymentRepository,
  ModelRepository,
  ProviderRepository,
  type ReconcileVersion,
  type StatusWrite,
} from '#db';
import { ConcurrentModificationError, DomainError, joinRef, type DeploymentStatus } from '#domain';
import {
  compileInstanceSpec,
  type ConfigVersionSpec,
  type EntitySpec,
  type InstanceObservation,
  type InstanceSpec,
  type Runtime,
} from '#runtime';
import { DiscoveryHttpError, DiscoveryLimitError, ModelDiscovery } from '../discovery/model-discovery.js';
import { mapServedModels } from '../discovery/served-models.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import { PLAN_SETTINGS, RUNTIME } from '../tokens.js';
import { planDeployment, type PlanSettings, type Step, type VersionView } from './deployment.planner.js';

/** Passes per job: a status change is followed at once by another look, up to this many. */
const MAX_PASSES = 6;

/**
 * Level-triggered reconciling of one deployment: read the versions from
 * Postgres and their instances from the runtime, let the planner decide,
 * apply the steps (each idempotent), and repeat while the state moves.
 * Status writes compare-and-set on the row's revision, so a concurrent
 * writer (the API, another worker) makes this pass give way, not overwrite.
 */
@Injectable()
export class DeploymentReconciler {
  private readonly logger = new Logger(DeploymentReconciler.name);

  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly providers: ProviderRepository,
    private readonly models: ModelRepository,
    private readonly discovery: ModelDiscovery,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(PLAN_SETTINGS) private readonly settings: PlanSettings,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** Every status write of a pass: compare-and-set on the row's revision, then counted as a transition. */
  private async writeStatus(row: ReconcileVersion, write: StatusWrite & { expectedRevision: number }): Promise<void> {
    await this.deployments.setStatusFrom(row, write);
    this.metrics.statusWritten({ status: row.status, reason: row.statusReason, createdAt: row.createdAt }, write);
  }

  /** Reconciles one deployment; returns when to look again (ms), or null when settled. */
  async reconcile(workspace: string, name: string): Promise<number | null> {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const rows = await this.deployments.versionsForReconcile(workspace, name);
      if (rows.length === 0) return null; // removed; instances left behind are orphans for the resync
      const views = rows.map((row) => toView(row));
      const observed = new Map<string, InstanceObservation>();
      await Promise.all(
        views.map(async (v) => {
          if (v.spec && v.status !== 'DELETED')
            observed.set(v.spec.instanceId, await this.runtime.observe(v.spec.instanceId));
        }),
      );
      const plan = planDeployment(views, observed, new Date(), this.settings);
      const moved = await this.apply(workspace, name, rows, plan.steps);
      if (moved === 'conflict') return 0;
      if (!moved) return plan.recheckInMs;
    }
    return this.settings.pollIntervalMs;
  }

  /** Applies steps in order; true when a status moved (the deployment should be looked at again). */
  private async apply(
    workspace: string,
    name: string,
    rows: ReconcileVersion[],
    steps: Step[],
  ): Promise<boolean | 'conflict'> {
    let moved = false;
    try {
      for (const step of steps) {
        switch (step.kind) {
          case 'apply':
            moved = (await this.applyInstance(workspace, name, rows, step.spec)) || moved;
            break;
          case 'delete':
            await this.runtime.delete(step.instanceId);
            break;
          case 'status': {
            const row = rows.find((r) => r.id === step.versionId) as ReconcileVersion;
            await this.writeStatus(row, { ...step.change, expectedRevision: step.revision });
            // A progress tick (the same wait, a later clock) is neither news for the log nor a move to look again at.
            if (step.change.history === false && step.change.status === row.status) break;
            this.logger.log(
              `${workspace}/${name} v${row.version}: ${step.change.status} ${firstLine(step.change.statusMessage)}`,
            );
            moved = true;
            break;
          }
          case 'discover':
            moved = (await this.discover(workspace, name, rows, step)) || moved;
            break;
          // Routing follows the statuses the plan saw; once one moved, the next pass routes.
          case 'route':
            if (!moved) await this.route(workspace, name, rows, step.serving);
            break;
          case 'removeProvider':
            if (!moved) await this.removeProvider(workspace, name);
            break;
          case 'removeDeployment':
            if (!moved && (await this.deployments.removeIfSettled(workspace, name, this.retentionMs()))) {
              this.logger.log(`${workspace}/${name}: DELETED, records removed (kept in the audit log)`);
            }
            break;
        }
      }
    } catch (error) {
      if (error instanceof ConcurrentModificationError) return 'conflict';
      throw error;
    }
    return moved;
  }

  /**
   * Starts (or restores) an instance. A spec the runtime refuses for good (the
   * cluster rejects the compiled objects, an image is missing) fails the
   * version with the runtime's reason, since retrying cannot help; any other
   * error is thrown, so the job is retried.
   */
  private async applyInstance(
    workspace: string,
    name: string,
    rows: ReconcileVersion[],
    spec: InstanceSpec,
  ): Promise<boolean> {
    try {
      await this.runtime.apply(spec);
      return false;
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'invalid')) throw error;
      const row = rows.find((r) => r.version === spec.version) as ReconcileVersion;
      await this.writeStatus(row, {
        status: 'FAILED',
        statusMessage: `The instance cannot be started: ${error.message}. Fix the deployment config, then create a new version.`,
        reason: 'start_failed',
        endpoint: null,
        expectedRevision: row.revision,
      });
      this.logger.warn(`${workspace}/${name} v${row.version}: FAILED ${firstLine(error.message)}`);
      return true;
    }
  }

  /**
   * The instance is ready: read its models, create their entities, publish
   * the provider (which now routes to this version), then mark it READY.
   * A server without an OpenAI model list is READY too, with nothing routable.
   */
  private async discover(
    workspace: string,
    name: string,
    rows: ReconcileVersion[],
    step: Extract<Step, { kind: 'discover' }>,
  ): Promise<boolean> {
    const row = rows.find((r) => r.id === step.versionId) as ReconcileVersion;
    let message: string;
    let servedModels: { model_entity_id: string; served_model_name: string }[] = [];
    try {
      const listed = await this.discovery.list(step.endpoint, { egressChecked: false });
      const mapping = mapServedModels(workspace, name, listed, row.config?.modelEntityId ?? null);
      await this.models.ensureDiscovered(workspace, mapping.entities);
      servedModels = mapping.servedModels;
      message = `Ready: serving ${servedModels.map((m) => m.served_model_name).join(', ') || 'no models'}`;
      if (mapping.skipped.length) message += ` (not routable, invalid names: ${mapping.skipped.join(', ')})`;
    } catch (error) {
      const nonCompliant =
        (error instanceof DiscoveryHttpError && error.status === 404) ||
        !(error instanceof DiscoveryHttpError || error instanceof DiscoveryLimitError || isNetworkError(error));
      if (!nonCompliant) {
        const pending = `The instance is ready but its model list could not be read (${(error as Error).message}); retrying`;
        if (row.statusMessage !== pending) {
          await this.writeStatus(row, {
            status: 'PENDING',
            statusMessage: pending,
            expectedRevision: step.revision,
          });
          return true;
        }
        return false;
      }
      message = `Ready: non-OpenAI compliant endpoint (${(error as Error).message}); model entity routing disabled`;
    }
    const provider = await this.providers.publishForDeployment({
      workspace,
      deployment: name,
      project: row.project,
      hostUrl: step.endpoint,
      servedModels,
    });
    await this.writeStatus(row, {
      status: 'READY',
      statusMessage: message,
      reason: null,
      endpoint: step.endpoint,
      modelProviderId: joinRef(workspace, provider.name),
      expectedRevision: step.revision,
    });
    this.logger.log(`${workspace}/${name} v${step.version}: READY at ${step.endpoint} (provider ${provider.name})`);
    return true;
  }

  /** Keeps the provider pointed at the serving version, or marks it unavailable. */
  private async route(
    workspace: string,
    name: string,
    rows: ReconcileVersion[],
    serving: { version: number; endpoint: string } | null,
  ): Promise<void> {
    const provider = await this.providers.findForDeployment(workspace, joinRef(workspace, name));
    if (!serving) {
      if (provider && provider.status === 'READY') {
        await this.providers.setRouting(provider.id, {
          status: 'ERROR',
          statusMessage: `No version of deployment ${name} is serving`,
        });
      }
      return;
    }
    if (!provider) {
      // Removed behind our back: publish it again from the serving version.
      const row = rows.find((r) => r.version === serving.version) as ReconcileVersion;
      const listed = await this.discovery.list(serving.endpoint, { egressChecked: false }).catch(() => []);
      const mapping = mapServedModels(workspace, name, listed, row.config?.modelEntityId ?? null);
      await this.models.ensureDiscovered(workspace, mapping.entities);
      await this.providers.publishForDeployment({
        workspace,
        deployment: name,
        project: row.project,
        hostUrl: serving.endpoint,
        servedModels: mapping.servedModels,
      });
      return;
    }
    if (provider.hostUrl !== serving.endpoint || provider.status !== 'READY') {
      await this.providers.setRouting(provider.id, { hostUrl: serving.endpoint, status: 'READY', statusMessage: '' });
    }
  }

  /** The plan asked for a removal only once the retention ran out; the repository checks again by the database's clock. */
  private retentionMs(): number {
    return this.settings.deletedRetentionMs ?? 0;
  }

  private async removeProvider(workspace: string, name: string): Promise<void> {
    const provider = await this.providers.findForDeployment(workspace, joinRef(workspace, name));
    if (provider) {
      await this.providers.delete(workspace, provider.name);
      this.logger.log(`${workspace}/${name}: provider ${provider.name} removed`);
    }
  }
}

function toView(row: ReconcileVersion): VersionView {
  return {
    id: row.id,
    version: row.version,
    isLatest: row.isLatest,
    status: row.status as DeploymentStatus,
    statusMessage: row.statusMessage,
    statusReason: row.statusReason,
    statusChangedAt: new Date(row.statusChangedAt),
    revision: row.revision,
    recoveryAttempts: row.recoveryAttempts,
    endpoint: row.endpoint,
    messageAt: new Date(row.updatedAt),
    spec: row.config
      ? compileInstanceSpec(
          { workspace: row.workspace, deployment: row.name, version: row.version },
          row.config as unknown as ConfigVersionSpec,
          (row.modelEntitySpec as EntitySpec | null) ?? undefined,
        )
      : null,
  };
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    code.startsWith('UND_ERR') || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE'].includes(code)
  );
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
