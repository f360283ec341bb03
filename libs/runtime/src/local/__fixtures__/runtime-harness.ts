/**
 * Helpers for the local runtime's tests (no Jest globals, so it also
 * type-checks in the build). Every runtime under test runs the fake server
 * next to this file, in its own temporary state directory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { InstanceSpec } from '../../runtime.js';
import type { LocalRuntime } from '../local.runtime.js';
import type { LocalRuntimeOptions } from '../local-runtime.options.js';
import { STATE_DIR_VAR } from '../process-table.js';

export const FAKE_SERVER = fileURLToPath(new URL('./fake-server.mjs', import.meta.url));

export const silentLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

export function makeStateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'modelplane-local-runtime-'));
}

/** Fast timings: probes every 100 ms, back-off from 100 ms doubling to 400 ms. */
export function testOptions(stateDir: string, overrides: Partial<LocalRuntimeOptions> = {}): LocalRuntimeOptions {
  return {
    stateDir,
    command: [process.execPath, FAKE_SERVER],
    probeIntervalMs: 100,
    readinessTimeoutMs: 500,
    restartBackoff: { initialMs: 100, maxMs: 400 },
    terminationGraceMs: 2000,
    logger: silentLogger,
    ...overrides,
  };
}

/** `ws.<deployment>.v1` with the fake server's readiness path. */
export function specFor(deployment: string, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    instanceId: `ws.${deployment}.v1`,
    workspace: 'ws',
    deployment,
    version: 1,
    engine: 'nim',
    image: null,
    gpu: 0,
    env: {},
    args: [],
    readinessPath: '/v1/health/ready',
    livenessPath: '/v1/health/live',
    specHash: 'hash-1',
    ...overrides,
  };
}

/** Calls `read` until `done` holds; fails with the last value seen. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(intervalMs);
  }
}

export function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as T }));
    }).on('error', reject);
  });
}

/** `process.kill(pid, 0)` fails with ESRCH, or only a zombie is left (its parent has not reaped it yet). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function waitGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!isGone(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Live processes started by any runtime on `stateDir` (they carry MODELPLANE_STATE_DIR). */
export function processesOf(stateDir: string): number[] {
  const marker = `${STATE_DIR_VAR}=${stateDir}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(marker) && !isGone(Number(name))) {
        found.push(Number(name));
      }
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return found;
}

/**
 * Deletes every instance through `runtime` (when given), closes it, then
 * SIGKILLs whatever a failed test left behind. Answers the processes that
 * were still alive after the runtime's own cleanup, for the test to assert
 * there were none.
 */
export async function cleanUp(runtime: LocalRuntime | null, stateDir: string): Promise<number[]> {
  if (runtime !== null) {
    for (const { instanceId } of await runtime.list().catch(() => [])) await runtime.delete(instanceId);
    await runtime.close();
  }
  const leftovers = processesOf(stateDir);
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const pid of leftovers) await waitGone(pid);
  await rm(stateDir, { recursive: true, force: true });
  return leftovers;
}
