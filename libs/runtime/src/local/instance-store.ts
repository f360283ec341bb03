import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceSpec } from '../runtime.js';

/** How the last process of an instance ended. */
export interface InstanceExit {
  /** Exit code, or null when a signal ended it or the status is unknown. */
  code: number | null;
  signal: NodeJS.Signals | null;
  at: string;
  /** How long the process ran, when known. */
  ranMs: number | null;
  /** The process died while no worker watched it, or was not this worker's child: code and signal are lost. */
  unknown?: boolean;
  /** Why the status is unknown, or why the process never started. */
  detail?: string;
}

/**
 * What the runtime knows about one instance, on disk so that a new worker can
 * pick up the processes an old one started. The spec's env is in here, so the
 * file is readable by its owner only.
 */
export interface InstanceRecord {
  schema: 1;
  instanceId: string;
  specHash: string;
  spec: InstanceSpec;
  labels: { workspace: string; deployment: string; version: number };
  createdAt: string;
  /** `pending`: waiting for GPUs; `running`: a process was started; `exited`: waiting to restart. */
  state: 'pending' | 'running' | 'exited';
  gpuIds: number[];
  pid: number | null;
  /** The process group (the server is its leader, so it equals `pid` of the run that created it). */
  pgid: number | null;
  port: number | null;
  argv: string[];
  startedAt: string | null;
  readySince: string | null;
  /** Readiness passed at least once since the instance was created. */
  everReady: boolean;
  restarts: number;
  /** Exits since the process last ran long enough to reset the back-off. */
  consecutiveFailures: number;
  lastExit: InstanceExit | null;
  nextRestartAt: string | null;
}

/**
 * Layout: `<stateDir>/instances/<id>.json` (written atomically: temp file,
 * then rename) and `<stateDir>/logs/<id>.log` (`<id>.log.old` keeps the log
 * of the last deleted or replaced instance with that id).
 *
 * Records are not fsynced: they guard against a worker that dies, whose
 * writes the kernel still completes; a machine that dies takes the
 * instances' processes with it, and the records of processes that are gone
 * are handled as exits. (Under load, an fsync per record write cost the
 * worker 0.2 to 1 s per start.)
 */
export class InstanceStore {
  readonly instancesDir: string;
  readonly logsDir: string;
  /** Writes per instance run one after another, so the newest snapshot is the one left on disk. */
  private readonly writes = new Map<string, Promise<void>>();
  /** The write of each instance that has not started yet: a newer snapshot takes its place. */
  private readonly queued = new Map<string, { content: string | null; done: Promise<void> }>();

  constructor(readonly stateDir: string) {
    this.instancesDir = join(stateDir, 'instances');
    this.logsDir = join(stateDir, 'logs');
  }

  async prepare(): Promise<void> {
    await mkdir(this.instancesDir, { recursive: true, mode: 0o700 });
    await mkdir(this.logsDir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.instancesDir)) {
      if (name.endsWith('.tmp')) await rm(join(this.instancesDir, name), { force: true });
    }
  }

  /** Every record that parses; the names of files that do not, for the caller to report. */
  async loadAll(): Promise<{ records: InstanceRecord[]; unreadable: string[] }> {
    const records: InstanceRecord[] = [];
    const unreadable: string[] = [];
    for (const name of (await readdir(this.instancesDir)).sort()) {
      if (!name.endsWith('.json')) continue;
      try {
        const record = JSON.parse(await readFile(join(this.instancesDir, name), 'utf8')) as InstanceRecord;
        if (record.schema !== 1 || `${record.instanceId}.json` !== name) throw new Error('not an instance record');
        records.push(record);
      } catch {
        unreadable.push(name);
      }
    }
    return { records, unreadable };
  }

  /** Saves a snapshot of the record as it is now. */
  save(record: InstanceRecord): Promise<void> {
    return this.enqueue(record.instanceId, JSON.stringify(record, null, 2) + '\n');
  }

  remove(instanceId: string): Promise<void> {
    return this.enqueue(instanceId, null);
  }

  /** Keeps the log of an instance that is going away as `<id>.log.old`, replacing an older one. */
  async retireLog(instanceId: string): Promise<void> {
    try {
      await rename(this.logPath(instanceId), this.oldLogPath(instanceId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** Resolves once every write queued so far has landed (or failed). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes.values()]);
  }

  recordPath(instanceId: string): string {
    return join(this.instancesDir, `${instanceId}.json`);
  }

  logPath(instanceId: string): string {
    return join(this.logsDir, `${instanceId}.log`);
  }

  oldLogPath(instanceId: string): string {
    return join(this.logsDir, `${instanceId}.log.old`);
  }

  /** Queues the record's new content (null: remove it) behind the write under way, replacing one not started yet. */
  private enqueue(instanceId: string, content: string | null): Promise<void> {
    const waiting = this.queued.get(instanceId);
    if (waiting !== undefined) {
      waiting.content = content;
      return waiting.done;
    }
    const path = this.recordPath(instanceId);
    const entry: { content: string | null; done: Promise<void> } = { content, done: Promise.resolve() };
    const next = (this.writes.get(instanceId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (this.queued.get(instanceId) === entry) this.queued.delete(instanceId);
        return entry.content === null ? rm(path, { force: true }) : this.writeAtomically(path, entry.content);
      });
    entry.done = next;
    this.queued.set(instanceId, entry);
    this.writes.set(instanceId, next);
    void next
      .finally(() => {
        if (this.writes.get(instanceId) === next) this.writes.delete(instanceId);
      })
      .catch(() => undefined);
    return next;
  }

  private async writeAtomically(path: string, content: string): Promise<void> {
    const temp = `${path}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, path);
  }
}
