/**
 * The API with its gateway routes shares one PgNotifications: the routing
 * table and the deployment long-polls hear the database over one connection,
 * and both recover when that connection's backend is killed.
 */
import { canTransition, DEPLOYMENT_STATUSES } from '#domain';
import { PgNotifications } from '#db';
import { RoutingTableService } from '#gateway';
import { jest } from '@jest/globals';
import pg from 'pg';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(60_000);

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('notifications (e2e)', () => {
  let api: Api;
  let db: pg.Client;
  let notifications: PgNotifications;
  let ws: string;
  let cfg: string;

  beforeAll(async () => {
    api = await startApi({}, { gateway: true });
    db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    notifications = api.app.get(PgNotifications);
    ws = await newWorkspace(api, 'notify');
    cfg = uniqueName('cfg');
    expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, nimConfig(cfg))).status).toBe(201);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const next = DEPLOYMENT_STATUSES.find((s) => s !== 'CREATED' && canTransition('CREATED', s))!;

  async function newDeployment(): Promise<string> {
    const name = uniqueName('d');
    expect((await api.request('POST', `/v2/workspaces/${ws}/deployments`, { name, config: cfg })).status).toBe(201);
    return name;
  }

  async function longPoll(name: string): Promise<{ status: number; body: { status: string }; ms: number }> {
    const started = Date.now();
    const res = await api.request('GET', `/v2/workspaces/${ws}/deployments/${name}?wait_for=${next}&timeout=30`);
    return { status: res.status, body: res.body as { status: string }, ms: Date.now() - started };
  }

  const setStatus = (name: string) =>
    api.request('POST', `/v2/workspaces/${ws}/deployments/${name}/status`, { status: next, status_message: 'moved' });

  it('serves the routing table, the deployment status and access changes over one LISTEN connection', async () => {
    const name = await newDeployment();
    const poll = longPoll(name);
    await until('the status channel', async () =>
      (await notifications.listeningChannels()).includes('deployment_status'),
    );
    // Access control (keys and role bindings) listens on the same connection.
    expect(await notifications.listeningChannels()).toEqual(['access_changed', 'deployment_status', 'routing_changed']);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1 AND application_name = 'modelplane-notifications'`,
      [notifications.backendPid],
    );
    expect(rows[0].n).toBe('1');
    expect((await setStatus(name)).status).toBe(200);
    const answer = await poll;
    expect(answer.body.status).toBe(next);
    expect(answer.ms).toBeLessThan(10_000);
  });

  it('after its backend is killed: LISTENs again, reloads the routing table and wakes the long-polls', async () => {
    const name = await newDeployment();
    const poll = longPoll(name);
    await until('the long-poll waiting', () => notifications.connected);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the request reached its wait
    const source = api.app.get(RoutingTableService).source;
    let reloads = 0;
    const stop = source.onChange(() => reloads++);

    const before = notifications.backendPid;
    // A write that sends no NOTIFY (the trigger fires on history entries, not on this UPDATE) stands for
    // one whose NOTIFY was lost with the connection: only `reconnected` can wake the long-poll before its
    // 30 s timeout.
    await db.query('SELECT pg_terminate_backend($1)', [before]);
    await db.query(
      `UPDATE deployment_versions SET status = $1, status_message = 'moved while deaf'
       WHERE workspace = $2 AND name = $3 AND is_latest`,
      [next, ws, name],
    );
    const answer = await poll;
    expect(answer.body.status).toBe(next);
    expect(answer.ms).toBeLessThan(10_000);
    await until('the routing table reloaded', () => reloads > 0);
    stop();
    expect(notifications.backendPid).not.toBe(before);
    expect(await notifications.listeningChannels()).toEqual(['access_changed', 'deployment_status', 'routing_changed']);
    expect(api.logs.some((l) => l.includes('Lost the notification connection'))).toBe(true);
    expect(api.logs.some((l) => l.includes('Notification connection restored'))).toBe(true);
  });
});
