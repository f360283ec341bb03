import { jest } from '@jest/globals';
import { DeploymentRepository } from '#db';
import { ADMIN_AUTH, newWorkspace, withAuth } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(90_000);

/**
 * DELETED deployments are removed, as NeMo removes them (its SDK's wait_for_status(…, "DELETED") waits for
 * a 404): at once by default, after DELETED_DEPLOYMENT_RETENTION_SECONDS otherwise, their versions and
 * status history kept in the audit log. A real API and worker, NIM simulators as the instances.
 */

const statuses = (d: { status_history: { status: string }[] }) => d.status_history.map((h) => h.status);
const LIFE = ['CREATED', 'PENDING', 'READY', 'DELETING', 'DELETED'];

/** What both planes need: a workspace, a config, a deployment that reaches READY. */
function helpers(plane: () => ControlPlane, ws: () => string) {
  const base = () => `/v2/workspaces/${ws()}`;
  return {
    base,
    async deployReady(name: string, prefix = base()) {
      const cfg = await plane().api.request('POST', `${base()}/deployment-configs`, {
        name,
        engine: 'nim',
        model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
        executor_config: { gpu: 1 },
      });
      expect(cfg.status).toBe(201);
      const dep = await plane().api.request('POST', `${prefix}/deployments`, { name, config: name });
      expect(dep.status).toBe(201);
      const ready = await plane().api.request('GET', `${prefix}/deployments/${name}?wait_for=READY,FAILED&timeout=30`);
      expect(ready.body.status).toBe('READY');
    },
    async removalEvents(name: string) {
      const res = await plane().api.request(
        'GET',
        `${base()}/audit-events?filter[action]=deployment.removed&filter[resource]=${name}`,
      );
      expect(res.status).toBe(200);
      return res.body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    },
  };
}

describe('DELETED deployments, removed at once (the default retention, 0)', () => {
  let plane: ControlPlane;
  let ws: string;
  const h = helpers(
    () => plane,
    () => ws,
  );

  beforeAll(async () => {
    plane = await startControlPlane();
    ws = await newWorkspace(plane.api, 'rm');
  });
  afterAll(async () => {
    await plane.close();
  });

  it('/v2: the wait for DELETED answers the final state, the SSE ends with it, then GET is 404', async () => {
    await h.deployReady('gone');
    // The stream is open before the delete, so it sees the row disappear under it.
    const stream = fetch(`${plane.api.url}${h.base()}/deployments/gone/events?until=DELETED`, { headers: withAuth() });
    const opened = await stream;
    expect(opened.status).toBe(200);
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/gone`)).status).toBe(202);
    const waited = await plane.api.request('GET', `${h.base()}/deployments/gone?wait_for=DELETED&timeout=30`);
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ name: 'gone', workspace: ws, status: 'DELETED', entity_version: 1 });
    expect(statuses(waited.body)).toEqual(LIFE);

    const events = (await opened.text())
      .split('\n\n')
      .filter((e) => e.startsWith('event: status'))
      .map((e) => JSON.parse(e.split('\ndata: ')[1]));
    expect(events.at(-1)).toMatchObject({ name: 'gone', status: 'DELETED' });

    const missing = await eventually(async () => {
      const res = await plane.api.request('GET', `${h.base()}/deployments/gone`);
      return res.status === 404 && res;
    });
    expect(missing.body.code).toBe('deployment/not_found');
    expect((await plane.api.request('GET', `${h.base()}/deployments/gone/versions`)).status).toBe(404);
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/gone`)).status).toBe(404);
    // Waits that come after the removal still end well: the final state, or (not waiting for DELETED) 404.
    const late = await plane.api.request('GET', `${h.base()}/deployments/gone?wait_for=DELETED&timeout=5`);
    expect(late.body).toMatchObject({ status: 'DELETED', entity_version: 1 });
    const lateStream = await fetch(`${plane.api.url}${h.base()}/deployments/gone/events?until=DELETED`, {
      headers: withAuth(),
    });
    expect((await lateStream.text()).match(/event: status/g)).toHaveLength(1);
    expect((await plane.api.request('GET', `${h.base()}/deployments/gone?wait_for=READY&timeout=5`)).status).toBe(404);
    const listed = await plane.api.request('GET', `${h.base()}/deployments?filter[name]=gone`);
    expect(listed.body.data).toEqual([]);
  });

  it("NeMo's family: DELETE, then GET polled until 404 as the SDK's wait does; the name can be used again", async () => {
    const nemo = `/apis/models/v2/workspaces/${ws}`;
    const sdk = { 'content-type': 'application/json', ...ADMIN_AUTH };
    await h.deployReady('sdk-gone', nemo);
    expect((await plane.api.request('DELETE', `${nemo}/deployments/sdk-gone`, undefined, sdk)).status).toBe(202);
    const seen = new Set<string>();
    const missing = await eventually(async () => {
      const res = await plane.api.request('GET', `${nemo}/deployments/sdk-gone`);
      if (res.status === 200) seen.add(res.body.status);
      return res.status === 404 && res;
    });
    expect(missing.body.code).toBe('deployment/not_found');
    expect([...seen].every((s) => ['READY', 'DELETING', 'DELETED'].includes(s))).toBe(true);
    const waited = await plane.api.request('GET', `${nemo}/deployments/sdk-gone?wait_for=DELETED&timeout=5`);
    expect(waited.body.status).toBe('DELETED');
    const again = await plane.api.request('POST', `${nemo}/deployments`, { name: 'sdk-gone', config: 'sdk-gone' }, sdk);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ entity_version: 1, status: 'CREATED' });
  });

  it('keeps the history in the audit log: one deployment.removed by system, every version and status', async () => {
    const [event, ...more] = await h.removalEvents('gone');
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      principal: 'system',
      workspace: ws,
      action: 'deployment.removed',
      resource: 'gone',
      version: 1,
      outcome: 'success',
    });
    expect(event).not.toHaveProperty('status_code');
    expect(event).not.toHaveProperty('path');
    expect(event.details).toMatchObject({
      cause: 'retention',
      deployment: { id: expect.stringMatching(/^deployment-/), created_by: 'admin' },
    });
    expect(event.details.versions).toHaveLength(1);
    expect(event.details.versions[0]).toMatchObject({ entity_version: 1, config: 'gone', status: 'DELETED' });
    expect(statuses(event.details.versions[0])).toEqual(LIFE);
    // Only admins read the audit log; it never held a secret to begin with.
    expect(JSON.stringify(event)).not.toMatch(/api_key|secret/i);
  });

  it('keeps the retired versions of a rolled-out deployment: they are its history', async () => {
    await h.deployReady('rolled');
    expect((await plane.api.request('POST', `${h.base()}/deployments/rolled`, { config: 'rolled' })).status).toBe(201);
    const v2 = await plane.api.request('GET', `${h.base()}/deployments/rolled?wait_for=READY,FAILED&timeout=30`);
    expect(v2.body).toMatchObject({ entity_version: 2, status: 'READY' });
    await eventually(async () => {
      const v1 = await plane.api.request('GET', `${h.base()}/deployments/rolled/versions/1`);
      return v1.body.status === 'DELETED';
    });
    // Past a resync (every 2 s here), the sweep included: version 1 is still there, DELETED.
    await new Promise((r) => setTimeout(r, 2500));
    const versions = await plane.api.request('GET', `${h.base()}/deployments/rolled/versions`);
    expect(versions.body.map((v: { entity_version: number; status: string }) => [v.entity_version, v.status])).toEqual([
      [2, 'READY'],
      [1, 'DELETED'],
    ]);
    expect(await h.removalEvents('rolled')).toEqual([]);
  });
});

describe('DELETED deployments kept for a retention (DELETED_DEPLOYMENT_RETENTION_SECONDS=3)', () => {
  let plane: ControlPlane;
  let ws: string;
  const h = helpers(
    () => plane,
    () => ws,
  );

  beforeAll(async () => {
    plane = await startControlPlane({ DELETED_DEPLOYMENT_RETENTION_SECONDS: '3' });
    ws = await newWorkspace(plane.api, 'keep');
  });
  afterAll(async () => {
    await plane.close();
  });

  it('stays readable as DELETED, then the sweep removes it', async () => {
    await h.deployReady('kept');
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/kept`)).status).toBe(202);
    const waited = await plane.api.request('GET', `${h.base()}/deployments/kept?wait_for=DELETED&timeout=30`);
    expect(waited.body.status).toBe('DELETED');
    const deletedAt = Date.now();
    const plain = await plane.api.request('GET', `${h.base()}/deployments/kept`);
    expect(plain.status).toBe(200);
    expect(statuses(plain.body)).toEqual(LIFE);
    await eventually(
      async () => (await plane.api.request('GET', `${h.base()}/deployments/kept`)).status === 404,
      20_000,
    );
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(2000);
    const [event] = await h.removalEvents('kept');
    expect(event).toMatchObject({ principal: 'system', details: { cause: 'retention' } });
    expect(statuses(event.details.versions[0])).toEqual(LIFE);
  });

  it('is removed once however many workers try at the same time (the row lock), and never while live', async () => {
    await h.deployReady('raced');
    const repository = plane.worker.get(DeploymentRepository);
    // Live: nothing to remove, whatever the retention.
    expect(await repository.removeIfSettled(ws, 'raced', 0)).toBe(false);
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/raced`)).status).toBe(202);
    await plane.api.request('GET', `${h.base()}/deployments/raced?wait_for=DELETED&timeout=30`);
    const tries = await Promise.all(Array.from({ length: 4 }, () => repository.removeIfSettled(ws, 'raced', 0)));
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect(await h.removalEvents('raced')).toHaveLength(1);
    expect((await plane.api.request('GET', `${h.base()}/deployments/raced`)).status).toBe(404);
  });

  it('a second DELETE within the retention removes it at once, by the caller, history kept', async () => {
    await h.deployReady('twice');
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/twice`)).status).toBe(202);
    const waited = await plane.api.request('GET', `${h.base()}/deployments/twice?wait_for=DELETED&timeout=30`);
    expect(waited.body.status).toBe('DELETED');
    expect((await plane.api.request('DELETE', `${h.base()}/deployments/twice`)).status).toBe(204);
    expect((await plane.api.request('GET', `${h.base()}/deployments/twice`)).status).toBe(404);
    const [event, ...more] = await h.removalEvents('twice');
    expect(more).toEqual([]);
    expect(event).toMatchObject({ principal: 'admin', details: { cause: 'deleted_again' } });
    expect(statuses(event.details.versions[0])).toEqual(LIFE);
  });
});
