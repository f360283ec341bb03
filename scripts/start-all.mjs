#!/usr/bin/env node
// Runs the API, the worker and the inference gateway side by side (what
// `npm start` does): each in its own process, as they run in production, with
// prefixed output. If one exits, the others are stopped and the exit code
// passed on; Ctrl-C stops them all.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = [
  { name: 'api', entry: 'dist/apps/api/src/main.js' },
  { name: 'worker', entry: 'dist/apps/worker/src/main.js' },
  { name: 'gateway', entry: 'dist/apps/gateway/src/main.js' },
];
const children = [];
let stopping = false;

function stopAll(signal = 'SIGTERM') {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill(signal);
}

function prefix(stream, name, out) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function start(app, env = {}) {
  const child = fork(join(root, app.entry), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ...env } });
  prefix(child.stdout, app.name, process.stdout);
  prefix(child.stderr, app.name, process.stderr);
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${app.name}] exited (${signal ?? code}); stopping`);
      process.exitCode = code || 1;
      stopAll();
    }
  });
  return child;
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

// The API applies migrations before it listens; the worker and the gateway start once it is up.
const api = await start(apps[0]);
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
if (!stopping) await start(apps[1]);
if (!stopping) await start(apps[2]);
