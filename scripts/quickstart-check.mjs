#!/usr/bin/env node
// The README's Quick start as a newcomer runs it, on the embedded pair: `npm start` with neither
// DATABASE_URL nor REDIS_URL set, a config and a deployment to READY, a chat through the gateway, Ctrl-C,
// `npm start` again, and everything still there (the deployment READY again, the chat answering).
// Run by .ci/run on a clean clone; locally it uses (and leaves) this checkout's .modelplane.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/* global fetch */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const API = 'http://127.0.0.1:8080';
const GATEWAY = 'http://127.0.0.1:8081';
const WS = `${API}/v2/workspaces/default`;

const sleep = (ms) => delay(ms);
const step = (line) => console.log(`[quickstart] ${line}`);

function fail(message) {
  throw new Error(message);
}

/** `npm start` with no DATABASE_URL and no REDIS_URL, its output kept. */
function npmStart() {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => output.push(...chunk.split('\n').filter(Boolean)));
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}

async function until(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  fail(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${last.message})` : ''}`);
}

async function call(method, url, key, body) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function started(run) {
  await until('the API is ready', async () => (await fetch(`${API}/health/ready`)).status === 200);
  await until('the gateway is ready', async () => (await fetch(`${GATEWAY}/health/ready`)).status === 200);
  const key = readFileSync(join(root, '.modelplane', 'admin-key'), 'utf8').trim();
  if (!run.output.some((line) => line.includes('embedded PostgreSQL')))
    fail('npm start did not say it runs an embedded PostgreSQL');
  return key;
}

/** Ctrl-C, as on a terminal: SIGINT to the whole process group. */
async function stop(run) {
  process.kill(-run.child.pid, 'SIGINT');
  const result = await Promise.race([run.exited, sleep(30_000).then(() => 'timeout')]);
  if (result === 'timeout') {
    process.kill(-run.child.pid, 'SIGKILL');
    fail(`npm start did not stop within 30 s of Ctrl-C:\n${run.output.slice(-20).join('\n')}`);
  }
  if (!run.output.some((line) => line.includes('[modelplane] stopped'))) fail('npm start did not say it stopped');
  // The worker stopped the instance it ran (it comes back at the next start).
  if (!run.output.some((line) => /Stopped [1-9]\d* local instance/.test(line)))
    fail(`npm start did not stop its local instances:\n${run.output.slice(-20).join('\n')}`);
}

async function chat(key) {
  const models = await call('GET', `${GATEWAY}/v2/workspaces/default/inference/gateway/openai/-/v1/models`, key);
  const model = models.body?.data?.[0]?.id ?? fail(`the gateway lists no model: ${JSON.stringify(models.body)}`);
  const answer = await call(
    'POST',
    `${GATEWAY}/v2/workspaces/default/inference/gateway/openai/-/v1/chat/completions`,
    key,
    {
      model,
      messages: [{ role: 'user', content: 'Hello' }],
    },
  );
  if (answer.status !== 200 || !answer.body?.choices?.[0]?.message)
    fail(`chat through the gateway: ${answer.status} ${JSON.stringify(answer.body)}`);
  return model;
}

let run;
try {
  step('npm start (no DATABASE_URL, no REDIS_URL)');
  run = npmStart();
  let key = await started(run);
  const config = await call('POST', `${WS}/deployment-configs`, key, {
    name: 'quickstart',
    engine: 'nim',
    model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
    executor_config: { gpu: 1, image_name: 'nvcr.io/nim/meta/llama-3.1-8b-instruct', image_tag: '1.8.5' },
  });
  if (config.status !== 201) fail(`create the config: ${config.status} ${JSON.stringify(config.body)}`);
  const deployment = await call('POST', `${WS}/deployments`, key, { name: 'quickstart', config: 'quickstart' });
  if (deployment.status !== 201) fail(`create the deployment: ${deployment.status} ${JSON.stringify(deployment.body)}`);
  const ready = await call('GET', `${WS}/deployments/quickstart?wait_for=READY,FAILED&timeout=120`, key);
  if (ready.body?.status !== 'READY') fail(`the deployment: ${JSON.stringify(ready.body)}`);
  step(`deployment READY: ${ready.body.status_message}`);
  const model = await until('a chat through the gateway', () => chat(key), 30_000);
  step(`chat through the gateway answered (model ${model})`);
  await stop(run);
  step('stopped with Ctrl-C');

  step('npm start again');
  run = npmStart();
  key = await started(run);
  const kept = await call('GET', `${WS}/deployment-configs/quickstart`, key);
  if (kept.status !== 200) fail(`the config after a restart: ${kept.status}`);
  const again = await call('GET', `${WS}/deployments/quickstart?wait_for=READY,FAILED&timeout=120`, key);
  if (again.body?.status !== 'READY') fail(`the deployment after a restart: ${JSON.stringify(again.body)}`);
  await until('a chat through the gateway after a restart', () => chat(key), 60_000);
  step('after a restart: the config and the deployment are there, READY, and the gateway answers');
  await stop(run);
  step('passed');
} catch (error) {
  console.error(`[quickstart] FAILED: ${error.message}`);
  if (run) {
    console.error(run.output.slice(-40).join('\n'));
    try {
      process.kill(-run.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(1);
}
