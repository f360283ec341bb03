import { canTransition, DEPLOYMENT_STATUSES, type DeploymentStatus } from '#domain';
import { jest } from '@jest/globals';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const RUNTIME_NONE = "Deployments are not enabled because the backend runtime is set to 'none'";
const DELETING_ONLY = 'Deployment is marked for deletion (DELETING). Only transition to DELETED is allowed.';

interface HistoryEntry {
  timestamp: string;
  status: DeploymentStatus;
  status_message: string;
}

/** The legal path from CREATED to `target`, found through the transition table itself. */
function pathTo(target: DeploymentStatus): DeploymentStatus[] {
  const queue: DeploymentStatus[][] = [[]];
  const seen = new Set<DeploymentStatus>(['CREATED']);
  while (queue.length > 0) {
    const path = queue.shift()!;
    const at = path.length ? path[path.length - 1] : 'CREATED';
    if (at === target) return path;
    for (const next of DEPLOYMENT_STATUSES) {
      if (!seen.has(next) && canTransition(at, next)) {
        seen.add(next);
        queue.push([...path, next]);
      }
    }
  }
  throw new Error(`${target} cannot be reached from CREATED`);
}

/** Checks the invariants every deployment body keeps. */
function expectConsistent(body: { status: string; status_message: string; status_history: HistoryEntry[] }): void {
  const history = body.status_history;
  expect(history.length).toBeGreaterThan(0);
  expect(history.length).toBeLessThanOrEqual(100);
  const last = history[history.length - 1];
  expect({ status: last.status, status_message: last.status_message }).toEqual({
    status: body.status,
    status_message: body.status_message,
  });
  for (let i = 1; i < history.length; i++) {
    expect(Date.parse(history[i].timestamp)).toBeGreaterThanOrEqual(Date.parse(history[i - 1].timestamp));
  }
}

describe('deployments (e2e)', () => {
  let api: Api;
  let ws: string;
  let base: string;
  let cfg: string;
  let cfg2: string;

  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'dep');
    base = `/v2/workspaces/${ws}/deployments`;
    cfg = uniqueName('cfg');
    cfg2 = uniqueName('cfg');
    for (const body of [nimConfig(cfg, { description: 'v1' }), nimConfig(cfg2)]) {
      expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, body)).status).toBe(201);
    }
    const { name: _n, ...v2 } = nimConfig(cfg, { description: 'v2', executor_config: { gpu: 2 } });
    expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs/${cfg}`, v2)).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = (body: Record<string, unknown>) => api.request('POST', base, body);
  const newDeployment = async (config = cfg, extra: Record<string, unknown> = {}) => {
    const name = uniqueName('d');
    const res = await create({ name, config, ...extra });
    expect(res.status).toBe(201);
    return name;
  };
  const get = (name: string) => api.request('GET', `${base}/${name}`);
  const getVersion = (name: string, v: number) => api.request('GET', `${base}/${name}/versions/${v}`);
  const setStatus = (name: string, body: Record<string, unknown>, version?: number) =>
    api.request('POST', `${base}/${name}/status${version === undefined ? '' : `?version=${version}`}`, body);
  const drive = async (name: string, target: DeploymentStatus) => {
    for (const status of pathTo(target)) {
      const res = await setStatus(name, { status, status_message: `driven to ${status}` });
      expect(res.status).toBe(200);
    }
  };

  describe('create', () => {
    it('creates version 1 in CREATED with one history entry (checklist 19)', async () => {
      const name = uniqueName('d');
      const res = await create({ name, project: 'team-a', config: cfg });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        workspace: ws,
        project: 'team-a',
        entity_version: 1,
        config: cfg,
        config_version: 2,
        status: 'CREATED',
        status_message: 'Deployment created',
      });
      expect(res.body.id).toMatch(/^deployment-[0-9a-f]+$/);
      expect(res.body.status_history).toHaveLength(1);
      expect(res.body.status_history[0]).toMatchObject({ status: 'CREATED', status_message: 'Deployment created' });
      expect(Number.isNaN(Date.parse(res.body.status_history[0].timestamp))).toBe(false);
      expectConsistent(res.body);
      expect(res.body).not.toHaveProperty('model_provider_id');
      expect(res.body).not.toHaveProperty('serving_version'); // nothing READY yet
      expect((await get(name)).body).toEqual(res.body);
    });

    it.each([
      ['0', 0],
      ['null', null],
      ['omitted', undefined],
    ])('uses the latest config version when config_version is %s', async (_label, config_version) => {
      const res = await create({
        name: uniqueName('d'),
        config: cfg,
        ...(config_version === undefined ? {} : { config_version }),
      });
      expect(res.status).toBe(201);
      expect(res.body.config_version).toBe(2);
    });

    it('uses the config version it is given', async () => {
      const res = await create({ name: uniqueName('d'), config: cfg, config_version: 1 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ config: cfg, config_version: 1 });
    });

    it('refuses a missing config or config version with 400 (checklist 18)', async () => {
      const name = uniqueName('d');
      const noConfig = await create({ name, config: uniqueName('ghost') });
      expect(noConfig.status).toBe(400);
      expect(noConfig.body.detail).toMatch(/Deployment config '.*' was not found/);
      const noVersion = await create({ name, config: cfg, config_version: 9 });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.detail).toContain('version 9');
      expect((await get(name)).status).toBe(404);
    });

    it('accepts the config as workspace/name of its own workspace', async () => {
      const res = await create({ name: uniqueName('d'), config: `${ws}/${cfg}`, config_version: 1 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ config: cfg, config_version: 1 });
    });

    it("refuses another workspace's config with 400, even when it exists", async () => {
      const other = await newWorkspace(api, 'dep-other');
      expect((await api.request('POST', `/v2/workspaces/${other}/deployment-configs`, nimConfig(cfg))).status).toBe(
        201,
      );
      const name = uniqueName('d');
      const res = await create({ name, config: `${other}/${cfg}` });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(other);
      expect((await get(name)).status).toBe(404);
    });

    it('refuses a duplicate name with 409 (checklist 17)', async () => {
      const name = await newDeployment();
      const dup = await create({ name, config: cfg2 });
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toBe(`Deployment with workspace '${ws}' and name '${name}' already exists`);
      expect((await get(name)).body.config).toBe(cfg);
    });

    it.each([
      ['bad name', { name: 'Bad Name', config: 'x' }, 'body.name'],
      ['no config', { name: 'okname' }, 'body.config'],
      ['bad config ref', { name: 'okname', config: 'a/b/c' }, 'body.config'],
      ['negative config_version', { name: 'okname', config: 'x', config_version: -1 }, 'body.config_version'],
      ['string config_version', { name: 'okname', config: 'x', config_version: '1' }, 'body.config_version'],
      ['unknown field', { name: 'okname', config: 'x', status: 'READY' }, 'body.status'],
    ])('refuses %s with 422 naming the field (checklist 9)', async (_label, body, loc) => {
      const res = await create(body);
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: string[] }) => i.loc.join('.'))).toContain(loc);
    });

    it('answers 404 for a workspace that does not exist', async () => {
      const res = await api.request('POST', `/v2/workspaces/${uniqueName('nows')}/deployments`, {
        name: 'x1',
        config: cfg,
      });
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/Workspace '.*' was not found/);
      const update = await api.request('POST', `/v2/workspaces/${uniqueName('nows')}/deployments/x1`, { config: cfg });
      expect(update.status).toBe(404);
      expect(update.body.detail).toMatch(/Workspace '.*' was not found/);
    });
  });

  describe('versions', () => {
    let name: string;
    beforeAll(async () => {
      name = await newDeployment(cfg, { project: 'proj-x', config_version: 1 });
    });

    it('POST /{name} makes version 2 in PENDING, keeping the project (checklist 20)', async () => {
      const res = await api.request('POST', `${base}/${name}`, { config: cfg2 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name,
        project: 'proj-x',
        entity_version: 2,
        config: cfg2,
        config_version: 1,
        status: 'PENDING',
        status_message: 'Deployment update pending',
      });
      expect(res.body.status_history).toEqual([
        expect.objectContaining({ status: 'PENDING', status_message: 'Deployment update pending' }),
      ]);
      // The previous version keeps its status.
      expect((await getVersion(name, 1)).body).toMatchObject({ status: 'CREATED', config: cfg, config_version: 1 });
    });

    it('refuses a name or project in the update body, and validates it (checklist 10)', async () => {
      const res = await api.request('POST', `${base}/${name}`, { config: cfg, name: 'x', project: 'y' });
      expect(res.status).toBe(422);
      const locs = res.body.detail.map((i: { loc: string[] }) => i.loc.join('.'));
      expect(locs).toEqual(expect.arrayContaining(['body.name', 'body.project']));
      const noConfig = await api.request('POST', `${base}/${name}`, {});
      expect(noConfig.status).toBe(422);
      expect(noConfig.body.detail.map((i: { loc: string[] }) => i.loc.join('.'))).toContain('body.config');
    });

    it('refuses an update to a missing config with 400', async () => {
      const res = await api.request('POST', `${base}/${name}`, { config: uniqueName('ghost') });
      expect(res.status).toBe(400);
      const v = await api.request('POST', `${base}/${name}`, { config: cfg, config_version: 7 });
      expect(v.status).toBe(400);
    });

    it('answers 404 for an update of an unknown deployment', async () => {
      const res = await api.request('POST', `${base}/${uniqueName('ghost')}`, { config: cfg });
      expect(res.status).toBe(404);
      expect(res.body.detail).toMatch(/Deployment '.*' was not found/);
    });

    it('GET returns the latest version, /versions all newest first, /versions/{v} one', async () => {
      const latest = await get(name);
      expect(latest.status).toBe(200);
      expect(latest.body.entity_version).toBe(2);
      const all = await api.request('GET', `${base}/${name}/versions`);
      expect(all.status).toBe(200);
      expect(all.body.map((d: { entity_version: number }) => d.entity_version)).toEqual([2, 1]);
      for (const d of all.body) expectConsistent(d);
      const one = await getVersion(name, 1);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ entity_version: 1, status: 'CREATED' });
    });

    it.each(['abc', '1.5', '0', '-2', 'v1'])('answers 400 for the non-integer version %s (checklist 22)', async (v) => {
      expect((await api.request('GET', `${base}/${name}/versions/${v}`)).status).toBe(400);
      expect((await api.request('POST', `${base}/${name}/status?version=${v}`, { status: 'READY' })).status).toBe(400);
      expect((await api.request('DELETE', `${base}/${name}/versions/${v}`)).status).toBe(400);
    });

    it('answers 404 for an unknown deployment or version', async () => {
      expect((await getVersion(name, 42)).status).toBe(404);
      expect((await get(uniqueName('ghost'))).status).toBe(404);
      expect((await api.request('GET', `${base}/${uniqueName('ghost')}/versions`)).status).toBe(404);
      expect((await setStatus(uniqueName('ghost'), { status: 'READY' })).status).toBe(404);
      expect((await setStatus(name, { status: 'READY' }, 42)).status).toBe(404);
    });

    it('refuses a new version while the deployment is being deleted', async () => {
      const d = await newDeployment();
      expect((await api.request('DELETE', `${base}/${d}`)).status).toBe(202);
      const res = await api.request('POST', `${base}/${d}`, { config: cfg });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('DELETING');
      expect((await api.request('GET', `${base}/${d}/versions`)).body).toHaveLength(1);
    });
  });

  describe('list', () => {
    let lws: string;
    let lbase: string;
    let a: string;
    let b: string;
    let c: string;
    beforeAll(async () => {
      lws = await newWorkspace(api, 'depl');
      lbase = `/v2/workspaces/${lws}/deployments`;
      for (const n of ['lcfg-one', 'lcfg-two']) {
        expect((await api.request('POST', `/v2/workspaces/${lws}/deployment-configs`, nimConfig(n))).status).toBe(201);
      }
      [a, b, c] = ['dep-a', 'dep-b', 'dep-c'];
      for (const [n, config] of [
        [a, 'lcfg-one'],
        [b, 'lcfg-two'],
        [c, 'lcfg-one'],
      ]) {
        expect((await api.request('POST', lbase, { name: n, config, project: `p-${n}` })).status).toBe(201);
      }
      expect(
        (await api.request('POST', `${lbase}/${b}/status`, { status: 'READY', status_message: 'up' })).status,
      ).toBe(200);
      expect((await api.request('POST', `${lbase}/${c}`, { config: 'lcfg-two' })).status).toBe(201);
      // a is written last, so it is the most recently updated.
      expect(
        (await api.request('POST', `${lbase}/${a}/status`, { status: 'PENDING', status_message: 'starting' })).status,
      ).toBe(200);
    });

    const names = (res: ApiResponse) => {
      expect(res.status).toBe(200);
      return res.body.data.map((d: { name: string; entity_version: number }) => `${d.name}@${d.entity_version}`);
    };

    it('defaults to page 1, page_size 100, sort created_at, latest versions only (checklists 1, 8)', async () => {
      const res = await api.request('GET', lbase);
      expect(names(res)).toEqual(['dep-a@1', 'dep-b@1', 'dep-c@2']);
      expect(res.body.pagination).toEqual({
        page: 1,
        page_size: 100,
        current_page_size: 3,
        total_pages: 1,
        total_results: 3,
      });
      expect(res.body.sort).toBe('created_at');
      expect(res.body).not.toHaveProperty('filter');
      for (const d of res.body.data) expectConsistent(d);
    });

    it.each([
      ['true', 4],
      ['True', 4],
      ['1', 4],
      ['false', 3],
      ['False', 3],
      ['0', 3],
    ])('all_versions=%s (checklist 4)', async (value, count) => {
      const res = await api.request('GET', `${lbase}?all_versions=${value}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination.total_results).toBe(count);
      if (count === 4) expect(names(res).sort()).toEqual(['dep-a@1', 'dep-b@1', 'dep-c@1', 'dep-c@2']);
    });

    it('refuses a bad all_versions with 422', async () => {
      const res = await api.request('GET', `${lbase}?all_versions=yes-please`);
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(['query', 'all_versions']);
    });

    it('filters by status (checklist 5)', async () => {
      expect(names(await api.request('GET', `${lbase}?filter[status]=READY`))).toEqual(['dep-b@1']);
      expect(names(await api.request('GET', `${lbase}?filter[status]=PENDING`))).toEqual(['dep-a@1', 'dep-c@2']);
      expect((await api.request('GET', `${lbase}?filter[status]=BOGUS`)).status).toBe(400);
    });

    it('filters by a list of names (checklist 6)', async () => {
      expect(names(await api.request('GET', `${lbase}?filter[name][]=${a}`))).toEqual(['dep-a@1']);
      expect(names(await api.request('GET', `${lbase}?filter[name][]=${a}&filter[name][]=${c}`))).toEqual([
        'dep-a@1',
        'dep-c@2',
      ]);
    });

    it('filters by config, project and JSON filters', async () => {
      expect(names(await api.request('GET', `${lbase}?filter[config]=lcfg-two`))).toEqual(['dep-b@1', 'dep-c@2']);
      expect(names(await api.request('GET', `${lbase}?filter[config]=lcfg-one&all_versions=true`))).toEqual([
        'dep-a@1',
        'dep-c@1',
      ]);
      expect(names(await api.request('GET', `${lbase}?filter[project]=p-dep-b`))).toEqual(['dep-b@1']);
      const json = encodeURIComponent(JSON.stringify({ status_message: { $like: 'STAR' } }));
      expect(names(await api.request('GET', `${lbase}?filter=${json}`))).toEqual(['dep-a@1']);
    });

    it('sorts by -updated_at and pages (checklist 3)', async () => {
      const res = await api.request('GET', `${lbase}?sort=-updated_at`);
      expect(names(res)).toEqual(['dep-a@1', 'dep-c@2', 'dep-b@1']);
      expect(res.body.sort).toBe('-updated_at');
      const page = await api.request('GET', `${lbase}?sort=-updated_at&page=2&page_size=2`);
      expect(names(page)).toEqual(['dep-b@1']);
      expect(page.body.pagination).toEqual({
        page: 2,
        page_size: 2,
        current_page_size: 1,
        total_pages: 2,
        total_results: 3,
      });
      expect((await api.request('GET', `${lbase}?sort=nope`)).status).toBe(422);
    });

    it('lets filter[workspace] override the path workspace (checklist 7)', async () => {
      const res = await api.request('GET', `${base}?filter[workspace]=${lws}`);
      expect(names(res)).toEqual(['dep-a@1', 'dep-b@1', 'dep-c@2']);
      expect(res.body.data.every((d: { workspace: string }) => d.workspace === lws)).toBe(true);
    });

    it('lists across workspaces with -', async () => {
      const res = await api.request('GET', `/v2/workspaces/-/deployments?filter[name][]=${a}&page_size=1000`);
      expect(res.status).toBe(200);
      expect(res.body.data.some((d: { workspace: string }) => d.workspace === lws)).toBe(true);
    });

    it('shows an empty page with total_pages 1, and 404 for an unknown workspace', async () => {
      const empty = await newWorkspace(api, 'depe');
      const res = await api.request('GET', `/v2/workspaces/${empty}/deployments`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
      expect(res.body.pagination).toMatchObject({ total_pages: 1, total_results: 0, current_page_size: 0 });
      expect((await api.request('GET', `/v2/workspaces/${uniqueName('nows')}/deployments`)).status).toBe(404);
    });
  });

  describe('status endpoint', () => {
    const pairs = DEPLOYMENT_STATUSES.flatMap((from) =>
      DEPLOYMENT_STATUSES.map((to) => [from, to] as [DeploymentStatus, DeploymentStatus]),
    );

    it.each(pairs)('%s → %s answers as the transition table says', async (from, to) => {
      const name = await newDeployment();
      await drive(name, from);
      const before = (await get(name)).body;
      expect(before.status).toBe(from);

      const res = await setStatus(name, { status: to, status_message: `try ${to}` });
      if (canTransition(from, to)) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: to, status_message: `try ${to}` });
        expect(res.body.status_history).toHaveLength(before.status_history.length + 1);
        expectConsistent(res.body);
      } else {
        expect(res.status).toBe(409);
        expect(typeof res.body.detail).toBe('string');
        expect(res.body.detail).toContain(from);
        expect(res.body.detail).toContain(to);
        expect(res.body.code).toBe('deployment/illegal_transition');
        if (from === 'DELETING') expect(res.body.detail.startsWith(DELETING_ONLY)).toBe(true);
        // Nothing was written.
        expect((await get(name)).body).toEqual(before);
      }
    });

    it('refuses leaving DELETING with the reference message (checklist 12)', async () => {
      const name = await newDeployment();
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(202);
      for (const to of ['READY', 'PENDING', 'CREATED', 'FAILED'] as const) {
        const res = await setStatus(name, { status: to });
        expect(res.status).toBe(409);
        expect(res.body.detail).toContain(DELETING_ONLY);
      }
      const done = await setStatus(name, { status: 'DELETED', status_message: 'gone' });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('DELETED');
    });

    it.each([
      ['unknown status', { status: 'UNKNOWN' }, 'body.status'],
      ['lower-case status', { status: 'ready' }, 'body.status'],
      ['no status', { status_message: 'x' }, 'body.status'],
      ['non-string message', { status: 'READY', status_message: 5 }, 'body.status_message'],
      ['unknown field', { status: 'READY', extra: 1 }, 'body.extra'],
    ])('refuses %s with 422 (checklist 11)', async (_label, body, loc) => {
      const name = await newDeployment();
      const res = await setStatus(name, body);
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: string[] }) => i.loc.join('.'))).toContain(loc);
      expect((await get(name)).body.status).toBe('CREATED');
    });

    it('stores an empty message when none is given, and the provider id', async () => {
      const name = await newDeployment();
      const res = await setStatus(name, { status: 'READY', model_provider_id: `${ws}/prov` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'READY', status_message: '', model_provider_id: `${ws}/prov` });
      expectConsistent(res.body);
    });

    it('writes nothing for the same status and message (checklist 24)', async () => {
      const name = await newDeployment();
      const first = await setStatus(name, { status: 'READY', status_message: 'healthy' });
      expect(first.status).toBe(200);
      const again = await setStatus(name, { status: 'READY', status_message: 'healthy' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.body.status_history).toHaveLength(2);
      expect(again.body.updated_at).toBe(first.body.updated_at);

      // A new message with the same status is a change.
      const msg = await setStatus(name, { status: 'READY', status_message: 'still healthy' });
      expect(msg.body.status_history).toHaveLength(3);
      expectConsistent(msg.body);

      // A new provider id alone is stored but adds no history entry.
      const prov = await setStatus(name, {
        status: 'READY',
        status_message: 'still healthy',
        model_provider_id: `${ws}/p1`,
      });
      expect(prov.status).toBe(200);
      expect(prov.body.model_provider_id).toBe(`${ws}/p1`);
      expect(prov.body.status_history).toHaveLength(3);
    });

    it('keeps the history oldest first, capped at 100, last entry = current (checklist 25)', async () => {
      const name = await newDeployment();
      const messages = Array.from({ length: 120 }, (_, i) => `${i % 2 ? 'odd' : 'even'} write ${i}`);
      for (const status_message of messages) {
        const res = await setStatus(name, { status: 'READY', status_message });
        expect(res.status).toBe(200);
      }
      const res = await get(name);
      expect(res.body.status_message).toBe(messages[119]);
      const history: HistoryEntry[] = res.body.status_history;
      expect(history).toHaveLength(100);
      // CREATED plus 120 writes = 121 entries; the oldest 21 were dropped.
      expect(history.map((h) => h.status_message)).toEqual(messages.slice(20));
      expect(history.every((h) => h.status === 'READY')).toBe(true);
      expectConsistent(res.body);
    });

    it('?version=N targets that version; the latest otherwise', async () => {
      const name = await newDeployment();
      expect((await api.request('POST', `${base}/${name}`, { config: cfg2 })).status).toBe(201);
      const v1 = await setStatus(name, { status: 'READY', status_message: 'v1 serving' }, 1);
      expect(v1.status).toBe(200);
      expect(v1.body).toMatchObject({ entity_version: 1, status: 'READY', status_message: 'v1 serving' });
      expect((await getVersion(name, 2)).body).toMatchObject({
        status: 'PENDING',
        status_message: 'Deployment update pending',
      });

      const latest = await setStatus(name, { status: 'FAILED', status_message: 'v2 broke' });
      expect(latest.body).toMatchObject({ entity_version: 2, status: 'FAILED', serving_version: 1 });
      expect((await getVersion(name, 1)).body).toMatchObject({ status: 'READY', status_message: 'v1 serving' });
      // Every read says which version serves: the latest's, a version's, the list's.
      expect((await api.request('GET', `${base}/${name}`)).body.serving_version).toBe(1);
      expect((await getVersion(name, 2)).body.serving_version).toBe(1);
      const listed = (await api.request('GET', `${base}?filter[name]=${name}`)).body.data[0];
      expect(listed).toMatchObject({ entity_version: 2, serving_version: 1 });

      expect((await setStatus(name, { status: 'READY' }, 3)).status).toBe(404);
    });
  });

  describe('delete', () => {
    it('marks every version that is not DELETED as DELETING, then removes it once all are DELETED (checklist 23)', async () => {
      const name = await newDeployment();
      expect((await api.request('POST', `${base}/${name}`, { config: cfg2 })).status).toBe(201);
      expect((await api.request('POST', `${base}/${name}`, { config: cfg })).status).toBe(201);
      // Version 1 is already gone; versions 2 and 3 are live.
      expect((await setStatus(name, { status: 'DELETING' }, 1)).status).toBe(200);
      expect((await setStatus(name, { status: 'DELETED' }, 1)).status).toBe(200);
      const v1Before = (await getVersion(name, 1)).body;
      expect((await setStatus(name, { status: 'READY', status_message: 'up' }, 2)).status).toBe(200);

      const del = await api.request('DELETE', `${base}/${name}`);
      expect(del.status).toBe(202);
      expect(del.text).toBe('');

      expect((await getVersion(name, 1)).body).toEqual(v1Before);
      for (const v of [2, 3]) {
        const body = (await getVersion(name, v)).body;
        expect(body).toMatchObject({ status: 'DELETING', status_message: 'Deployment deletion requested' });
        expect(body.status_history.at(-1)).toMatchObject({
          status: 'DELETING',
          status_message: 'Deployment deletion requested',
        });
        expectConsistent(body);
      }

      // Deleting again while DELETING changes nothing.
      const lengths = [
        (await getVersion(name, 2)).body.status_history.length,
        (await getVersion(name, 3)).body.status_history.length,
      ];
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(202);
      expect([
        (await getVersion(name, 2)).body.status_history.length,
        (await getVersion(name, 3)).body.status_history.length,
      ]).toEqual(lengths);

      for (const v of [2, 3]) {
        const res = await setStatus(name, { status: 'DELETED', status_message: 'torn down' }, v);
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('DELETED');
      }
      expect((await get(name)).body.status).toBe('DELETED');

      const gone = await api.request('DELETE', `${base}/${name}`);
      expect(gone.status).toBe(204);
      expect((await get(name)).status).toBe(404);
      expect((await api.request('GET', `${base}/${name}/versions`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${name}`)).status).toBe(404);
      // The name can be used again.
      const again = await create({ name, config: cfg });
      expect(again.status).toBe(201);
      expect(again.body.entity_version).toBe(1);
    });

    it('answers 404 when deleting an unknown deployment or version', async () => {
      expect((await api.request('DELETE', `${base}/${uniqueName('ghost')}`)).status).toBe(404);
      expect((await api.request('DELETE', `${base}/${uniqueName('ghost')}/versions/1`)).status).toBe(404);
      const name = await newDeployment();
      expect((await api.request('DELETE', `${base}/${name}/versions/5`)).status).toBe(404);
    });

    it('DELETE /versions/{v} marks one version, then removes it; the previous becomes latest', async () => {
      const name = await newDeployment();
      expect((await api.request('POST', `${base}/${name}`, { config: cfg2 })).status).toBe(201);

      const mark = await api.request('DELETE', `${base}/${name}/versions/2`);
      expect(mark.status).toBe(202);
      expect((await getVersion(name, 2)).body).toMatchObject({
        status: 'DELETING',
        status_message: 'Deployment deletion requested',
      });
      expect((await getVersion(name, 1)).body.status).toBe('CREATED');

      expect((await setStatus(name, { status: 'DELETED' }, 2)).status).toBe(200);
      const remove = await api.request('DELETE', `${base}/${name}/versions/2`);
      expect(remove.status).toBe(204);
      expect((await getVersion(name, 2)).status).toBe(404);
      const latest = await get(name);
      expect(latest.status).toBe(200);
      expect(latest.body).toMatchObject({ entity_version: 1, status: 'CREATED' });
      expect(
        (await api.request('GET', `${base}?filter[name]=${name}`)).body.data.map(
          (d: { entity_version: number }) => d.entity_version,
        ),
      ).toEqual([1]);

      // Removing the last version removes the deployment.
      expect((await api.request('DELETE', `${base}/${name}/versions/1`)).status).toBe(202);
      expect((await setStatus(name, { status: 'DELETED' }, 1)).status).toBe(200);
      expect((await api.request('DELETE', `${base}/${name}/versions/1`)).status).toBe(204);
      expect((await get(name)).status).toBe(404);
    });
  });

  describe('concurrency', () => {
    it('gives 10 concurrent new versions distinct numbers with no gaps', async () => {
      const name = await newDeployment();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api.request('POST', `${base}/${name}`, { config: i % 2 ? cfg : cfg2 })),
      );
      for (const r of results) expect([201, 409]).toContain(r.status);
      const ok = results.filter((r) => r.status === 201);
      expect(ok.length).toBeGreaterThan(0);
      const versions = ok.map((r) => r.body.entity_version as number);
      expect(new Set(versions).size).toBe(versions.length);

      const n = ok.length;
      const all = await api.request('GET', `${base}/${name}/versions`);
      expect(all.body.map((d: { entity_version: number }) => d.entity_version)).toEqual(
        Array.from({ length: n + 1 }, (_, i) => n + 1 - i),
      );
      for (const r of ok) {
        const stored = all.body.find((d: { entity_version: number }) => d.entity_version === r.body.entity_version);
        expect(stored.config).toBe(r.body.config);
      }
      expect((await get(name)).body.entity_version).toBe(n + 1);
      const listed = await api.request('GET', `${base}?filter[name]=${name}`);
      expect(listed.body.pagination.total_results).toBe(1);
      expect(listed.body.data[0].entity_version).toBe(n + 1);
    });

    it('loses no status write among 10 concurrent ones', async () => {
      const name = await newDeployment();
      expect((await setStatus(name, { status: 'READY', status_message: 'ready' })).status).toBe(200);
      const before = (await get(name)).body.status_history.length;
      const messages = Array.from({ length: 10 }, (_, i) => `concurrent ${i}`);
      const results = await Promise.all(messages.map((m) => setStatus(name, { status: 'READY', status_message: m })));
      for (const r of results) expect([200, 409]).toContain(r.status);
      const ok = results.filter((r) => r.status === 200);
      expect(ok.length).toBeGreaterThan(0);

      const after = (await get(name)).body;
      expectConsistent(after);
      const history: HistoryEntry[] = after.status_history;
      // Every write changed the message, so each success added exactly one entry.
      expect(history).toHaveLength(before + ok.length);
      const added = history.slice(before).map((h) => h.status_message);
      expect([...added].sort()).toEqual(ok.map((r) => r.body.status_message).sort());
      expect(after.status_message).toBe(history[history.length - 1].status_message);
      // Each response saw its own write as the newest entry at the time.
      for (const r of ok) expect(r.body.status_history.at(-1).status_message).toBe(r.body.status_message);
    });

    it('never leaves a live version behind a delete that raced a new version', async () => {
      for (let i = 0; i < 10; i++) {
        const name = await newDeployment();
        const [del, update] = await Promise.all([
          api.request('DELETE', `${base}/${name}`),
          api.request('POST', `${base}/${name}`, { config: cfg2 }),
        ]);
        expect(del.status).toBe(202);
        expect([201, 409]).toContain(update.status);
        const versions = (await api.request('GET', `${base}/${name}/versions`)).body;
        expect(versions).toHaveLength(update.status === 201 ? 2 : 1);
        // Whichever came first, the delete covers every version.
        for (const v of versions) expect(v.status).toBe('DELETING');
      }
    });

    it('serialises concurrent conflicting transitions through the table', async () => {
      const name = await newDeployment();
      // From CREATED: DELETING wins or loses the race, but nothing may leave DELETING afterwards.
      const targets: DeploymentStatus[] = [
        'DELETING',
        'READY',
        'PENDING',
        'FAILED',
        'READY',
        'PENDING',
        'FAILED',
        'READY',
      ];
      const results = await Promise.all(
        targets.map((status, i) => setStatus(name, { status, status_message: `race ${i}` })),
      );
      for (const r of results) expect([200, 409]).toContain(r.status);
      const after = (await get(name)).body;
      expectConsistent(after);
      expect(after.status).toBe('DELETING');
      const history: HistoryEntry[] = after.status_history;
      expect(history).toHaveLength(1 + results.filter((r) => r.status === 200).length);
      for (let i = 1; i < history.length; i++)
        expect(canTransition(history[i - 1].status, history[i].status)).toBe(true);
    });
  });

  describe("runtime 'none'", () => {
    let none: Api;
    beforeAll(async () => {
      none = await startApi({ MODELPLANE_RUNTIME: 'none' });
    });
    afterAll(async () => {
      await none?.close();
    });

    it('refuses create, update, status and both deletes with 422 and the exact text (checklists 13-15)', async () => {
      const name = await newDeployment();
      const before = (await get(name)).body;
      const fresh = uniqueName('d');
      for (const [method, path, body] of [
        ['POST', base, { name: fresh, config: cfg }],
        ['POST', `${base}/${name}`, { config: cfg2 }],
        ['POST', `${base}/${name}/status`, { status: 'READY', status_message: 'x' }],
        ['POST', `${base}/${name}/status?version=1`, { status: 'READY', status_message: 'x' }],
        ['DELETE', `${base}/${name}`, undefined],
        ['DELETE', `${base}/${name}/versions/1`, undefined],
      ] as const) {
        const res = await none.request(method, path, body);
        expect({ method, path, status: res.status, detail: res.body.detail }).toEqual({
          method,
          path,
          status: 422,
          detail: RUNTIME_NONE,
        });
      }
      // Nothing changed.
      expect((await get(name)).body).toEqual(before);
      expect((await get(fresh)).status).toBe(404);
    });

    it('still serves reads', async () => {
      const name = await newDeployment();
      expect((await none.request('GET', `${base}/${name}`)).status).toBe(200);
      expect((await none.request('GET', `${base}/${name}/versions`)).status).toBe(200);
      expect((await none.request('GET', `${base}/${name}/versions/1`)).status).toBe(200);
      expect((await none.request('GET', base)).status).toBe(200);
    });
  });

  it('answered no request with an internal error', () => {
    expect(api.logs.filter((l) => l.includes('[HttpError]'))).toEqual([]);
  });
});
