import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The account local instances run as. */
export interface InstanceUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * The unprivileged account instances run as when the worker runs as root,
 * created (a system account with its own group and a home for caches) when
 * missing; null when the worker is not root (it cannot switch users, and
 * instances run as the worker's own user).
 *
 * Why: a process running as the worker's user can read the worker's
 * /proc/<pid>/environ and memory (DATABASE_URL, MODELPLANE_SECRET_KEYS).
 * Another user cannot.
 */
export async function resolveInstanceUser(
  name: string,
  isRoot = process.getuid?.() === 0,
): Promise<InstanceUser | null> {
  if (!isRoot) return null;
  // Several workers (or tests) on one machine may create it at once: useradd then fails on its lock or on the name.
  for (let attempt = 0; ; attempt++) {
    const found = await lookUp(name);
    if (found !== null) return found;
    try {
      await run('useradd', [
        '--system',
        '--user-group',
        '--create-home',
        '--home-dir',
        `/var/lib/${name}`,
        '--shell',
        '/usr/sbin/nologin',
        '--comment',
        'Modelplane local instances',
        name,
      ]);
    } catch (error) {
      if (attempt >= 5) {
        const e = error as Error & { stderr?: string };
        throw new Error(
          `Cannot create the user '${name}' that local instances run as (useradd: ${(e.stderr ?? e.message).trim()}); create it, or set LOCAL_RUNTIME_USER to an existing unprivileged user`,
          { cause: error },
        );
      }
      await sleep(50 * (attempt + 1));
    }
  }
}

/** The account from the name service (getent), or null when there is none. */
async function lookUp(name: string): Promise<InstanceUser | null> {
  let line: string;
  try {
    line = (await run('getent', ['passwd', name])).stdout.trim();
  } catch (error) {
    // getent exits 2 when the name is unknown.
    if ((error as { code?: unknown }).code === 2) return null;
    throw error;
  }
  const [, , uid, gid, , home] = line.split(':');
  const user = { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid)) throw new Error(`getent passwd ${name}: ${line}`);
  if (user.uid === 0 || user.gid === 0)
    throw new Error(`The user '${name}' that local instances run as is root's (uid or gid 0)`);
  return user;
}
