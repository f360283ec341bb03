/**
 * NIM simulator benchmark: non-streaming (and streaming) chat completions
 * under concurrency, against the compiled simulator started as a child
 * process, the way the local runtime starts it. The same load against a bare
 * node:http server that answers one fixed body runs alongside as the
 * ceiling of this machine, so the figure reads as "how close to free".
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/nim-sim.bench.js
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 node dist/bench/nim-sim.bench.js
 */
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARM_UP_SECONDS = 1;
const SIMULATOR = fileURLToPath(new URL('../apps/nim-sim/src/main.js', import.meta.url));
const MODEL = 'meta/llama-3.1-8b-instruct';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Share of one core the server used while loaded, when /proc tells (Linux). */
  cpu: number | null;
}

/** User + system CPU seconds of a process, from /proc (Linux; USER_HZ is 100 there). */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const chatBody = (stream: boolean): string =>
  JSON.stringify({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Write a haiku about GPUs that are not there.' },
    ],
    max_tokens: 16,
    stream,
  });

/** The baseline, run as `node nim-sim.bench.js --baseline`: a bare handler with a fixed body of the same size. */
function serveBaseline(): void {
  const body = JSON.stringify({
    id: 'chatcmpl-baseline',
    object: 'chat.completion',
    created: 0,
    model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: 'x '.repeat(60) }, finish_reason: 'length' }],
    usage: { prompt_tokens: 14, completion_tokens: 16, total_tokens: 30 },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

function startBaseline(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--baseline'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
}

/** Starts the simulator on a free port and waits for its "ready" line. */
function startSimulator(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIMULATOR], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NIM_SERVED_MODEL_NAME: MODEL },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let port = 0;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const serving = /^nim-sim: serving .* on [^ ]+:(\d+)/.exec(line);
      if (serving) port = Number(serving[1]);
      if (line === 'nim-sim: ready') resolve({ child, port });
    });
    child.once('exit', (code) => reject(new Error(`${SIMULATOR} exited with ${code}; run npm run build first`)));
  });
}

async function load(server: ChildProcess, port: number, body: string, seconds: number): Promise<Result> {
  const cpuBefore = cpuSeconds(server.pid);
  const started = process.hrtime.bigint();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = cpuSeconds(server.pid);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    cpu: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / wall,
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const [sim, bare] = await Promise.all([startSimulator(), startBaseline()]);
  try {
    const rows: string[][] = [];
    for (const [name, server, body] of [
      ['bare node:http, fixed body', bare, chatBody(false)],
      ['nim-sim chat, non-streaming', sim, chatBody(false)],
      ['nim-sim chat, streaming', sim, chatBody(true)],
    ] as const) {
      await load(server.child, server.port, body, WARM_UP_SECONDS);
      const r = await load(server.child, server.port, body, SECONDS);
      const cpu = r.cpu === null ? 'n/a' : `${(r.cpu * 100).toFixed(0)}%`;
      // Throughput per fully used core: what the server could do if the load generator were not the limit.
      const perCore = r.cpu === null || r.cpu === 0 ? 'n/a' : (r.rps / r.cpu).toFixed(0);
      rows.push([name, r.rps.toFixed(0), String(r.p50), String(r.p99), String(r.errors), cpu, perCore]);
    }
    printTable(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'req/s per core'], rows);
    console.log(
      `\n${CONNECTIONS} connections, ${SECONDS}s per measurement after a ${WARM_UP_SECONDS}s warm-up; max_tokens 16.`,
    );
  } finally {
    await Promise.all([stop(sim.child), stop(bare.child)]);
  }
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

if (process.argv.includes('--baseline')) {
  serveBaseline();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
