import { AsyncLocalStorage } from 'node:async_hooks';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LauncherMessage, SpawnRequest } from './launcher-protocol.js';
import { ownershipEnv, type Ownership } from './process-table.js';

/** Runs a function in the async context of this module's loading: outside any request or job. */
const OUTSIDE_ANY_CONTEXT = AsyncLocalStorage.snapshot();

/** How a launched process ended; null when its exit can no longer be reported (the launcher is gone: poll it). */
export type ExitReport = { code: number | null; signal: NodeJS.Signals | null } | null;

/** A started process: its exit is reported once, to the listener. */
export class LaunchedProcess {
  private listener: ((exit: ExitReport) => void) | null = null;
  private report: { exit: ExitReport } | null = null;

  constructor(
    readonly pid: number,
    /** Its own process group (the pid), or null when it shares the launcher's. */
    readonly pgid: number | null,
  ) {}

  onExit(listener: (exit: ExitReport) => void): void {
    this.listener = listener;
    if (this.report !== null) listener(this.report.exit);
  }

  /** @internal */
  settle(exit: ExitReport): void {
    if (this.report !== null) return;
    this.report = { exit };
    this.listener?.(exit);
  }
}

export type Launched = LaunchedProcess | { error: Error };

/**
 * The runtime's side of the launcher process (see launcher-main): started
 * on the first launch, in a session of its own, and again after it died.
 * The channel holds the worker's event loop open only while a launch waits
 * for its answer.
 */
export class ProcessLauncher {
  private child: ChildProcess | null = null;
  private nextRef = 1;
  private readonly waiting = new Map<number, (launched: Launched) => void>();
  private readonly running = new Map<number, LaunchedProcess>();
  private closed = false;

  constructor(
    private readonly options: {
      /** Niceness of the instances. */
      nice: number;
      /** The launcher's own environment (a PATH to find perl and nice on). */
      env: Record<string, string>;
    },
  ) {}

  /** Starts `argv` with `env` as `runAs` (default: the launcher's user), stdout and stderr appended to `logPath`. */
  launch(
    argv: string[],
    env: Record<string, string>,
    logPath: string,
    runAs: { uid: number; gid: number } | null = null,
  ): Promise<Launched> {
    if (this.closed) return Promise.resolve({ error: new Error('the process launcher is closed') });
    let child: ChildProcess;
    try {
      // Started outside the caller's async context: the launcher serves every later spawn, and its
      // exit reports must not run (and log) as part of whichever request first needed it.
      child = this.child ?? OUTSIDE_ANY_CONTEXT(() => this.start());
    } catch (error) {
      return Promise.resolve({ error: new Error(`the process launcher could not start: ${(error as Error).message}`) });
    }
    const ref = this.nextRef++;
    const request: SpawnRequest = {
      op: 'spawn',
      ref,
      argv,
      env,
      logPath,
      nice: this.options.nice,
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    };
    return new Promise<Launched>((resolve) => {
      this.waiting.set(ref, resolve);
      this.holdOpen(true);
      child.send(request, (error) => {
        if (error)
          this.answer(ref, { error: new Error(`the process launcher did not take the request: ${error.message}`) });
      });
    });
  }

  /** Lets the launcher go; the processes it started keep running. Their exits are no longer reported. */
  close(): void {
    this.closed = true;
    const child = this.child;
    this.child = null;
    if (child?.connected) child.disconnect();
    this.orphan('the process launcher is closed');
  }

  private start(): ChildProcess {
    const child = fork(launcherScript(), [], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: this.options.env,
      execArgv: [],
    });
    child.unref();
    child.on('message', (message: LauncherMessage) => this.receive(message));
    child.on('error', () => undefined); // a send after the launcher died: the exit handler answers the waiting
    child.once('exit', () => {
      if (this.child === child) this.child = null;
      this.orphan('the process launcher exited');
    });
    this.child = child;
    this.holdOpen(false);
    return child;
  }

  private receive(message: LauncherMessage): void {
    switch (message.op) {
      case 'spawned': {
        const launched = new LaunchedProcess(message.pid, message.pgid);
        this.running.set(message.pid, launched);
        this.answer(message.ref, launched);
        break;
      }
      case 'failed':
        this.answer(message.ref, { error: Object.assign(new Error(message.message), { code: message.code }) });
        break;
      case 'exit':
        this.running.get(message.pid)?.settle({ code: message.code, signal: message.signal });
        this.running.delete(message.pid);
        break;
    }
  }

  private answer(ref: number, launched: Launched): void {
    const resolve = this.waiting.get(ref);
    if (resolve === undefined) return;
    this.waiting.delete(ref);
    this.holdOpen(this.waiting.size > 0);
    resolve(launched);
  }

  /** The launcher is gone: launches waiting fail, running processes are polled from now on. */
  private orphan(reason: string): void {
    for (const ref of [...this.waiting.keys()]) this.answer(ref, { error: new Error(reason) });
    for (const launched of this.running.values()) launched.settle(null);
    this.running.clear();
  }

  private holdOpen(hold: boolean): void {
    const channel = this.child?.channel as { ref(): void; unref(): void } | undefined;
    if (hold) channel?.ref();
    else channel?.unref();
  }
}

/** The compiled launcher beside this module, or (when this module runs from source, as under Jest) the build's. */
function launcherScript(): string {
  const beside = fileURLToPath(new URL('./launcher-main.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../../../dist/libs/runtime/src/local/launcher-main.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`${beside} is missing (run the build)`);
}

/**
 * The whole environment of an instance, built from nothing (never the
 * worker's): the base (PATH, HOME, LANG by default; never NODE_OPTIONS), the
 * home of the user it runs as, the spec's env, the GPUs it was given, then
 * what the runtime owns and the spec cannot override: the port and the
 * ownership variables.
 */
export function instanceEnvironment({
  baseEnv,
  home,
  specEnv,
  gpuIds,
  port,
  owner,
}: {
  baseEnv: Record<string, string>;
  /** HOME of the user it runs as, when not the worker's. */
  home: string | null;
  specEnv: Record<string, string>;
  gpuIds: readonly number[];
  port: number;
  owner: Ownership;
}): Record<string, string> {
  const { NODE_OPTIONS: _, ...base } = baseEnv;
  if (home !== null) base.HOME = home;
  const env: Record<string, string> = { ...base, ...specEnv };
  if (gpuIds.length > 0) env.CUDA_VISIBLE_DEVICES = gpuIds.join(',');
  return { ...env, PORT: String(port), NIM_SERVER_PORT: String(port), ...ownershipEnv(owner) };
}
