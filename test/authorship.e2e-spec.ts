import { AccessService, generateApiKey } from '#auth';
import { DeploymentRepository, PrismaService, roleBindingId } from '#db';
import { newId } from '#domain';
import { newWorkspace, nimConfig, startApi, type Api } from './api-harness.js';

/**
 * created_by / updated_by on every entity, and a deployment's auth_context: the admin creates, a second
 * principal (an Admin of the workspace, with a key of its own: secrets and providers need that role) changes, and each body says who did what.
 */
describe('authorship (created_by, updated_by, auth_context)', () => {
  let api: Api;
  let ws: string;
  let bob: Record<string, string>;

  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'authz');
    // A second principal the way the access tables hold one: its key (the hash) and its role binding.
    const prisma = api.app.get(PrismaService);
    const key = generateApiKey();
    await prisma.principal.create({ data: { id: 'bob@example.com', kind: 'user', createdBy: 'admin' } });
    await prisma.apiKey.create({
      data: {
        id: newId('apikey'),
        name: 'bob',
        principal: 'bob@example.com',
        scopes: ['read', 'write', 'admin'],
        prefix: key.prefix,
        keyHash: new Uint8Array(key.hash),
        createdBy: 'admin',
      },
    });
    await prisma.roleBinding.create({
      data: {
        id: roleBindingId(ws, 'bob@example.com', 'Admin'),
        workspace: ws,
        principal: 'bob@example.com',
        role: 'Admin',
        grantedBy: 'admin',
      },
    });
    await api.app.get(AccessService).reload();
    bob = { authorization: `Bearer ${key.key}` };
  }, 30_000);

  afterAll(async () => {
    await api?.close();
  });

  const base = () => `/v2/workspaces/${ws}`;
  const asAdmin = { created_by: 'admin', updated_by: 'admin' };
  const changedByBob = { created_by: 'admin', updated_by: 'bob@example.com' };

  it('secrets: the creator on create, the last writer on update', async () => {
    const created = await api.request('POST', `${base()}/secrets`, { name: 's1', value: 'v1' });
    expect(created.body).toMatchObject(asAdmin);
    const updated = await api.request('PATCH', `${base()}/secrets/s1`, { value: 'v2' }, bob);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject(changedByBob);
    expect((await api.request('GET', `${base()}/secrets/s1`)).body).toMatchObject(changedByBob);
  });

  it('model entities', async () => {
    expect((await api.request('POST', `${base()}/models`, { name: 'm1' })).body).toMatchObject(asAdmin);
    const updated = await api.request('PATCH', `${base()}/models/m1`, { description: 'by bob' }, bob);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject(changedByBob);
  });

  it('providers: PUT keeps created_by, a status update names its writer', async () => {
    const body = { host_url: 'http://127.0.0.1:9' };
    expect((await api.request('POST', `${base()}/providers`, { name: 'p1', ...body })).body).toMatchObject(asAdmin);
    const replaced = await api.request('PUT', `${base()}/providers/p1`, body, bob);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject(changedByBob);
    const created = await api.request('PUT', `${base()}/providers/p2`, body, bob);
    expect(created.body).toMatchObject({ created_by: 'bob@example.com', updated_by: 'bob@example.com' });
    const status = await api.request('PUT', `${base()}/providers/p1/status`, { status: 'READY' });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject(asAdmin);
  });

  it("deployment configs: each version's creator", async () => {
    expect((await api.request('POST', `${base()}/deployment-configs`, nimConfig('c1'))).body).toMatchObject(asAdmin);
    const { name: _name, ...update } = nimConfig('c1');
    const v2 = await api.request('POST', `${base()}/deployment-configs/c1`, update, bob);
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ entity_version: 2, created_by: 'bob@example.com', updated_by: 'bob@example.com' });
    const v1 = await api.request('GET', `${base()}/deployment-configs/c1/versions/1`);
    expect(v1.body).toMatchObject({ entity_version: 1, ...asAdmin });
  });

  it("deployments: the creator's auth_context, set by the server; updated_by follows API changes", async () => {
    const forged = await api.request('POST', `${base()}/deployments`, {
      name: 'd-forged',
      config: 'c1',
      auth_context: { principal_id: 'mallory' },
    });
    expect(forged.status).toBe(422);

    const created = await api.request('POST', `${base()}/deployments`, { name: 'd1', config: 'c1' }, bob);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      created_by: 'bob@example.com',
      updated_by: 'bob@example.com',
      auth_context: { principal_id: 'bob@example.com' },
    });
    const status = await api.request('POST', `${base()}/deployments/d1/status`, {
      status: 'PENDING',
      status_message: 'by the admin',
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      created_by: 'bob@example.com',
      updated_by: 'admin',
      auth_context: { principal_id: 'bob@example.com' },
    });
    // A worker's status write (the reconciler's path) is not a change through the API: updated_by stays.
    const deployments = api.app.get(DeploymentRepository);
    const row = (await deployments.findLatest(ws, 'd1'))!;
    await deployments.setStatusFrom(row, { status: 'READY', statusMessage: 'up', expectedRevision: row.revision });
    expect((await api.request('GET', `${base()}/deployments/d1`)).body).toMatchObject({
      status: 'READY',
      updated_by: 'admin',
    });
    const deleted = await api.request('DELETE', `${base()}/deployments/d1`, undefined, bob);
    expect(deleted.status).toBeLessThan(300);
    const after = await api.request('GET', `${base()}/deployments/d1`);
    expect(after.body).toMatchObject({ status: 'DELETING', updated_by: 'bob@example.com' });
  });
});
