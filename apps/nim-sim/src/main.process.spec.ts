/**
 * The compiled simulator as the process runtime starts it: exit codes and the
 * lines it leaves on stdout/stderr. Needs the build (`npx tsc -p
 * tsconfig.build.json`; `npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../dist/apps/nim-sim/src/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves when a stdout line matches. */
  line(pattern: RegExp): Promise<string>;
}

const running: ChildProcess[] = [];

function run(env: Record<string, string>): Run {
  // Only what is given: a NIM_* variable of the machine running the tests must not leak in.
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: '0', ...env } });
  running.push(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  const collect = (sink: string[], notify: boolean) => (data: Buffer) => {
    for (const l of data.toString().split('\n').filter(Boolean)) {
      sink.push(l);
      if (notify) for (const w of waiters) if (w.pattern.test(l)) w.resolve(l);
    }
  };
  child.stdout!.on('data', collect(stdout, true));
  child.stderr!.on('data', collect(stderr, false));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = stdout.find((l) => pattern.test(l));
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`exited ${code} before ${pattern}: ${stderr.join('\n')}`)));
      }),
  };
}

async function portOf(r: Run): Promise<number> {
  return Number(/:(\d+)/.exec(await r.line(/^nim-sim: serving /))![1]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('nim-sim process', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  });
  afterEach(() => {
    for (const child of running.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('serves, turns ready, and exits 0 on SIGTERM', async () => {
    const r = run({ NIM_SERVED_MODEL_NAME: 'org/base' });
    const port = await portOf(r);
    expect(r.stdout[0]).toBe(`nim-sim: serving org/base on 127.0.0.1:${port}`);
    await r.line(/^nim-sim: ready$/);
    const res = await fetch(`http://127.0.0.1:${port}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'org/base', prompt: 'hi' }),
    });
    expect(res.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.stdout.slice(-2)).toEqual(['nim-sim: SIGTERM received, shutting down', 'nim-sim: stopped']);
    expect(r.stderr).toEqual([]);
  });

  it('keeps serving for SIM_EXIT_ON_SIGTERM_DELAY_MS after SIGINT, then exits 0', async () => {
    const r = run({ SIM_EXIT_ON_SIGTERM_DELAY_MS: '300' });
    const port = await portOf(r);
    await r.line(/^nim-sim: ready$/);
    const sent = Date.now();
    r.child.kill('SIGINT');
    await r.line(/SIGINT received/);
    expect((await fetch(`http://127.0.0.1:${port}/v1/health/live`)).status).toBe(200);
    expect(await r.exited).toBe(0);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(300);
  });

  it('listens on NIM_SERVER_PORT when PORT is not set', async () => {
    const port = await freePort();
    const r = run({ PORT: '', NIM_SERVER_PORT: String(port) });
    expect(await portOf(r)).toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/v1/health/live`)).status).toBe(200);
  });

  it('prints SIM_FAIL_AT_START to stderr and exits 1 without listening', async () => {
    const r = run({ SIM_FAIL_AT_START: 'Error: no compatible GPU found for profile tensorrt_llm-h100-fp8' });
    expect(await r.exited).toBe(1);
    expect(r.stderr).toEqual(['Error: no compatible GPU found for profile tensorrt_llm-h100-fp8']);
    expect(r.stdout).toEqual([]);
  });

  it('crashes with exit 3 after SIM_CRASH_AFTER_MS, with a line on stderr', async () => {
    const started = Date.now();
    const r = run({ SIM_CRASH_AFTER_MS: '400' });
    await r.line(/^nim-sim: ready$/);
    expect(await r.exited).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(r.stderr).toEqual(['nim-sim: simulated crash after 400 ms (SIM_CRASH_AFTER_MS)']);
  });

  it('exits 2 on a bad variable, naming it and never a secret', async () => {
    const r = run({ SIM_ERROR_RATE: 'lots', NGC_API_KEY: 'nvapi-do-not-print' });
    expect(await r.exited).toBe(2);
    expect(r.stderr.join('\n')).toMatch(/^nim-sim: invalid configuration: SIM_ERROR_RATE must be a number/);
    expect([...r.stdout, ...r.stderr].join('\n')).not.toContain('nvapi-do-not-print');
  });

  it('exits 1 with the reason when the port is taken', async () => {
    const blocker: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = blocker.address() as { port: number };
    try {
      const r = run({ PORT: String(port) });
      expect(await r.exited).toBe(1);
      expect(r.stderr.join('\n')).toMatch(/^nim-sim: cannot start: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
