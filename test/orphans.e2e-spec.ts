import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTANCE_ID_VAR, STATE_DIR_VAR } from '#runtime';
import { newWorkspace } from './api-harness.js';
import { eventually, ownedProcesses, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(120_000);

const DEPLOYMENTS = 6;
const VERSIONS = 6;

/**
 * DELETED means the process is gone. Checked from /proc (processes marked
 * with this control plane's state directory), never from the runtime's own
 * bookkeeping: many deployments get many versions back to back, then all are
 * deleted, and no process may be left.
 */
describe('no orphaned instances (e2e, local runtime)', () => {
  let plane: ControlPlane;
  let ws: string;

  beforeAll(async () => {
    plane = await startControlPlane();
    ws = await newWorkspace(plane.api, 'orph');
  });
  afterAll(async () => {
    await plane?.close();
  });

  const base = () => `/v2/workspaces/${ws}`;
  const names = Array.from({ length: DEPLOYMENTS }, (_, i) => `d${i}`);

  /** The deployment's versions as { version: status }. */
  async function versions(name: string): Promise<Record<number, string>> {
    const res = await plane.api.request('GET', `${base()}/deployments/${name}/versions`);
    expect(res.status).toBe(200);
    const list = (res.body.data ?? res.body) as { entity_version: number; status: string }[];
    return Object.fromEntries(list.map((v) => [v.entity_version, v.status]));
  }

  /** Instance ids of the processes still running, from /proc. */
  const running = () => new Set(ownedProcesses(plane.stateDir).map((p) => p.instanceId));

  it('leaves no process of a superseded or deleted version, whatever the pace of changes', async () => {
    const config = await plane.api.request('POST', `${base()}/deployment-configs`, {
      name: 'sim',
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 0 },
    });
    expect(config.status).toBe(201);
    // Every deployment gets all its versions back to back; the deployments go in parallel.
    await Promise.all(
      names.map(async (name) => {
        expect((await plane.api.request('POST', `${base()}/deployments`, { name, config: 'sim' })).status).toBe(201);
        for (let v = 2; v <= VERSIONS; v++) {
          const res = await plane.api.request('POST', `${base()}/deployments/${name}`, { config: 'sim' });
          expect(res.status).toBe(201);
        }
      }),
    );
    for (const name of names) {
      const res = await plane.api.request('GET', `${base()}/deployments/${name}?wait_for=READY,FAILED&timeout=60`);
      expect(`${name}: ${res.body.status} ${res.body.status_message}`).toMatch(/: READY /);
      expect(res.body.entity_version).toBe(VERSIONS);
    }
    // Superseded versions settle as DELETED; whenever one reads DELETED, its process must be gone already.
    const seenRunningAfterDeleted = new Set<string>();
    await eventually(async () => {
      const all = await Promise.all(names.map(async (name) => ({ name, versions: await versions(name) })));
      const alive = running();
      let settled = true;
      for (const { name, versions: byVersion } of all) {
        for (const [version, status] of Object.entries(byVersion)) {
          const id = `${ws}.${name}.v${version}`;
          if (status === 'DELETED' && alive.has(id)) seenRunningAfterDeleted.add(id);
          if (Number(version) !== VERSIONS && status !== 'DELETED') settled = false;
        }
      }
      return settled;
    }, 60_000);
    expect([...seenRunningAfterDeleted]).toEqual([]);
    expect([...running()].sort()).toEqual(names.map((name) => `${ws}.${name}.v${VERSIONS}`).sort());

    for (const name of names) {
      expect((await plane.api.request('DELETE', `${base()}/deployments/${name}`)).status).toBe(202);
    }
    for (const name of names) {
      const res = await plane.api.request('GET', `${base()}/deployments/${name}?wait_for=DELETED&timeout=60`);
      expect(res.body.status).toBe('DELETED');
    }
    expect([...running()]).toEqual([]);
  });

  it('stops, at the next resync, a process of this state directory that no instance record owns', async () => {
    // What a stop that missed a process leaves behind: it runs, marked as ours, and nothing knows of it.
    const ghost = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      env: { PATH: '/usr/bin:/bin', [STATE_DIR_VAR]: plane.stateDir, [INSTANCE_ID_VAR]: `${ws}.ghost.v1` },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => ghost.once('exit', (_code, signal) => done(signal)));
    try {
      await eventually(async () => running().has(`${ws}.ghost.v1`));
      // The resync runs every 2 s here (FAST_LIFECYCLE).
      expect(await Promise.race([exited, sleep(15_000).then(() => 'still running')])).toBe('SIGTERM');
      expect(running().has(`${ws}.ghost.v1`)).toBe(false);
    } finally {
      ghost.kill('SIGKILL');
    }
  });
});
