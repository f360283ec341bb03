import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalRuntime } from './local.runtime.js';
import { resolveInstanceUser } from './instance-user.js';
import {
  cleanUp,
  FAKE_SERVER,
  getJson,
  isGone,
  makeStateDir,
  specFor,
  testOptions,
  waitFor,
  waitGone,
} from './__fixtures__/runtime-harness.js';

/** Real processes: starts, probes and back-offs take seconds, not milliseconds. */
const SLOW = 20_000;

describe('LocalRuntime: lifecycle', () => {
  let stateDir: string;
  let runtime: LocalRuntime;
  const seen = new Set<number>();

  const pidOf = (instanceId: string): number => {
    const pid = runtime.describe(instanceId)?.pid;
    if (pid == null) throw new Error(`${instanceId} has no process`);
    seen.add(pid);
    return pid;
  };
  const readyObservation = (instanceId: string) =>
    waitFor(
      () => runtime.observe(instanceId),
      (o) => o.phase === 'ready',
    );

  beforeAll(async () => {
    stateDir = await makeStateDir();
    runtime = new LocalRuntime(testOptions(stateDir, { terminationGraceMs: 1000 }));
  }, SLOW);

  afterAll(async () => {
    expect(await cleanUp(runtime, stateDir)).toEqual([]);
    for (const pid of seen) expect(isGone(pid)).toBe(true);
  }, SLOW);

  it(
    'starts an instance, reports starting, then ready with an endpoint that serves',
    async () => {
      const spec = specFor('ready', { env: { SIM_START_DELAY_MS: '400' } });
      const first = await runtime.apply(spec);
      expect(first).toMatchObject({
        instanceId: 'ws.ready.v1',
        phase: 'starting',
        restarts: 0,
        specHash: 'hash-1',
        workspace: 'ws',
        deployment: 'ready',
        version: 1,
      });
      expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.startedAt).toBeInstanceOf(Date);

      const ready = await readyObservation(spec.instanceId);
      expect(ready.endpoint).toBe(first.endpoint);
      expect(ready.readySince).toBeInstanceOf(Date);
      expect(ready.reason).toBeUndefined();
      expect(ready.logTail.join('\n')).toContain('fake-server: listening on port');
      expect((await getJson(`${ready.endpoint}/v1/health/ready`)).status).toBe(200);
      pidOf(spec.instanceId);
    },
    SLOW,
  );

  it(
    'applies the same spec idempotently: same process, no restart',
    async () => {
      const spec = specFor('same');
      await runtime.apply(spec);
      await readyObservation(spec.instanceId);
      const pid = pidOf(spec.instanceId);

      const again = await runtime.apply(structuredClone(spec));
      expect(again).toMatchObject({ phase: 'ready', restarts: 0 });
      expect(pidOf(spec.instanceId)).toBe(pid);
    },
    SLOW,
  );

  it(
    'gives the server a minimal environment: base, spec env, port and ownership variables',
    async () => {
      const spec = specFor('env', {
        env: { NIM_SERVED_MODEL_NAME: 'meta/llama-3.1-8b-instruct', CUSTOM_FLAG: 'on', NGC_API_KEY: 'nvapi-secret' },
      });
      const { endpoint } = await readyObservation((await runtime.apply(spec)).instanceId);
      const port = new URL(endpoint!).port;
      const { body } = await getJson<{ pid: number; env: Record<string, string> }>(`${endpoint}/env`);
      seen.add(body.pid);

      expect(body.env).toEqual({
        PATH: expect.any(String),
        HOME: expect.any(String),
        LANG: 'C.UTF-8',
        NIM_SERVED_MODEL_NAME: 'meta/llama-3.1-8b-instruct',
        CUSTOM_FLAG: 'on',
        PORT: port,
        NIM_SERVER_PORT: port,
        MODELPLANE_INSTANCE_ID: 'ws.env.v1',
        MODELPLANE_STATE_DIR: stateDir,
      });
      // The fake server hides secret-looking names from /env; the process did get it.
      expect(readFileSync(`/proc/${body.pid}/environ`, 'utf8').split('\0')).toContain('NGC_API_KEY=nvapi-secret');
    },
    SLOW,
  );

  it(
    "runs the server as an unprivileged user when it runs as root, with that user's home and no supplementary groups",
    async () => {
      const info = runtime.describe('ws.env.v1')!;
      const status = readFileSync(`/proc/${info.pid}/status`, 'utf8');
      const ids = (field: string) =>
        status
          .match(new RegExp(`^${field}:\\s*(.*)$`, 'm'))![1]
          .trim()
          .split(/\s+/);
      if (process.getuid!() !== 0) {
        expect(ids('Uid')[0]).toBe(String(process.getuid!()));
        return;
      }
      const user = (await resolveInstanceUser('modelplane-instance'))!;
      expect(ids('Uid')).toEqual(Array(4).fill(String(user.uid)));
      expect(ids('Gid')).toEqual(Array(4).fill(String(user.gid)));
      expect(status).toMatch(/^Groups:\s*$/m);
      const env = readFileSync(`/proc/${info.pid}/environ`, 'utf8').split('\0');
      expect(env).toContain(`HOME=${user.home}`);
    },
    SLOW,
  );

  it(
    'persists a record per instance, readable by its owner only',
    async () => {
      const info = runtime.describe('ws.env.v1')!;
      const record = JSON.parse(readFileSync(info.recordPath, 'utf8'));
      expect(record).toMatchObject({
        instanceId: 'ws.env.v1',
        specHash: 'hash-1',
        pid: info.pid,
        pgid: info.pid,
        port: info.port,
        restarts: 0,
        labels: { workspace: 'ws', deployment: 'env', version: 1 },
        spec: { instanceId: 'ws.env.v1' },
      });
      expect(typeof record.startedAt).toBe('string');
      expect(statSync(info.recordPath).mode & 0o777).toBe(0o600);
    },
    SLOW,
  );

  it(
    'replaces the process when the specHash changes',
    async () => {
      const spec = specFor('replace');
      await runtime.apply(spec);
      await readyObservation(spec.instanceId);
      const oldPid = pidOf(spec.instanceId);

      const replaced = await runtime.apply({ ...spec, specHash: 'hash-2', env: { CUSTOM_FLAG: 'two' } });
      expect(replaced).toMatchObject({ specHash: 'hash-2', restarts: 0 });
      expect(['starting', 'ready']).toContain(replaced.phase);
      expect(isGone(oldPid)).toBe(true);
      const newPid = pidOf(spec.instanceId);
      expect(newPid).not.toBe(oldPid);

      const ready = await readyObservation(spec.instanceId);
      const { body } = await getJson<{ env: Record<string, string> }>(`${ready.endpoint}/env`);
      expect(body.env.CUSTOM_FLAG).toBe('two');
    },
    SLOW,
  );

  it(
    'keeps an instance that never passes readiness in starting, without a reason',
    async () => {
      const spec = specFor('never', { env: { SIM_NEVER_READY: '1' } });
      await runtime.apply(spec);
      pidOf(spec.instanceId);
      await sleep(800);
      const observed = await runtime.observe(spec.instanceId);
      expect(observed).toMatchObject({ phase: 'starting', restarts: 0 });
      expect(observed.reason).toBeUndefined();
      expect(observed.message).toContain('HTTP 503');
      expect(observed.endpoint).toBeDefined();
    },
    SLOW,
  );

  it(
    'reports unhealthy, no longer ready, when readiness fails 3 probes in a row after passing',
    async () => {
      const spec = specFor('flaky', { env: { FAKE_UNREADY_AFTER_MS: '700' } });
      await readyObservation((await runtime.apply(spec)).instanceId);
      pidOf(spec.instanceId);
      const unhealthy = await waitFor(
        () => runtime.observe(spec.instanceId),
        (o) => o.reason === 'unhealthy',
      );
      expect(unhealthy).toMatchObject({ phase: 'starting', restarts: 0 });
      expect(unhealthy.readySince).toBeUndefined();
      expect(unhealthy.endpoint).toBeDefined();
      expect(unhealthy.message).toMatch(/failed [3-9] times in a row/);
      expect(unhealthy.message).toContain('HTTP 503');
    },
    SLOW,
  );

  it(
    'deletes the whole process group, keeps the log as .log.old, and deleting again is a no-op',
    async () => {
      const spec = specFor('group', { env: { FAKE_SPAWN_CHILD: '1' } });
      const { endpoint } = await readyObservation((await runtime.apply(spec)).instanceId);
      const pid = pidOf(spec.instanceId);
      const info = runtime.describe(spec.instanceId)!;
      const { body } = await getJson<{ pids: number[] }>(`${endpoint}/children`);
      expect(body.pids).toHaveLength(1);
      const [grandchild] = body.pids;
      expect(isGone(grandchild)).toBe(false);

      await runtime.delete(spec.instanceId);
      expect(await waitGone(pid, 1000)).toBe(true);
      expect(await waitGone(grandchild, 1000)).toBe(true);
      expect(await runtime.observe(spec.instanceId)).toMatchObject({ phase: 'missing', restarts: 0, logTail: [] });
      expect((await runtime.list()).map((o) => o.instanceId)).not.toContain(spec.instanceId);
      expect(existsSync(info.recordPath)).toBe(false);
      expect(existsSync(info.logPath)).toBe(false);
      expect(readFileSync(`${info.logPath}.old`, 'utf8')).toContain('fake-server: listening on port');

      await expect(runtime.delete(spec.instanceId)).resolves.toBeUndefined();
      await expect(runtime.delete('ws.never-existed.v1')).resolves.toBeUndefined();
    },
    SLOW,
  );

  it(
    'sends SIGKILL when SIGTERM is ignored for the grace period',
    async () => {
      const spec = specFor('stubborn', { env: { FAKE_IGNORE_SIGTERM: '1' } });
      await readyObservation((await runtime.apply(spec)).instanceId);
      const pid = pidOf(spec.instanceId);

      const started = Date.now();
      await runtime.delete(spec.instanceId);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(await waitGone(pid, 1000)).toBe(true);
    },
    SLOW,
  );

  it(
    'lists every instance it owns',
    async () => {
      const listed = await runtime.list();
      expect(listed.map((o) => o.instanceId).sort()).toEqual(
        ['ws.env.v1', 'ws.flaky.v1', 'ws.never.v1', 'ws.ready.v1', 'ws.replace.v1', 'ws.same.v1'].sort(),
      );
    },
    SLOW,
  );

  it(
    'rejects an instance id that is not a safe file name',
    async () => {
      await expect(runtime.apply(specFor('x', { instanceId: '../escape' }))).rejects.toMatchObject({
        code: 'runtime/invalid_spec',
      });
    },
    SLOW,
  );
});

describe('LocalRuntime: command templates', () => {
  let stateDir: string;
  let runtime: LocalRuntime | null = null;

  beforeAll(async () => {
    stateDir = await makeStateDir();
  }, SLOW);

  afterAll(async () => {
    expect(await cleanUp(runtime, stateDir)).toEqual([]);
  }, SLOW);

  it(
    'splits a string template shell-style and fills in the placeholders, then appends the spec args',
    async () => {
      runtime = new LocalRuntime(
        testOptions(stateDir, {
          command: `'${process.execPath}' "${FAKE_SERVER}" --model {model} --port={port} --id {instanceId} --host {host}`,
        }),
      );
      const spec = specFor('template', { env: { NIM_SERVED_MODEL_NAME: 'meta/llama 3' }, args: ['--extra'] });
      await runtime.apply(spec);
      const { port, argv } = runtime.describe(spec.instanceId)!;
      expect(argv).toEqual([
        process.execPath,
        FAKE_SERVER,
        '--model',
        'meta/llama 3',
        `--port=${port}`,
        '--id',
        'ws.template.v1',
        '--host',
        '127.0.0.1',
        '--extra',
      ]);
      await waitFor(
        () => runtime!.observe(spec.instanceId),
        (o) => o.phase === 'ready',
      );
    },
    SLOW,
  );

  it('refuses an unknown placeholder when constructed', () => {
    expect(() => new LocalRuntime(testOptions(stateDir, { command: 'vllm serve {modle}' }))).toThrow(
      'Unknown placeholder {modle}',
    );
  });
});
