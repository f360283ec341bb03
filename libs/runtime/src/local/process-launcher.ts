import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ownershipEnv, type Ownership } from './process-table.js';

export type Launched = { child: ChildProcess; pid: number } | { error: Error };

/**
 * Starts `argv` detached, in its own session and process group, so that a
 * worker restart (or a Ctrl-C in the worker's terminal) does not reach it,
 * with stdout and stderr appended straight to `logPath`: no pipe through
 * the worker, so the server never blocks on it or dies with it. The child is
 * unref'd: it does not keep the worker alive. With `nice` > 0 it runs under
 * `nice -n` (which execs it: the pid is the server's, every thread of it
 * niced), once the program itself is known to exist, so a missing program
 * still fails here with ENOENT rather than as an exit of `nice`.
 */
export async function launchDetached(
  argv: string[],
  env: Record<string, string>,
  logPath: string,
  nice = 0,
): Promise<Launched> {
  let command = argv;
  if (nice > 0) {
    const program = findProgram(argv[0], env.PATH ?? '');
    const niceProgram = findProgram('nice', env.PATH ?? '');
    if (program === null) return { error: Object.assign(new Error(`spawn ${argv[0]} ENOENT`), { code: 'ENOENT' }) };
    if (niceProgram !== null) command = [niceProgram, '-n', String(nice), program, ...argv.slice(1)];
  }
  const fd = openSync(logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(command[0], command.slice(1), { detached: true, stdio: ['ignore', fd, fd], env });
  } catch (error) {
    return { error: error as Error };
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) {
    // The program could not be run (ENOENT, EACCES): Node reports it as an 'error' event on the next tick.
    return { error: await new Promise<Error>((resolve) => child.once('error', resolve)) };
  }
  child.unref();
  if (nice > 0) niceAutogroup(child.pid, nice);
  return { child, pid: child.pid };
}

/**
 * A detached child leads a session of its own, and with Linux's autogroup
 * scheduling (on by default on desktops and many servers) each session is a
 * group that gets an equal share of the CPU whatever its processes' nice
 * values: a hundred instances starting would get a hundred shares to the
 * worker's one. Their group's own nice value is what lowers that share.
 * Best effort: without autogroup the file is missing, and `nice -n` suffices.
 */
function niceAutogroup(pid: number, nice: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // no autogroup scheduling here (or the process is already gone)
  }
}

/** `name` as an executable path: itself when it holds a slash, else the first match on `path`; null when none. */
export function findProgram(name: string, path: string): string | null {
  const candidates = name.includes('/')
    ? [name]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The whole environment of an instance: the base (never the worker's
 * NODE_OPTIONS), the spec's env, the GPUs it was given, then what the
 * runtime owns and the spec cannot override: the port and the ownership
 * variables.
 */
export function instanceEnvironment({
  baseEnv,
  specEnv,
  gpuIds,
  port,
  owner,
}: {
  baseEnv: Record<string, string>;
  specEnv: Record<string, string>;
  gpuIds: readonly number[];
  port: number;
  owner: Ownership;
}): Record<string, string> {
  const { NODE_OPTIONS: _, ...base } = baseEnv;
  const env: Record<string, string> = { ...base, ...specEnv };
  if (gpuIds.length > 0) env.CUDA_VISIBLE_DEVICES = gpuIds.join(',');
  return { ...env, PORT: String(port), NIM_SERVER_PORT: String(port), ...ownershipEnv(owner) };
}
