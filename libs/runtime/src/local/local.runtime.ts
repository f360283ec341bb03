import { Logger } from '@nestjs/common';
import { DomainError } from '#domain';
import { watch, type FSWatcher } from 'node:fs';
import {
  missing,
  type InstanceListener,
  type InstanceObservation,
  type InstanceSpec,
  type Runtime,
} from '../runtime.js';
import { InstanceChanges } from '../instance-changes.js';
import { CommandTemplate } from './command-template.js';
import { GpuPool } from './gpu-pool.js';
import { InstanceStore } from './instance-store.js';
import { resolveInstanceUser } from './instance-user.js';
import { KeyedMutex } from './keyed-mutex.js';
import {
  resolveLocalRuntimeOptions,
  type LocalRuntimeOptions,
  type ResolvedLocalRuntimeOptions,
  type RuntimeLogger,
} from './local-runtime.options.js';
import { PortBook } from './ports.js';
import { ProcessLauncher } from './process-launcher.js';
import { InstanceSupervisor } from './process-supervisor.js';
import { runningInstanceIds, stopInstance } from './process-table.js';
import type { LocalInstanceInfo, SupervisorContext } from './supervisor-context.js';

/** A file name (no `/`, not `.` or `..`), and every id instanceIdOf makes from valid names. */
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._@+~-]{0,252}$/;

/**
 * Runs model servers as local child processes, with a kubelet's semantics so
 * the reconciler sees what it will see on Kubernetes: GPU capacity that
 * leaves instances pending, readiness probes, restarts with back-off that
 * report `exited`/`start_failed`/`crash_loop`, and a graceful stop of the
 * whole process group.
 *
 * The processes outlive the worker: a small launcher process starts them in
 * a session of its own (one CPU share for all of them, not one each, under
 * autogroup scheduling), each in its own process group; they write straight
 * to `<stateDir>/logs/<id>.log`, and each has a record in
 * `<stateDir>/instances/<id>.json`. A new LocalRuntime on the same state
 * directory adopts the ones still running and restarts the ones that died.
 * One LocalRuntime at a time may supervise a state directory: a process
 * marked with it whose instance has no record is stopped as an orphan.
 *
 * An instance's environment is built from nothing: PATH, HOME, LANG, the
 * spec's env, the port and the ownership variables. When the runtime runs as
 * root, instances run as an unprivileged user (`options.user`), so they can
 * read neither the worker's environment nor its memory.
 *
 * Deleting an instance keeps its last log as `<stateDir>/logs/<id>.log.old`
 * (one generation, for a post-mortem); nothing prunes those files.
 */
export class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  private readonly options: ResolvedLocalRuntimeOptions;
  private readonly logger: RuntimeLogger;
  private readonly ctx: SupervisorContext;
  private readonly gpus: GpuPool;
  private readonly locks = new KeyedMutex();
  private readonly supervisors = new Map<string, InstanceSupervisor>();
  private readonly events: InstanceChanges;
  private loading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;
  private logWatch: FSWatcher | null = null;

  constructor(options: LocalRuntimeOptions) {
    this.options = resolveLocalRuntimeOptions(options);
    this.logger = options.logger ?? new Logger(LocalRuntime.name);
    this.events = new InstanceChanges(this.logger);
    this.ctx = {
      options: this.options,
      command: new CommandTemplate(this.options.command),
      store: new InstanceStore(this.options.stateDir),
      ports: new PortBook(this.options.host),
      logger: this.logger,
      launcher: new ProcessLauncher({ nice: this.options.nice, env: launcherEnv(this.options.baseEnv) }),
      runAs: null,
      changed: (record, change) => {
        const { workspace, deployment, version } = record.labels;
        this.events.emit({ instanceId: record.instanceId, change, workspace, deployment, version });
      },
    };
    this.gpus = new GpuPool(this.options.gpus);
  }

  /** Reads the state directory and takes over its instances. Idempotent; every other method awaits it. */
  init(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('LocalRuntime is closed'));
    this.loading ??= this.load();
    return this.loading;
  }

  async apply(spec: InstanceSpec): Promise<InstanceObservation> {
    validateSpec(spec);
    await this.init();
    return this.locks.run(spec.instanceId, async () => {
      const existing = this.supervisors.get(spec.instanceId);
      if (existing !== undefined && existing.specHash === spec.specHash) return this.observeOne(existing);
      if (existing !== undefined) await this.remove(existing);

      const supervisor = await InstanceSupervisor.create(this.ctx, structuredClone(spec));
      this.supervisors.set(spec.instanceId, supervisor);
      const gpuIds = this.gpus.tryAllocate(spec.instanceId, spec.gpu);
      if (gpuIds !== null) {
        supervisor.assign(gpuIds);
        await supervisor.launch();
      }
      // GPUs the replaced instance held, beyond what its successor took, may fit an instance that waits.
      if (existing !== undefined) this.schedulePending();
      return this.observeOne(supervisor);
    });
  }

  async observe(instanceId: string): Promise<InstanceObservation> {
    await this.init();
    const supervisor = this.supervisors.get(instanceId);
    return supervisor === undefined ? missing(instanceId) : this.observeOne(supervisor);
  }

  async delete(instanceId: string): Promise<void> {
    await this.init();
    await this.locks.run(instanceId, async () => {
      const supervisor = this.supervisors.get(instanceId);
      if (supervisor !== undefined) return this.remove(supervisor);
      // No record (never created, or a crash between spawn and save): still, nothing of it may keep running.
      if (INSTANCE_ID.test(instanceId)) {
        await stopInstance({ instanceId, stateDir: this.options.stateDir }, null, this.options.terminationGraceMs);
      }
    });
    this.schedulePending();
  }

  async list(): Promise<InstanceObservation[]> {
    await this.init();
    await this.stopOrphans();
    const supervisors = [...this.supervisors.values()];
    await Promise.all(supervisors.map((supervisor) => supervisor.pollLog()));
    return supervisors.map((supervisor) => supervisor.observe(this.pendingMessage(supervisor)));
  }

  watch(listener: InstanceListener): () => void {
    return this.events.watch(listener);
  }

  /** Local processes need nothing that can be down. */
  ping(): Promise<void> {
    return Promise.resolve();
  }

  /** Stops probing and restarting; the processes keep running for the next LocalRuntime to adopt. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loading?.catch(() => undefined);
    if (this.timer !== null) clearInterval(this.timer);
    this.logWatch?.close();
    await this.locks.drain();
    await this.ticking;
    for (const supervisor of this.supervisors.values()) supervisor.detach();
    this.ctx.launcher.close();
    this.events.close();
    await this.ctx.store.flush();
  }

  /** Process details of one instance (pid, port, log file), for tooling and tests; undefined when unknown. */
  describe(instanceId: string): LocalInstanceInfo | undefined {
    return this.supervisors.get(instanceId)?.info();
  }

  private async load(): Promise<void> {
    const { store, ports } = this.ctx;
    if (this.options.user !== null) {
      this.ctx.runAs = await resolveInstanceUser(this.options.user);
      if (this.ctx.runAs !== null)
        this.logger.log(`Instances run as ${this.ctx.runAs.name} (uid ${this.ctx.runAs.uid})`);
    }
    await store.prepare();
    const { records, unreadable } = await store.loadAll();
    for (const name of unreadable)
      this.logger.warn(`Ignoring ${name} in ${store.instancesDir}: not an instance record`);
    for (const record of records) {
      if (record.state !== 'pending') this.gpus.restore(record.instanceId, record.gpuIds);
      if (record.port !== null) ports.hold(record.port, record.instanceId);
      this.supervisors.set(record.instanceId, InstanceSupervisor.restore(this.ctx, record));
    }
    for (const supervisor of this.supervisors.values()) supervisor.resume();
    await Promise.all([...this.supervisors.values()].map((supervisor) => supervisor.pollLog()));
    if (this.closed) return;
    await this.stopOrphans();
    this.schedulePending();
    this.timer = setInterval(() => void this.tick(), this.options.probeIntervalMs);
    this.timer.unref();
    this.watchLogs();
  }

  /**
   * Output from a starting instance gets it probed at once (see
   * InstanceSupervisor.outputSeen). One inotify watch on the logs directory;
   * where the platform has none, the start-up probes and the tick remain.
   */
  private watchLogs(): void {
    try {
      this.logWatch = watch(this.ctx.store.logsDir, { persistent: false }, (_event, filename) => {
        const name = filename?.toString();
        if (name?.endsWith('.log')) this.supervisors.get(name.slice(0, -'.log'.length))?.outputSeen();
      });
      this.logWatch.on('error', () => {
        this.logWatch?.close();
        this.logWatch = null;
      });
    } catch (error) {
      this.logger.warn(`Not watching instance logs (${(error as Error).message}); readiness is found by polling`);
    }
  }

  private async observeOne(supervisor: InstanceSupervisor): Promise<InstanceObservation> {
    await supervisor.refresh('when-needed');
    return supervisor.observe(this.pendingMessage(supervisor));
  }

  private pendingMessage(supervisor: InstanceSupervisor): string {
    return this.gpus.shortfall(supervisor.gpuCount);
  }

  /**
   * Stops every process of this state directory whose instance has no
   * record: none of them is an instance this runtime runs (a record is
   * written before its process starts, and removed after it stopped), so
   * each is left over from a stop that missed it, or from a crash. Found
   * from /proc afresh. Runs at start and on every list (the resync's).
   */
  private async stopOrphans(): Promise<void> {
    for (const instanceId of runningInstanceIds(this.options.stateDir)) {
      if (this.supervisors.has(instanceId)) continue;
      await this.locks.run(instanceId, async () => {
        // Created (and recorded) while this waited for the lock: its process is the record's.
        if (this.supervisors.has(instanceId)) return;
        this.logger.warn(`${instanceId}: stopping processes that run without an instance record (orphaned)`);
        await stopInstance({ instanceId, stateDir: this.options.stateDir }, null, this.options.terminationGraceMs);
      });
    }
  }

  /** Stops the instance and forgets it: record removed, log kept as `.log.old`, GPUs and port freed. */
  private async remove(supervisor: InstanceSupervisor): Promise<void> {
    const { instanceId } = supervisor;
    await supervisor.terminate(this.options.terminationGraceMs);
    supervisor.dispose();
    this.gpus.release(instanceId);
    this.ctx.ports.release(instanceId);
    await this.ctx.store.remove(instanceId);
    await this.ctx.store.retireLog(instanceId);
    this.supervisors.delete(instanceId);
    this.logger.log(`${instanceId}: deleted`);
  }

  /** Starts the pending instances that now fit, oldest first (a smaller one may pass a larger one that does not fit). */
  private schedulePending(): void {
    if (this.closed) return;
    const waiting = [...this.supervisors.values()]
      .filter((supervisor) => supervisor.isPending)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const supervisor of waiting) {
      const gpuIds = this.gpus.tryAllocate(supervisor.instanceId, supervisor.gpuCount);
      if (gpuIds === null) continue;
      supervisor.assign(gpuIds);
      const { instanceId } = supervisor;
      void this.locks
        .run(instanceId, async () => {
          // Deleted or replaced while this waited for the lock: remove() already gave the GPUs back.
          if (this.closed || this.supervisors.get(instanceId) !== supervisor || supervisor.isTerminating) return;
          await supervisor.launch();
        })
        .catch((error: Error) => this.logger.error(`${instanceId}: cannot start: ${error.message}`));
    }
  }

  private tick(): Promise<void> {
    this.ticking ??= Promise.all(
      [...this.supervisors.values()].map((supervisor) =>
        supervisor
          .refresh('always')
          .catch((error: Error) => this.logger.error(`${supervisor.instanceId}: ${error.message}`)),
      ),
    )
      .then(() => undefined)
      .finally(() => (this.ticking = null));
    return this.ticking;
  }
}

function validateSpec(spec: InstanceSpec): void {
  const problems: string[] = [];
  if (!INSTANCE_ID.test(spec.instanceId)) problems.push(`instanceId '${spec.instanceId}' is not a safe name`);
  if (!Number.isInteger(spec.gpu) || spec.gpu < 0) problems.push(`gpu must be a whole number ≥ 0, got ${spec.gpu}`);
  if (!spec.specHash) problems.push('specHash is empty');
  if (!spec.readinessPath.startsWith('/')) problems.push(`readinessPath '${spec.readinessPath}' must start with /`);
  if (problems.length > 0) {
    throw new DomainError('invalid', 'runtime/invalid_spec', `Invalid instance spec: ${problems.join('; ')}`);
  }
}

/** The launcher's own environment: only a PATH, to find perl and nice on. */
function launcherEnv(baseEnv: Record<string, string>): Record<string, string> {
  return { PATH: baseEnv.PATH ?? '/usr/bin:/bin' };
}
