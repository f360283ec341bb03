import { appendFile } from 'node:fs/promises';
import type { InstanceObservation, InstanceSpec } from '../runtime.js';
import { describeExit, formatMs, observeInstance } from './instance-observation.js';
import { newInstanceRecord, recordExit } from './instance-record.js';
import type { InstanceExit, InstanceRecord } from './instance-store.js';
import { LogFollower } from './log-ring.js';
import { instanceEnvironment, type LaunchedProcess } from './process-launcher.js';
import { isOwnedAlive, signalInstance, stopInstance, type Ownership } from './process-table.js';
import { ReadinessTracker, StartupProbes, type ReadinessChange } from './readiness-probe.js';
import type { LocalInstanceInfo, SupervisorContext } from './supervisor-context.js';

type Status =
  | { kind: 'pending' }
  | { kind: 'launching' }
  /**
   * `process` is null for a process adopted from an earlier worker, or whose launcher died:
   * it is polled, not awaited.
   */
  | { kind: 'running'; pid: number; process: LaunchedProcess | null }
  | { kind: 'backoff'; timer: NodeJS.Timeout | null }
  | { kind: 'stopped' };

/**
 * One instance, supervised the way a kubelet runs a pod's single container
 * with `restartPolicy: Always`: start the process, probe readiness, restart
 * it after every exit with an exponential back-off, and tear the whole
 * process group down when it exits or is deleted.
 */
export class InstanceSupervisor {
  private status: Status;
  private readiness: ReadinessTracker;
  private readonly log: LogFollower;
  private readonly owner: Ownership;
  private launching: Promise<void> | null = null;
  /** Probes of a process that has not been ready yet, faster than the runtime's tick. */
  private readonly startupProbes: StartupProbes;
  private terminating = false;
  /** The runtime closed: leave the process alone, write nothing more. */
  private detached = false;
  /** The record was removed: never write it again. */
  private disposed = false;

  private constructor(
    private readonly ctx: SupervisorContext,
    private readonly record: InstanceRecord,
  ) {
    this.status = { kind: record.state === 'pending' ? 'pending' : 'stopped' };
    this.owner = { instanceId: record.instanceId, stateDir: ctx.options.stateDir };
    this.readiness = this.newReadiness();
    this.startupProbes = new StartupProbes(ctx.options.probeIntervalMs);
    this.log = new LogFollower(ctx.store.logPath(record.instanceId), ctx.options.logLines);
  }

  /** A new instance, waiting for the runtime to assign it GPUs. Its record is saved before this resolves. */
  static async create(ctx: SupervisorContext, spec: InstanceSpec): Promise<InstanceSupervisor> {
    const supervisor = new InstanceSupervisor(ctx, newInstanceRecord(spec, new Date()));
    // Unlike later updates, a record that cannot be written fails the apply: an unrecorded process would be lost on restart.
    await ctx.store.save(supervisor.record);
    return supervisor;
  }

  /** An instance found in the state directory; call `resume()` once the runtime has counted its GPUs and port. */
  static restore(ctx: SupervisorContext, record: InstanceRecord): InstanceSupervisor {
    return new InstanceSupervisor(ctx, record);
  }

  get instanceId(): string {
    return this.record.instanceId;
  }

  get specHash(): string {
    return this.record.specHash;
  }

  get gpuCount(): number {
    return this.record.spec.gpu;
  }

  get createdAt(): string {
    return this.record.createdAt;
  }

  get isPending(): boolean {
    return this.status.kind === 'pending';
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  /**
   * Picks up where the previous worker left off: adopt a process that still
   * runs, restart one that died unwatched (after the back-off), keep waiting
   * for GPUs when it never started.
   */
  resume(): void {
    const r = this.record;
    if (r.state === 'running' && r.pid !== null && isOwnedAlive(r.pid, this.owner)) {
      this.status = { kind: 'running', pid: r.pid, process: null };
      this.readiness = this.newReadiness({
        ready: r.readySince !== null,
        detail: 'not probed yet (adopted from an earlier worker)',
      });
      this.ctx.logger.log(`${r.instanceId}: adopted pid ${r.pid} on port ${r.port}`);
      return;
    }
    // The old worker may have died between spawning a process and recording it: nothing of this instance may run unwatched.
    signalInstance(this.owner, r.pgid, 'SIGKILL');
    if (r.state === 'pending') {
      this.status = { kind: 'pending' };
    } else if (r.state === 'running') {
      this.handleExit({
        code: null,
        signal: null,
        unknown: true,
        detail: 'exited while no worker supervised it (exit status unknown)',
      });
    } else {
      this.status = { kind: 'backoff', timer: null };
      this.scheduleRestart(Math.max(0, Date.parse(r.nextRestartAt ?? '') - Date.now() || 0));
    }
  }

  /** Takes the GPUs the runtime found for a pending instance; `launch()` starts it. */
  assign(gpuIds: number[]): void {
    this.record.gpuIds = gpuIds;
    this.status = { kind: 'launching' };
  }

  launch(): Promise<void> {
    return this.start();
  }

  /**
   * Polls an adopted process, probes readiness, follows the log. `always` probes even a ready
   * instance. The log is only caught up while the instance is not serving: a tail is what a
   * failure message shows, and reading it on every look at hundreds of healthy instances
   * costs the worker more than the rest of the look.
   */
  async refresh(probe: 'always' | 'when-needed'): Promise<void> {
    const status = this.status;
    if (
      status.kind === 'running' &&
      status.process === null &&
      !this.terminating &&
      !isOwnedAlive(status.pid, this.owner)
    ) {
      this.handleExit({
        code: null,
        signal: null,
        unknown: true,
        detail: 'exited (exit status unknown: the process was adopted from an earlier worker)',
      });
    }
    if (this.status.kind === 'running' && !this.terminating) {
      const stale = Date.now() - this.readiness.checkedAt >= this.ctx.options.probeIntervalMs;
      if (probe === 'always' || !this.readiness.ready || stale) await this.probe();
    }
    if (this.status.kind !== 'running' || !this.readiness.ready || this.terminating) await this.pollLog();
  }

  /** Catches the log tail up with the file (cheap: a stat and a read of what is new). */
  pollLog(): Promise<void> {
    return this.log.poll().catch(() => undefined);
  }

  observe(pendingMessage: string): InstanceObservation {
    const r = this.record;
    return observeInstance({
      record: r,
      stage: this.terminating ? 'terminating' : this.status.kind,
      readiness: this.readiness,
      endpoint: this.endpoint(),
      probeUrl: this.probeUrl(),
      logTail: this.log.tail(),
      pendingMessage,
      crashLoopRestarts: this.ctx.options.crashLoopRestarts,
      now: Date.now(),
    });
  }

  /** Stops every process of the instance: SIGTERM, `graceMs`, SIGKILL. No restart follows. */
  async terminate(graceMs: number): Promise<void> {
    this.terminating = true;
    this.clearRestartTimer();
    await this.launching?.catch(() => undefined);
    this.status = { kind: 'stopped' };
    await stopInstance(this.owner, this.record.pgid, graceMs);
  }

  /** The runtime is closing: stop restarting and probing, leave the processes running. */
  detach(): void {
    this.detached = true;
    this.clearRestartTimer();
  }

  /** The record is gone: nothing may write it again. */
  dispose(): void {
    this.disposed = true;
    this.detached = true;
    this.clearRestartTimer();
  }

  info(): LocalInstanceInfo {
    const r = this.record;
    const running = this.status.kind === 'running' ? this.status : null;
    return {
      instanceId: r.instanceId,
      state: r.state,
      pid: running?.pid ?? null,
      pgid: r.pgid,
      port: r.port,
      gpuIds: [...r.gpuIds],
      argv: [...r.argv],
      adopted: running !== null && running.process === null,
      logPath: this.ctx.store.logPath(r.instanceId),
      recordPath: this.ctx.store.recordPath(r.instanceId),
    };
  }

  private async spawnProcess(): Promise<void> {
    const r = this.record;
    const { host } = this.ctx.options;
    const port = await this.ctx.ports.allocate(r.instanceId, r.port);
    const model = r.spec.env.NIM_SERVED_MODEL_NAME || r.spec.deployment;
    const argv = [...this.ctx.command.render({ port, host, model, instanceId: r.instanceId }), ...r.spec.args];
    r.port = port;
    r.argv = argv;
    // The program only: arguments may carry what does not belong in a log tail the API shows.
    await this.note(`starting ${argv[0]} on port ${port}${r.restarts > 0 ? ` (restart ${r.restarts})` : ''}`);
    if (this.terminating || this.detached) return;

    const startedAt = new Date();
    const env = instanceEnvironment({
      baseEnv: this.ctx.options.baseEnv,
      home: this.ctx.runAs?.home ?? null,
      specEnv: r.spec.env,
      gpuIds: r.gpuIds,
      port,
      owner: this.owner,
    });
    const launched = await this.ctx.launcher.launch(argv, env, this.ctx.store.logPath(r.instanceId), this.ctx.runAs);
    if ('error' in launched) {
      if (this.terminating || this.detached) return;
      r.startedAt = startedAt.toISOString();
      return this.handleExit({
        code: null,
        signal: null,
        detail: `could not be started (${argv[0]}: ${launched.error.message})`,
      });
    }
    const { pid, pgid } = launched;
    // Recorded before anything else can happen to it: a stop must find the process group.
    Object.assign(r, { state: 'running', pid, pgid, startedAt: startedAt.toISOString(), readySince: null });
    r.nextRestartAt = null;
    this.status = { kind: 'running', pid, process: launched };
    if (this.terminating || this.detached) {
      // Deleted or closed while the launcher started it: a delete stops it (the record has it now).
      void this.persist();
      return;
    }
    launched.onExit((exit) => {
      const current = this.status;
      // A delete or a closed runtime handles (or leaves alone) the exit itself.
      if (current.kind !== 'running' || current.process !== launched || this.terminating || this.detached) return;
      if (exit === null) this.status = { kind: 'running', pid, process: null };
      else this.handleExit(exit);
    });
    this.readiness = this.newReadiness();
    this.ctx.logger.log(`${r.instanceId}: started pid ${pid} on port ${port}`);
    await this.persist();
    const tracker = this.readiness;
    const wanted = () =>
      this.readiness === tracker && this.status.kind === 'running' && !this.terminating && !this.detached;
    this.startupProbes.start(tracker, this.ctx.options.startupProbeInitialMs, wanted, () => this.probe());
    this.ctx.changed(r, 'started');
  }

  /** The process is gone: clear up after it and schedule the restart. */
  private handleExit(exit: Omit<InstanceExit, 'at' | 'ranMs'>): void {
    const r = this.record;
    const now = Date.now();
    // When a container's main process exits, its cgroup goes with it; here the group and any strays do.
    signalInstance(this.owner, r.pgid, 'SIGKILL');
    const delay = recordExit(r, exit, this.ctx.options.restartBackoff, now);
    this.status = { kind: 'backoff', timer: null };
    this.readiness = this.newReadiness();
    const what = `the process ${describeExit(r.lastExit)}; restarting in ${formatMs(delay)}`;
    this.ctx.logger.warn(`${r.instanceId}: ${what}`);
    void this.note(what);
    void this.persist();
    this.scheduleRestart(delay);
    this.ctx.changed(r, 'exited');
  }

  private scheduleRestart(delay: number): void {
    if (this.status.kind !== 'backoff' || this.detached) return;
    const timer = setTimeout(() => this.restart(), delay);
    timer.unref();
    this.status.timer = timer;
  }

  private restart(): void {
    if (this.status.kind !== 'backoff' || this.terminating || this.detached) return;
    this.record.restarts += 1;
    this.status = { kind: 'launching' };
    void this.start();
  }

  /** Spawns the process; a failure to do so counts as an exit, so the back-off applies to it too. */
  private start(): Promise<void> {
    const launch = this.spawnProcess().catch((error: Error) => {
      if (!this.terminating && !this.detached) {
        this.handleExit({ code: null, signal: null, detail: `could not be started (${error.message})` });
      }
    });
    this.launching = launch;
    void launch.finally(() => {
      if (this.launching === launch) this.launching = null;
    });
    return launch;
  }

  private clearRestartTimer(): void {
    if (this.status.kind === 'backoff' && this.status.timer !== null) {
      clearTimeout(this.status.timer);
      this.status.timer = null;
    }
    this.startupProbes.stop();
  }

  /**
   * The server wrote to its log (LocalRuntime watches the directory): one
   * that is starting has likely just said it listens, so it is probed now
   * rather than at the next start-up probe, which may be most of a second
   * away for a server that took seconds to start.
   */
  outputSeen(): void {
    if (this.status.kind !== 'running' || this.readiness.ready || this.terminating || this.detached) return;
    void this.readiness.probeFresh(this.probeUrl());
  }

  private probe(): Promise<void> {
    return this.readiness.probe(this.probeUrl());
  }

  private newReadiness(initial?: { ready: boolean; detail: string }): ReadinessTracker {
    const { readinessTimeoutMs: timeoutMs, readinessFailureThreshold: failureThreshold } = this.ctx.options;
    return new ReadinessTracker(
      { timeoutMs, failureThreshold, onChange: (c, t) => this.readinessChanged(c, t) },
      initial,
    );
  }

  private readinessChanged(change: ReadinessChange, tracker: ReadinessTracker): void {
    // A probe that outlived its process says nothing about the next one.
    if (this.readiness !== tracker || this.status.kind !== 'running') return;
    const r = this.record;
    if (change === 'ready') {
      r.readySince = new Date().toISOString();
      r.everReady = true;
      this.ctx.logger.log(`${r.instanceId}: ready on ${this.endpoint()}`);
    } else {
      r.readySince = null;
      this.ctx.logger.warn(`${r.instanceId}: no longer ready (${tracker.detail})`);
    }
    void this.persist();
    this.ctx.changed(r, change === 'ready' ? 'ready' : 'unready');
  }

  private endpoint(): string {
    const { host } = this.ctx.options;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.record.port}`;
  }

  private probeUrl(): string {
    return `${this.endpoint()}${this.record.spec.readinessPath}`;
  }

  /** A line of the runtime's own in the instance's log, as kubelet events sit beside a pod's logs. */
  private async note(line: string): Promise<void> {
    await appendFile(this.ctx.store.logPath(this.record.instanceId), `[modelplane] ${line}\n`, { mode: 0o600 }).catch(
      () => undefined,
    );
  }

  private async persist(): Promise<void> {
    if (this.disposed || this.detached) return;
    await this.ctx.store
      .save(this.record)
      .catch((error: Error) =>
        this.ctx.logger.error(`${this.record.instanceId}: cannot save its record: ${error.message}`),
      );
  }
}
