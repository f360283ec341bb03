import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ownershipEnv, type Ownership } from './process-table.js';

export type Launched = { child: ChildProcess; pid: number } | { error: Error };

/**
 * Starts `argv` detached, in its own session and process group, so that a
 * worker restart (or a Ctrl-C in the worker's terminal) does not reach it,
 * with stdout and stderr appended straight to `logPath`: no pipe through
 * the worker, so the server never blocks on it or dies with it. The child is
 * unref'd: it does not keep the worker alive.
 */
export async function launchDetached(argv: string[], env: Record<string, string>, logPath: string): Promise<Launched> {
  const fd = openSync(logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env });
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
  return { child, pid: child.pid };
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
