import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './worker-harness.js';
import { ADMIN_AUTH, nimConfig, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(60_000);

/**
 * NeMo's path families, called as NeMo's SDK calls them (its paths, its JSON, `content-type: application/json`
 * even on a DELETE without a body), reach Modelplane's routes and answer in the vocabulary of NeMo's code:
 * a failed deployment is ERROR there, FAILED on Modelplane's own paths.
 */
describe("NeMo's path families", () => {
  let api: Api;
  let ws: string;
  const models = (path = '') => `/apis/models/v2/workspaces/${ws}${path}`;
  /** What NeMo's SDK sends on every call, a body or not. */
  const sdk = { 'content-type': 'application/json', ...ADMIN_AUTH };

  beforeAll(async () => {
    api = await startApi({}, { gateway: true });
    ws = uniqueName('nemo');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('entities: creates, reads and updates a workspace (not its name), and adds a member', async () => {
    const created = await api.request('POST', '/apis/entities/v2/workspaces', { name: ws, description: 'sdk' }, sdk);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: ws, description: 'sdk', created_by: 'admin' });
    expect((await api.request('GET', `/apis/entities/v2/workspaces/${ws}`)).body.name).toBe(ws);
    const put = await api.request('PUT', `/apis/entities/v2/workspaces/${ws}`, { name: ws, description: 'new' }, sdk);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: ws, description: 'new', updated_by: 'admin' });
    const renamed = await api.request('PUT', `/apis/entities/v2/workspaces/${ws}`, { name: 'other-name' }, sdk);
    expect(renamed.status).toBe(422);
    expect(renamed.body.detail[0].loc).toEqual(['body', 'name']);
    expect((await api.request('PUT', `/apis/entities/v2/workspaces/nope-${ws}`, {}, sdk)).status).toBe(404);
    const listed = await api.request('GET', `/apis/entities/v2/workspaces?filter[name]=${ws}`);
    expect(listed.body.data.map((w: { name: string }) => w.name)).toEqual([ws]);
    const member = await api.request(
      'POST',
      `/apis/entities/v2/workspaces/${ws}/members`,
      { principal: 'user-123', roles: ['Viewer'] },
      sdk,
    );
    expect(member.status).toBe(201);
    expect(member.body).toMatchObject({ principal: 'user-123', roles: ['Viewer'] });
  });

  it('secrets, model entities and configs on their families; a DELETE with a JSON content type and no body', async () => {
    const secret = await api.request(
      'POST',
      `/apis/secrets/v2/workspaces/${ws}/secrets`,
      { name: 'k', value: 'v' },
      sdk,
    );
    expect(secret.status).toBe(201);
    expect(secret.text).not.toContain('"v"');
    expect((await api.request('POST', models('/models'), { name: 'mm' }, sdk)).status).toBe(201);
    expect((await api.request('POST', models('/deployment-configs'), nimConfig('cfg'), sdk)).status).toBe(201);
    // `secrets.admin.rotate_encryption_keys()`: NeMo's answer is {rotated_secrets, success}.
    const rotated = await api.request('POST', '/apis/secrets/v2/rotate-encryption-keys', undefined, sdk);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ rotated_secrets: expect.any(Number), success: true });
    const configs = await api.request('GET', models('/deployment-configs'));
    expect(configs.body.data.map((c: { name: string }) => c.name)).toEqual(['cfg']);
    // NeMo's SDK sends its JSON content type on a DELETE without a body.
    const deleted = await api.request('DELETE', models('/models/mm'), undefined, sdk);
    expect(deleted.status).toBe(204);
    expect((await api.request('DELETE', models('/models/mm'), undefined, sdk)).status).toBe(404);
  });

  it('says ERROR for FAILED in answers, filters, waits and status updates; /v2 keeps FAILED', async () => {
    expect((await api.request('POST', models('/deployments'), { name: 'dep', config: 'cfg' }, sdk)).status).toBe(201);
    const failed = await api.request(
      'POST',
      models('/deployments/dep/status'),
      { status: 'ERROR', status_message: 'bad GPU' },
      sdk,
    );
    expect(failed.status).toBe(200);
    expect(failed.body.status).toBe('ERROR');
    expect(failed.body.status_history.map((h: { status: string }) => h.status)).toEqual(['CREATED', 'ERROR']);

    const ours = await api.request('GET', `/v2/workspaces/${ws}/deployments/dep`);
    expect(ours.body.status).toBe('FAILED');
    expect(ours.body.status_history.map((h: { status: string }) => h.status)).toEqual(['CREATED', 'FAILED']);

    // NeMo's SDK waits for ERROR; it must end at once, not at the timeout.
    const started = Date.now();
    const waited = await api.request('GET', models('/deployments/dep?wait_for=READY,ERROR&timeout=30'));
    expect(waited.body.status).toBe('ERROR');
    expect(Date.now() - started).toBeLessThan(10_000);

    const filtered = await api.request('GET', models('/deployments?filter[status]=ERROR'));
    expect(filtered.body.data.map((d: { name: string; status: string }) => [d.name, d.status])).toEqual([
      ['dep', 'ERROR'],
    ]);
    // Modelplane's own paths keep the documented vocabulary.
    expect((await api.request('GET', `/v2/workspaces/${ws}/deployments?filter[status]=ERROR`)).status).toBe(400);
    expect((await api.request('GET', `/v2/workspaces/${ws}/deployments?filter[status]=FAILED`)).body.data).toHaveLength(
      1,
    );
    const refused = await api.request('POST', `/v2/workspaces/${ws}/deployments/dep/status`, { status: 'ERROR' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'status']);
    expect((await api.request('GET', `/v2/workspaces/${ws}/deployments/dep?wait_for=ERROR`)).status).toBe(422);
  });

  it('refuses a caller without a credential on every family, as on /v2', async () => {
    for (const path of [
      models('/deployments'),
      `/apis/entities/v2/workspaces/${ws}`,
      '/apis/auth/v2/iam/role-bindings',
    ]) {
      const res = await api.request('GET', path, undefined, { authorization: '' });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    expect((await api.request('GET', '/apis/auth/v2/iam/role-bindings')).status).toBe(200);
  });

  it("the gateway family: a provider's ready route (NeMo's wait_for_gateway) answers once it is READY", async () => {
    const gateway = `/apis/inference-gateway/v2/workspaces/${ws}`;
    expect(
      (await api.request('POST', models('/providers'), { name: 'prov', host_url: 'http://127.0.0.1:9' }, sdk)).status,
    ).toBe(201);
    const notReady = await eventually(async () => {
      const res = await api.request('GET', `${gateway}/provider/prov/ready`);
      return res.body?.code === 'gateway/provider_not_ready' ? res : null;
    });
    expect(notReady.status).toBe(404);
    const status = await api.request(
      'PUT',
      models('/providers/prov/status'),
      { status: 'READY', status_message: 'up' },
      sdk,
    );
    expect(status.status).toBe(200);
    const ready = await eventually(async () => {
      const res = await api.request('GET', `${gateway}/provider/prov/ready`);
      return res.status === 200 ? res : null;
    });
    expect(ready.body).toEqual({ ready: true, provider: `${ws}/prov`, host_url: 'http://127.0.0.1:9' });
    expect((await api.request('GET', `${gateway}/provider/nope/ready`)).body.code).toBe('gateway/provider_not_found');
    expect((await api.request('GET', `${gateway}/provider/prov/ready`, undefined, { authorization: '' })).status).toBe(
      401,
    );
    const listed = await api.request('GET', `${gateway}/openai/-/v1/models`);
    expect(listed.status).toBe(200);
  });

  it("the gateway family: the SDK's forwarded path with encoded slashes reaches the upstream decoded", async () => {
    // NeMo's SDK (`inference.gateway.provider.post("v1/chat/completions", …)`) sends `/-/v1%2Fchat%2Fcompletions`.
    const seen: string[] = [];
    const upstream: Server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const hostUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      expect((await api.request('POST', models('/providers'), { name: 'up', host_url: hostUrl }, sdk)).status).toBe(
        201,
      );
      expect((await api.request('PUT', models('/providers/up/status'), { status: 'READY' }, sdk)).status).toBe(200);
      const gateway = `/apis/inference-gateway/v2/workspaces/${ws}/provider/up/-`;
      const res = await eventually(async () => {
        const r = await api.request('POST', `${gateway}/v1%2Fchat%2Fcompletions?x=a%2Fb`, {}, sdk);
        return r.status === 200 ? r : null;
      });
      expect(res.body).toEqual({ ok: true });
      expect(seen).toEqual(['/v1/chat/completions?x=a%2Fb']);

      // Decoded, a dot segment is judged as one: refused, nothing sent upstream.
      const dots = await api.request('POST', `${gateway}/v1%2F..%2Fadmin`, {}, sdk);
      expect(dots.status).toBe(400);
      expect(dots.text).toMatch(/'\.' or '\.\.' segments/);
      // Modelplane's own paths keep refusing an encoded slash.
      const ours = await api.request('POST', `/v2/workspaces/${ws}/inference/gateway/provider/up/-/v1%2Fchat`, {}, sdk);
      expect(ours.status).toBe(400);
      expect(ours.text).toMatch(/encoded slashes/);
      expect(seen).toHaveLength(1);
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
