/**
 * The launcher: a small process that starts the local runtime's instances
 * and reports their exits, over the IPC channel of the runtime that started
 * it. It imports nothing but Node and two helpers, so it stays small: the
 * fork behind each spawn copies this process, not the worker's hundreds of
 * megabytes (7 ms of the worker's CPU per spawn, measured, against 1 ms here).
 *
 * It leads a session of its own, and its instances stay in that session:
 * with Linux's autogroup scheduling a session is one group that gets one
 * share of the CPU, so a hundred instances starting at once weigh as one
 * session against the control plane's, not a hundred (a detached process
 * per instance would make each a session of its own). Inside the session
 * the instances run at the requested niceness and the launcher at its own,
 * so it keeps starting instances while they compete among themselves.
 *
 * Each instance gets a process group of its own, so a stop reaches the
 * server's own children (perl's setpgrp, then exec: the pid stays the
 * server's). Without perl the instance shares the launcher's group and is
 * found by its ownership variables instead (see process-table).
 *
 * The launcher exits when the runtime goes (the channel closes); the
 * instances keep running for the next runtime to adopt.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { LauncherMessage, SpawnRequest } from './launcher-protocol.js';
import { findProgram } from './program-path.js';

/** setpgid(0, 0), setpriority to the first argument, exec the rest (argv[0] of the rest is the program). */
const SETPGRP_EXEC =
  '$n = shift; setpgrp(0, 0) or die "setpgrp: $!\\n"; setpriority(0, 0, $n) if $n; exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\\n"';

// eslint-disable-next-line no-restricted-syntax -- not configuration: the environment its runtime gave it (launcherEnv)
const path = process.env.PATH ?? '/usr/bin:/bin';
const perl = findProgram('perl', path);
const niceProgram = findProgram('nice', path);

function send(message: LauncherMessage): void {
  if (process.connected) process.send?.(message);
}

function launch(request: SpawnRequest): void {
  const { ref, argv, env, logPath, nice, uid, gid } = request;
  // The program must exist before a wrapper runs it: a missing program is ENOENT here, not an exit of the wrapper.
  const program = findProgram(argv[0], env.PATH ?? '');
  if (program === null) {
    send({ op: 'failed', ref, code: 'ENOENT', message: `spawn ${argv[0]} ENOENT` });
    return;
  }
  const args = argv.slice(1);
  let command: string[];
  if (perl !== null) command = [perl, '-e', SETPGRP_EXEC, '--', String(nice), program, ...args];
  else if (nice > 0 && niceProgram !== null) command = [niceProgram, '-n', String(nice), program, ...args];
  else command = [program, ...args];
  let fd: number;
  try {
    fd = openSync(logPath, 'a', 0o600);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    send({ op: 'failed', ref, code: e.code ?? null, message: e.message });
    return;
  }
  try {
    // With uid and gid, libuv also drops the launcher's supplementary groups (setgroups) before exec.
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', fd, fd], env, uid, gid });
    if (child.pid === undefined) {
      child.once('error', (error: NodeJS.ErrnoException) =>
        send({ op: 'failed', ref, code: error.code ?? null, message: error.message }),
      );
      return;
    }
    const pid = child.pid;
    child.on('error', () => undefined); // a failed kill, reported by the runtime's own signals
    child.once('exit', (code, signal) => send({ op: 'exit', pid, code, signal }));
    send({ op: 'spawned', ref, pid, pgid: perl !== null ? pid : null });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    send({ op: 'failed', ref, code: e.code ?? null, message: e.message });
  } finally {
    closeSync(fd);
  }
}

process.on('message', (message: SpawnRequest) => {
  if (message?.op === 'spawn') launch(message);
});
process.on('disconnect', () => process.exit(0));
