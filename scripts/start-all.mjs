#!/usr/bin/env node
// Runs the API, the worker and the inference gateway side by side (what `npm start` does): each in its
// own process, as they run in production, with prefixed output. Without DATABASE_URL it first starts an
// embedded PostgreSQL (scripts/embedded-postgres.ts; data in .modelplane/postgres) and stops it last.
// Without REDIS_URL the job queue runs on BullMQ's PostgreSQL backend (QUEUE_BACKEND=postgres): no Redis.
// If a service exits, the others are stopped and its exit code passed on; Ctrl-C stops them all.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Compiled by scripts/bootstrap.mjs, which `npm start` runs first.
import { redactUrl } from '../dist/libs/domain/src/redact-url.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = [
  { name: 'api', entry: 'dist/apps/api/src/main.js' },
  { name: 'worker', entry: 'dist/apps/worker/src/main.js' },
  { name: 'gateway', entry: 'dist/apps/gateway/src/main.js' },
];
/** The services' processes, and the exit of each. */
const children = [];
/** The embedded PostgreSQL's supervisor, when this run started one. */
let database;
let stopping = false;

const say = (line) => process.stdout.write(`[modelplane] ${line}\n`);

function prefix(stream, name, out) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

const exited = (child) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));

/** Stops the services, then (once they are gone) the embedded PostgreSQL, then ends with `code`. */
async function stopAll(signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (running.length) say(`stopping ${running.map((c) => c.appName).join(', ')}…`);
  for (const c of running) c.kill(signal);
  await Promise.all(children.map(exited));
  if (database && database.exitCode === null) {
    database.kill('SIGTERM');
    await exited(database);
  }
  say('stopped');
  process.exit(process.exitCode ?? 0);
}

/**
 * A service, in a process group of its own: a Ctrl-C on the terminal reaches this supervisor only, which
 * passes it on once (a service that got it twice, from the terminal and from here, would take the second as
 * "stop now" and cut its shutdown short).
 */
async function start(app, env) {
  const child = fork(join(root, app.entry), [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
    detached: true,
  });
  child.appName = app.name;
  prefix(child.stdout, app.name, process.stdout);
  prefix(child.stderr, app.name, process.stderr);
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${app.name} exited (${signal ?? code}); stopping the others`);
      process.exitCode = code || 1;
      void stopAll();
    }
  });
  return child;
}

/**
 * The embedded PostgreSQL, in a process group of its own like the services, stopped after them. Resolves
 * to its connection string, or undefined if it did not start (it said why).
 */
function startEmbeddedPostgres() {
  database = fork(join(root, 'dist/scripts/embedded-postgres.js'), [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  prefix(database.stdout, 'postgres', process.stdout);
  prefix(database.stderr, 'postgres', process.stderr);
  return new Promise((resolve) => {
    database.on('message', (message) => {
      if (message && typeof message.ready === 'string') resolve(message.ready);
    });
    database.once('exit', () => resolve(undefined));
  });
}

process.on('SIGINT', () => void stopAll('SIGINT'));
process.on('SIGTERM', () => void stopAll('SIGTERM'));
// The terminal closed: the services, in groups of their own, would not hear of it.
process.on('SIGHUP', () => void stopAll('SIGTERM'));

const env = {};
if (process.env.DATABASE_URL) {
  say(`PostgreSQL: ${redactUrl(process.env.DATABASE_URL)} (DATABASE_URL)`);
} else {
  say('PostgreSQL: DATABASE_URL is not set, so an embedded PostgreSQL keeps the data in .modelplane/postgres');
  say(
    '  (for a PostgreSQL server of your own: DATABASE_URL=postgresql://user:password@host:5432/modelplane npm start)',
  );
  const url = await startEmbeddedPostgres();
  if (!url) {
    process.exitCode = 1;
    await stopAll();
  }
  env.DATABASE_URL = url;
}

if (process.env.QUEUE_BACKEND === 'postgres') {
  say('Job queue: in PostgreSQL (QUEUE_BACKEND=postgres)');
} else if (process.env.REDIS_URL || process.env.QUEUE_BACKEND) {
  say(`Job queue: Redis at ${redactUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')} (REDIS_URL)`);
} else {
  say('Job queue: REDIS_URL is not set, so the queue lives in PostgreSQL too (QUEUE_BACKEND=postgres, no Redis)');
  say('  (for Redis: REDIS_URL=redis://host:6379 npm start)');
  env.QUEUE_BACKEND = 'postgres';
}

// The API applies migrations before it listens; the worker and the gateway start once it is up.
const api = await start(apps[0], env);
await new Promise((resolve) => {
  const onData = (chunk) => {
    if (String(chunk).includes('listening on')) {
      api.stdout.off('data', onData);
      resolve();
    }
  };
  api.stdout.on('data', onData);
  api.on('exit', resolve);
});
// What this run starts, it stops: the worker's local instances too (a worker run on its own keeps them).
if (!stopping) await start(apps[1], { LOCAL_RUNTIME_STOP_INSTANCES_ON_EXIT: 'true', ...env });
if (!stopping) await start(apps[2], env);
