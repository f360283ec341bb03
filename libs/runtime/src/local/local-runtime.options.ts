import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandInput } from './command-template.js';

export interface RestartBackoff {
  /** Wait before the first restart (default 1000 ms). */
  initialMs?: number;
  /** The doubling stops here (default 60 000 ms). */
  maxMs?: number;
  /** A process that ran this long before exiting starts the back-off over (default 10 minutes, as kubelet). */
  resetAfterMs?: number;
}

/** Where the runtime reports what it does (Nest's Logger fits). */
export interface RuntimeLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LocalRuntimeOptions {
  /** Instance records (`instances/`) and logs (`logs/`). Created when missing. */
  stateDir: string;
  /**
   * What to run, as an argv array or a string split shell-style (no shell is
   * involved). Placeholders: `{port}`, `{model}` (NIM_SERVED_MODEL_NAME, else
   * the deployment name), `{instanceId}`, `{host}`. The spec's `args` are
   * appended. Default: the NIM simulator, `node dist/apps/nim-sim/src/main.js`.
   */
  command?: CommandInput;
  /** Address the endpoint and the probes use (default 127.0.0.1). */
  host?: string;
  /** Virtual GPU capacity; 0 (default) means unlimited. */
  gpus?: number;
  /** How often readiness is probed and adopted processes are checked (default 1000 ms). */
  probeIntervalMs?: number;
  /**
   * First readiness probe of a new process, this long after it started; each
   * next wait is half as long again, until it reaches `probeIntervalMs` (default 50 ms).
   */
  startupProbeInitialMs?: number;
  /**
   * Niceness the instances run at (0 to 19; default 0). They share the
   * launcher's session, so with autogroup scheduling all of them together
   * weigh one session against the control plane's, and inside it the launcher
   * comes before instances at 19: a machine running many instances keeps
   * starting them, and its API and worker stay responsive.
   */
  nice?: number;
  /** Timeout of one readiness request (default 1000 ms). */
  readinessTimeoutMs?: number;
  /** Consecutive failed probes after which a ready instance stops being ready (default 3, as kubelet). */
  readinessFailureThreshold?: number;
  restartBackoff?: RestartBackoff;
  /**
   * Restarts in a row (none of them staying up for `restartBackoff.resetAfterMs`) from which a process
   * waiting to restart is reported as `crash_loop` (default 3).
   */
  crashLoopRestarts?: number;
  /** Lines kept for `logTail` (default 50). */
  logLines?: number;
  /** Between SIGTERM and SIGKILL on delete (default 5000 ms). */
  terminationGraceMs?: number;
  /**
   * The environment every instance starts from, before the spec's env. The
   * default is minimal on purpose (PATH with Node's directory first, HOME, LANG);
   * nothing of the worker's own environment leaks in. A workstation running
   * a real server passes what it needs (a virtualenv's PATH, HF_HOME, …)
   * from its validated config.
   */
  baseEnv?: Record<string, string>;
  /**
   * When the runtime runs as root, the unprivileged user its instances run
   * as, created when missing (default `modelplane-instance`); null keeps
   * them root's. Not root: they run as its own user, whatever this says.
   */
  user?: string | null;
  logger?: RuntimeLogger;
}

export interface ResolvedLocalRuntimeOptions {
  stateDir: string;
  command: CommandInput;
  host: string;
  gpus: number;
  probeIntervalMs: number;
  startupProbeInitialMs: number;
  nice: number;
  readinessTimeoutMs: number;
  readinessFailureThreshold: number;
  restartBackoff: Required<RestartBackoff>;
  crashLoopRestarts: number;
  logLines: number;
  terminationGraceMs: number;
  baseEnv: Record<string, string>;
  user: string | null;
}

export function resolveLocalRuntimeOptions(options: LocalRuntimeOptions): ResolvedLocalRuntimeOptions {
  const resolved: ResolvedLocalRuntimeOptions = {
    stateDir: resolve(options.stateDir),
    command: options.command ?? defaultCommand(),
    host: options.host ?? '127.0.0.1',
    gpus: options.gpus ?? 0,
    probeIntervalMs: options.probeIntervalMs ?? 1000,
    startupProbeInitialMs: options.startupProbeInitialMs ?? 50,
    nice: options.nice ?? 0,
    readinessTimeoutMs: options.readinessTimeoutMs ?? 1000,
    readinessFailureThreshold: options.readinessFailureThreshold ?? 3,
    restartBackoff: {
      initialMs: options.restartBackoff?.initialMs ?? 1000,
      maxMs: options.restartBackoff?.maxMs ?? 60_000,
      resetAfterMs: options.restartBackoff?.resetAfterMs ?? 600_000,
    },
    crashLoopRestarts: options.crashLoopRestarts ?? 3,
    logLines: options.logLines ?? 50,
    terminationGraceMs: options.terminationGraceMs ?? 5000,
    baseEnv: options.baseEnv ?? defaultBaseEnv(),
    user: options.user === undefined ? 'modelplane-instance' : options.user,
  };
  const counts: [string, number, number][] = [
    ['gpus', resolved.gpus, 0],
    ['probeIntervalMs', resolved.probeIntervalMs, 1],
    ['startupProbeInitialMs', resolved.startupProbeInitialMs, 1],
    ['nice', resolved.nice, 0],
    ['readinessTimeoutMs', resolved.readinessTimeoutMs, 1],
    ['readinessFailureThreshold', resolved.readinessFailureThreshold, 1],
    ['restartBackoff.initialMs', resolved.restartBackoff.initialMs, 0],
    ['restartBackoff.maxMs', resolved.restartBackoff.maxMs, resolved.restartBackoff.initialMs],
    ['restartBackoff.resetAfterMs', resolved.restartBackoff.resetAfterMs, 0],
    ['crashLoopRestarts', resolved.crashLoopRestarts, 0],
    ['logLines', resolved.logLines, 1],
    ['terminationGraceMs', resolved.terminationGraceMs, 0],
  ];
  for (const [name, value, min] of counts) {
    if (!Number.isInteger(value) || value < min)
      throw new Error(`LocalRuntime option ${name} must be an integer ≥ ${min}`);
  }
  if (resolved.nice > 19) throw new Error('LocalRuntime option nice must be at most 19');
  return resolved;
}

/** The NIM simulator from this checkout's build output. */
function defaultCommand(): string[] {
  return [process.execPath, join(projectRoot(), 'dist', 'apps', 'nim-sim', 'src', 'main.js')];
}

function defaultBaseEnv(): Record<string, string> {
  return {
    PATH: [
      dirname(process.execPath),
      '/usr/local/sbin',
      '/usr/local/bin',
      '/usr/sbin',
      '/usr/bin',
      '/sbin',
      '/bin',
    ].join(':'),
    HOME: homedir(),
    // A UTF-8 locale every glibc has, so Python and friends do not fall back to ASCII.
    LANG: 'C.UTF-8',
  };
}

/** The nearest ancestor holding package.json and libs/ (from the sources and from dist/ alike). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'libs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
