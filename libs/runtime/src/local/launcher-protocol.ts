/** Messages between a LocalRuntime and its launcher process (Node's IPC channel, JSON). */

export interface SpawnRequest {
  op: 'spawn';
  /** Matches the answer to the request. */
  ref: number;
  argv: string[];
  env: Record<string, string>;
  /** stdout and stderr are appended to it. */
  logPath: string;
  /** Niceness of the process (0: as the launcher). */
  nice: number;
  /** The user and group it runs as; absent: the launcher's. */
  uid?: number;
  gid?: number;
}

export type LauncherMessage =
  /** `pgid` is the process's own group when the launcher could give it one, else null (see launcher-main). */
  | { op: 'spawned'; ref: number; pid: number; pgid: number | null }
  | { op: 'failed'; ref: number; code: string | null; message: string }
  | { op: 'exit'; pid: number; code: number | null; signal: NodeJS.Signals | null };
