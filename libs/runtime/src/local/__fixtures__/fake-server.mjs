// A stand-in for the NIM simulator with only what the local runtime tests need,
// so they do not depend on apps/nim-sim being built. Knobs (environment):
//   PORT / NIM_SERVER_PORT   port to listen on (127.0.0.1)
//   SIM_START_DELAY_MS=n     /v1/health/ready answers 503 for n ms, then 200
//   SIM_FAIL_AT_START=msg    print msg to stderr and exit 1 before listening
//   SIM_NEVER_READY=1        /v1/health/ready always answers 503
//   SIM_CRASH_AFTER_MS=n     print a line and exit 3 n ms after start
//   FAKE_UNREADY_AFTER_MS=n  /v1/health/ready answers 503 again from n ms after start
//   FAKE_SPAWN_CHILD=1       start a long-lived child in the same process group (GET /children)
//   FAKE_IGNORE_SIGTERM=1    ignore SIGTERM, so only SIGKILL stops it
// GET /env answers { pid, env } without variables whose name looks secret.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { setTimeout } from 'node:timers';

// eslint-disable-next-line no-restricted-syntax -- a stand-in for an external server, whose environment is its interface
const env = process.env;
const startedAt = Date.now();

if (env.SIM_FAIL_AT_START) {
  console.error(env.SIM_FAIL_AT_START);
  process.exit(1);
}

const children = [];
if (env.FAKE_SPAWN_CHILD === '1') {
  children.push(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }).pid);
}
if (env.FAKE_IGNORE_SIGTERM === '1') {
  process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
}
if (env.SIM_CRASH_AFTER_MS) {
  setTimeout(() => {
    console.error('fake-server: crashing on purpose');
    process.exit(3);
  }, Number(env.SIM_CRASH_AFTER_MS));
}

const SECRET = /KEY|SECRET|TOKEN|PASSWORD/i;
const readyAt = startedAt + Number(env.SIM_START_DELAY_MS ?? 0);
const unreadyAt = env.FAKE_UNREADY_AFTER_MS ? startedAt + Number(env.FAKE_UNREADY_AFTER_MS) : Infinity;

const server = createServer((req, res) => {
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (req.url) {
    case '/v1/health/ready':
      return env.SIM_NEVER_READY === '1' || Date.now() < readyAt || Date.now() >= unreadyAt
        ? json(503, { status: 'not ready' })
        : json(200, { status: 'ready' });
    case '/v1/health/live':
      return json(200, { status: 'live' });
    case '/env':
      return json(200, {
        pid: process.pid,
        env: Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET.test(name))),
      });
    case '/children':
      return json(200, { pids: children });
    default:
      return json(404, { detail: 'not found' });
  }
});

const port = Number(env.PORT ?? env.NIM_SERVER_PORT);
server.listen(port, '127.0.0.1', () => {
  console.log(`fake-server: listening on port ${port}`);
  // Says so when it turns ready, as servers do (the runtime probes on output).
  if (env.SIM_NEVER_READY !== '1' && readyAt > Date.now())
    setTimeout(() => console.log('fake-server: ready'), readyAt - Date.now()).unref();
});
