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
  pid: number;
  state: string;
  pgrp: number;
  /** Clock ticks since boot: with the pid, names one process (pids are recycled, this pair is not). */
  start: string;
  /**
   * Where the process's environment lies in its memory (env_start-env_end): new at every execve,
   * which pid and start time are not. `0-0` when /proc does not tell (then the environment is
   * unreadable too).
   */
  envArea: string;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after the last ')' do not.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      state: fields[0],
      pgrp: Number(fields[2]),
      start: fields[19],
      envArea: `${fields[47]}-${fields[48]}`,
    };
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

/**
 * The ownership variables of one process, read from /proc once per process
 * image: a stop scans every process on the machine, several times, and
 * hundreds of instances stopping at once would otherwise read every
 * environment again on each scan. `unreadable` when /proc refuses.
 *
 * The key must change when the environment does, at execve. Pid and start
 * time do not: a process the launcher has forked but not yet exec'd carries
 * the launcher's environment, and cached as "not ours" under pid and start
 * time it stayed invisible to every stop for the rest of its life (seen: 10
 * of 80 superseded versions, and READY instances, running on after DELETED).
 * Its environment's place in memory does change.
 */
const ownershipCache = new Map<string, Ownership | null | 'unreadable'>();

const cacheKey = (stat: ProcStat) => `${stat.pid}:${stat.start}:${stat.envArea}`;

function ownershipOf(stat: ProcStat): Ownership | null | 'unreadable' {
  const key = cacheKey(stat);
  const cached = ownershipCache.get(key);
  if (cached !== undefined) return cached;
  const found = readOwnership(stat.pid);
  // Gone meanwhile: not ours, and not worth remembering.
  if (found !== 'gone') ownershipCache.set(key, found);
  return found === 'gone' ? null : found;
}

function readOwnership(pid: number): Ownership | null | 'unreadable' | 'gone' {
  try {
    let instanceId: string | null = null;
    let stateDir: string | null = null;
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      if (entry.startsWith(`${INSTANCE_ID_VAR}=`)) instanceId = entry.slice(INSTANCE_ID_VAR.length + 1);
      else if (entry.startsWith(`${STATE_DIR_VAR}=`)) stateDir = entry.slice(STATE_DIR_VAR.length + 1);
    }
    return instanceId !== null && stateDir !== null ? { instanceId, stateDir } : null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
}

/** True or false when /proc answers, null when the environment cannot be read. */
function carriesOwnership(stat: ProcStat, { instanceId, stateDir }: Ownership): boolean | null {
  const found = ownershipOf(stat);
  if (found === 'unreadable') return null;
  return found !== null && found.instanceId === instanceId && found.stateDir === stateDir;
}

/** The process is alive and is one of this instance's processes (not a recycled pid). */
export function isOwnedAlive(pid: number, owner: Ownership): boolean {
  if (!HAS_PROC) return signalZero(pid);
  const stat = readStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return carriesOwnership(stat, owner) === true;
}

/** How long a scan of /proc serves the stops that ask for one (they poll every 50 ms). */
const SCAN_MAX_AGE_MS = 25;
let scan: { at: number; stats: ProcStat[] } | null = null;

/**
 * Every live process but this one, from a scan at most `maxAgeMs` old: the
 * waits of hundreds of instances stopping at once share scans instead of
 * each reading all of /proc every 50 ms. Signals take a fresh scan, so they
 * reach a process started a moment ago.
 */
function processTable(maxAgeMs: number): ProcStat[] {
  const now = Date.now();
  if (scan !== null && now - scan.at < maxAgeMs) return scan.stats;
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const stat = readStat(Number(name));
    if (stat !== null && stat.state !== 'Z' && stat.state !== 'X') stats.push(stat);
  }
  const live = new Set(stats.map(cacheKey));
  for (const key of ownershipCache.keys()) if (!live.has(key)) ownershipCache.delete(key);
  scan = { at: now, stats };
  return stats;
}

/**
 * Every live process of an instance: its process group (when the group
 * still holds a process of ours, so a recycled group id is left alone) and
 * any process carrying its ownership variables that left the group (a
 * daemonising helper). This is the local stand-in for a container's cgroup.
 */
export function instanceProcesses(owner: Ownership, pgid: number | null, maxAgeMs = 0): InstanceProcesses {
  if (!HAS_PROC) {
    const alive = pgid !== null && signalZero(-pgid);
    return { group: alive, pids: alive && pgid !== null ? [pgid] : [], strays: [] };
  }
  const grouped: number[] = [];
  const marked: number[] = [];
  for (const stat of processTable(maxAgeMs)) {
    if (pgid !== null && stat.pgrp === pgid) grouped.push(stat.pid);
    if (carriesOwnership(stat, owner) === true) marked.push(stat.pid);
  }
  const group = grouped.some((pid) => marked.includes(pid));
  const strays = group ? marked.filter((pid) => !grouped.includes(pid)) : marked;
  return { group, pids: group ? [...grouped, ...strays] : strays, strays };
}

/**
 * The ids of the instances of `stateDir` that have a live process, from a
 * fresh scan that reads every environment again (no cache), so whatever a
 * cache got wrong, what runs is found.
 */
export function runningInstanceIds(stateDir: string): Set<string> {
  const ids = new Set<string>();
  if (!HAS_PROC) return ids;
  for (const stat of processTable(0)) {
    const found = readOwnership(stat.pid);
    if (typeof found === 'object' && found !== null && found.stateDir === stateDir) ids.add(found.instanceId);
  }
  return ids;
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
    if (instanceProcesses(owner, pgid, SCAN_MAX_AGE_MS).pids.length === 0) return true;
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
