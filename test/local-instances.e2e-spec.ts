import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { instanceIdOf } from '#runtime';
import { newWorkspace, uniqueName } from './api-harness.js';
import { eventually, ownedProcesses, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(90_000);

/** What a local instance's environment may hold besides what its config sets. */
const RUNTIME_VARS = [
  'PATH',
  'HOME',
  'LANG',
  'PORT',
  'NIM_SERVER_PORT',
  'MODELPLANE_INSTANCE_ID',
  'MODELPLANE_STATE_DIR',
];

/**
 * Code run inside the instance (the attack NODE_OPTIONS allows): it tries to
 * read the worker's environment, and prints what happened to the log.
 * NODE_OPTIONS splits on spaces and treats `"` as a quote: neither appears.
 */
const READ_WORKER_ENV =
  "--import=data:text/javascript,import{readFileSync}from'node:fs';try{console.log('probe','LEAKED:'+readFileSync('/proc/'+process.env.PROBE_PID+'/environ','utf8').length)}catch(e){console.log('probe','DENIED:'+e.code)}";

function procStatus(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

function procEnv(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/**
 * Local instances, checked from /proc rather than from the runtime's own
 * bookkeeping: what environment and user they run with, and which names
 * they can run under.
 */
describe('local instances (e2e, local runtime)', () => {
  let plane: ControlPlane;
  let ws: string;

  beforeAll(async () => {
    // The operator allows NODE_OPTIONS here, so the test can run code in an instance as an attacker would.
    plane = await startControlPlane({}, { CONFIG_ENV_ALLOW: 'NODE_OPTIONS' });
    ws = await newWorkspace(plane.api, 'inst');
  });
  afterAll(async () => {
    await plane?.close();
  });

  async function deployReady(
    name: string,
    configName: string,
    envs: Record<string, string> = {},
    workspace = ws,
  ): Promise<{ instanceId: string; pid: number }> {
    const base = `/v2/workspaces/${workspace}`;
    const config = await plane.api.request('POST', `${base}/deployment-configs`, {
      name: configName,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 0, additional_envs: envs },
    });
    expect(`${config.status} ${config.text}`).toMatch(/^201/);
    const created = await plane.api.request('POST', `${base}/deployments`, { name, config: configName });
    expect(`${created.status} ${created.text}`).toMatch(/^201/);
    const res = await plane.api.request('GET', `${base}/deployments/${name}?wait_for=READY,FAILED&timeout=30`);
    expect(`${res.body.status}: ${res.body.status_message}`).toMatch(/^READY/);
    const instanceId = instanceIdOf(workspace, name, 1);
    const servers = ownedProcesses(plane.stateDir).filter((p) => p.instanceId === instanceId);
    expect(servers).toHaveLength(1);
    return { instanceId, pid: servers[0].pid };
  }

  it("runs an instance with nothing of the worker's environment, as a user that cannot read the worker's", async () => {
    // The worker runs in this process.
    const { instanceId, pid } = await deployReady('isolated', 'isolated', {
      NODE_OPTIONS: READ_WORKER_ENV,
      PROBE_PID: String(process.pid),
      ORDINARY_SETTING: 'x',
    });

    const env = procEnv(pid);
    expect(Object.keys(env).sort()).toEqual(
      [...RUNTIME_VARS, 'NODE_OPTIONS', 'PROBE_PID', 'ORDINARY_SETTING', 'NIM_SERVED_MODEL_NAME'].sort(),
    );
    const workerEnv = procEnv(process.pid);
    for (const [name, value] of Object.entries(workerEnv)) {
      if (RUNTIME_VARS.includes(name)) continue;
      expect(Object.values(env)).not.toContain(value);
    }
    expect(JSON.stringify(env)).not.toContain(plane.env.DATABASE_URL);

    const log = await eventually(async () => {
      const text = readFileSync(join(plane.stateDir, 'logs', `${instanceId}.log`), 'utf8');
      return /probe /.test(text) && text;
    });
    const uid = procStatus(pid).Uid.split(/\s+/);
    if (process.getuid!() === 0) {
      expect(uid.every((id) => id !== '0')).toBe(true);
      expect(procStatus(pid).Groups).toBe('');
      expect(log).toMatch(/probe DENIED:EACCES/);
    } else {
      expect(uid[0]).toBe(String(process.getuid!()));
    }
    expect(log).not.toMatch(/LEAKED/);
  });

  it('runs deployments and configs under every valid name, @ + _ . included', async () => {
    const names = ['a@b', 'a+b_c.d', 'x.y@z+1_2'];
    const started = await Promise.all(names.map((name) => deployReady(name, name)));
    expect(new Set(started.map((s) => s.pid)).size).toBe(names.length);
    for (const name of names) {
      const provider = await plane.api.request('GET', `/v2/workspaces/${ws}/providers/${name}`);
      expect(provider.body).toMatchObject({ status: 'READY', model_deployment_id: `${ws}/${name}` });
    }
  });

  it('keeps a.b/cc and a/b.cc apart: two workspaces, two instances', async () => {
    const outer = uniqueName('ws');
    const dotted = `${outer}.b`;
    for (const name of [outer, dotted]) {
      expect((await plane.api.request('POST', '/v2/workspaces', { name })).status).toBe(201);
    }
    const first = await deployReady('cc', 'cc', {}, dotted);
    const second = await deployReady('b.cc', 'b.cc', {}, outer);
    expect(first.instanceId).not.toBe(second.instanceId);
    // The first is still the process it was: the second did not replace it.
    expect(ownedProcesses(plane.stateDir).filter((p) => p.instanceId === first.instanceId)).toEqual([
      expect.objectContaining({ pid: first.pid }),
    ]);
    const still = await plane.api.request('GET', `/v2/workspaces/${dotted}/deployments/cc`);
    expect(still.body.status).toBe('READY');
  });
});
