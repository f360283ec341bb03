import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What makes a process one of ours: two variables the runtime puts in every
 * instance's environment, and which the server's own children inherit. Both
 * must match, so a recycled pid, or an instance with the same id run by
 * another runtime (another state directory), is never mistaken for ours.
 */
export interface Ownership {
  instanceId: string;
  /** The runtime's absolute state directory. */
  stateDir: string;
}

export const INSTANCE_ID_VAR = 'MODELPLANE_INSTANCE_ID';
export const STATE_DIR_VAR = 'MODELPLANE_STATE_DIR';

export function ownershipEnv({ instanceId, stateDir }: Ownership): Record<string, string> {
  return { [INSTANCE_ID_VAR]: instanceId, [STATE_DIR_VAR]: stateDir };
}

/** Linux has /proc; elsewhere the checks fall back to signal 0, which cannot tell a recycled pid apart. */
const HAS_PROC = existsSync('/proc/self/stat');

interface ProcStat {
  state: string;
  pgrp: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after the last ')' do not.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Running, not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  if (!HAS_PROC) return signalZero(pid);
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

/** True or false when /proc answers, null when the environment cannot be read. */
function carriesOwnership(pid: number, { instanceId, stateDir }: Ownership): boolean | null {
  try {
    const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return vars.includes(`${INSTANCE_ID_VAR}=${instanceId}`) && vars.includes(`${STATE_DIR_VAR}=${stateDir}`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : null;
  }
}

/** The process is alive and is one of this instance's processes (not a recycled pid). */
export function isOwnedAlive(pid: number, owner: Ownership): boolean {
  if (!isRunning(pid)) return false;
  if (!HAS_PROC) return true;
  return carriesOwnership(pid, owner) === true;
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/**
 * Every live process of an instance: its process group (when the group
 * still holds a process of ours, so a recycled group id is left alone) and
 * any process carrying its ownership variables that left the group (a
 * daemonising helper). This is the local stand-in for a container's cgroup.
 */
export function instanceProcesses(owner: Ownership, pgid: number | null): InstanceProcesses {
  if (!HAS_PROC) {
    const alive = pgid !== null && signalZero(-pgid);
    return { group: alive, pids: alive && pgid !== null ? [pgid] : [], strays: [] };
  }
  const grouped: number[] = [];
  const marked: number[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid);
    if (stat === null || stat.state === 'Z' || stat.state === 'X') continue;
    if (pgid !== null && stat.pgrp === pgid) grouped.push(pid);
    if (carriesOwnership(pid, owner) === true) marked.push(pid);
  }
  const group = grouped.some((pid) => marked.includes(pid));
  const strays = group ? marked.filter((pid) => !grouped.includes(pid)) : marked;
  return { group, pids: group ? [...grouped, ...strays] : strays, strays };
}

export interface InstanceProcesses {
  /** The process group is ours and not empty. */
  group: boolean;
  /** Every live process of the instance. */
  pids: number[];
  /** Ours, but outside the group. */
  strays: number[];
}

/** Signals every process of the instance (the group once, strays one by one); answers how many there were. */
export function signalInstance(owner: Ownership, pgid: number | null, signal: NodeJS.Signals): number {
  const { group, pids, strays } = instanceProcesses(owner, pgid);
  if (group && pgid !== null) ignoreGone(() => process.kill(-pgid, signal));
  for (const pid of strays) ignoreGone(() => process.kill(pid, signal));
  return pids.length;
}

/**
 * SIGTERM, up to `graceMs` for the processes to go, then SIGKILL. Resolves
 * when none is left, or when SIGKILL has been sent and a further wait ran
 * out (a process in uninterruptible sleep still dies when it wakes).
 */
export async function stopInstance(owner: Ownership, pgid: number | null, graceMs: number): Promise<void> {
  if (signalInstance(owner, pgid, 'SIGTERM') === 0) return;
  if (await waitUntilGone(owner, pgid, graceMs)) return;
  signalInstance(owner, pgid, 'SIGKILL');
  await waitUntilGone(owner, pgid, 5_000);
}

async function waitUntilGone(owner: Ownership, pgid: number | null, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (instanceProcesses(owner, pgid).pids.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

function ignoreGone(kill: () => void): void {
  try {
    kill();
  } catch (error) {
    // Gone already (ESRCH), or became someone else's between the scan and the signal (EPERM).
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}
