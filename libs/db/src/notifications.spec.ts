/**
 * PgNotifications against a real PostgreSQL: one connection per instance,
 * LISTEN/UNLISTEN following the subscribers, and recovery from a backend
 * killed under it. Each instance gets an application_name of its own, so the
 * tests find (and kill) only their own listener on a shared server.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../../testing/src/test-database.js';
import { NotificationsModule, PgNotifications, type NotificationsLogger } from './notifications.js';

const SLOW = 60_000;

class LogLines implements NotificationsLogger {
  readonly lines: string[] = [];
  log(message: string): void {
    this.lines.push(`log: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Timers and sockets of the process, by kind: what a closed instance must give back. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('PgNotifications', () => {
  let databaseUrl: string;
  let admin: pg.Client;
  const instances: PgNotifications[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  }, SLOW);

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((n) => n.close()));
  });

  afterAll(async () => {
    await admin?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }, SLOW);

  function create(logger = new LogLines()): { notifications: PgNotifications; logger: LogLines; name: string } {
    const name = `mp-notify-test-${randomBytes(4).toString('hex')}`;
    const notifications = new PgNotifications({ databaseUrl, logger, applicationName: name, initialRetryMs: 20 });
    instances.push(notifications);
    return { notifications, logger, name };
  }

  async function backends(applicationName: string): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [applicationName],
    );
    return rows.map((row) => row.pid);
  }

  const notify = (channel: string, payload: string) => admin.query('SELECT pg_notify($1, $2)', [channel, payload]);

  it('delivers each notification to every subscriber of the channel, over one connection', async () => {
    const { notifications, name } = create();
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    notifications.subscribe('test_alpha', { notify: (p) => a.push(p) });
    notifications.subscribe('test_alpha', { notify: (p) => b.push(p) });
    notifications.subscribe('test_beta', { notify: (p) => other.push(p) });
    await notifications.start();

    expect(await backends(name)).toHaveLength(1);
    expect(await notifications.listeningChannels()).toEqual(['test_alpha', 'test_beta']);
    await notify('test_alpha', 'one');
    await notify('test_beta', 'two');
    await notify('test_alpha', '');
    await until('both alpha subscribers', () => a.length === 2 && b.length === 2 && other.length === 1);
    expect(a).toEqual(['one', '']);
    expect(b).toEqual(['one', '']);
    expect(other).toEqual(['two']);
  });

  it('keeps delivering to the others when one handler throws', async () => {
    const { notifications, logger } = create();
    const heard: string[] = [];
    notifications.subscribe('test_throws', {
      notify: () => {
        throw new Error('boom');
      },
    });
    notifications.subscribe('test_throws', { notify: (p) => heard.push(p) });
    await notifications.start();
    await notify('test_throws', 'x');
    await until('the second subscriber', () => heard.length === 1);
    expect(logger.lines).toContain('warn: A notification handler failed: boom');
  });

  it('UNLISTENs a channel when its last subscriber leaves, and LISTENs again on the next one', async () => {
    const { notifications } = create();
    const heard: string[] = [];
    const first = notifications.subscribe('test_gamma', { notify: (p) => heard.push(`first ${p}`) });
    const second = notifications.subscribe('test_gamma', { notify: (p) => heard.push(`second ${p}`) });
    const keep = notifications.subscribe('test_delta', { notify: () => undefined });
    await notifications.start();

    first();
    first(); // a second call changes nothing
    expect(await notifications.listeningChannels()).toEqual(['test_delta', 'test_gamma']);
    await notify('test_gamma', 'a');
    await until('the remaining subscriber', () => heard.length === 1);
    expect(heard).toEqual(['second a']);

    second();
    expect(await notifications.listeningChannels()).toEqual(['test_delta']);

    notifications.subscribe('test_gamma', { notify: (p) => heard.push(`third ${p}`) });
    await notifications.start();
    expect(await notifications.listeningChannels()).toEqual(['test_delta', 'test_gamma']);
    await notify('test_gamma', 'b');
    await until('the new subscriber', () => heard.length === 2);
    expect(heard).toEqual(['second a', 'third b']);
    keep();
  });

  it('reconnects after its backend is killed, LISTENs again, says reconnected, and delivers again', async () => {
    const { notifications, logger, name } = create();
    const heard: string[] = [];
    let reconnected = 0;
    let otherReconnected = 0;
    notifications.subscribe('test_epsilon', { notify: (p) => heard.push(p), reconnected: () => reconnected++ });
    notifications.subscribe('test_zeta', { notify: () => undefined, reconnected: () => otherReconnected++ });
    await notifications.start();
    const [before] = await backends(name);
    expect(notifications.backendPid).toBe(before);

    await admin.query('SELECT pg_terminate_backend($1)', [before]);
    await until('reconnected()', () => reconnected === 1);
    expect(otherReconnected).toBe(1);
    expect(notifications.connected).toBe(true);
    const after = await backends(name);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(notifications.backendPid).toBe(after[0]);
    expect(await notifications.listeningChannels()).toEqual(['test_epsilon', 'test_zeta']);

    await notify('test_epsilon', 'after');
    await until('a notification on the new connection', () => heard.length === 1);
    expect(heard).toEqual(['after']);
    expect(logger.lines.filter((l) => l.startsWith('warn: Lost the notification connection'))).toHaveLength(1);
    expect(logger.lines).toContain('log: Notification connection restored');
    expect(reconnected).toBe(1);
  });

  it('a first connection that fails ends in reconnected() once the server answers', async () => {
    // A proxy to the real server that hangs up on every connection until told to let them through.
    let open = false;
    const sockets: Socket[] = [];
    const target = new URL(databaseUrl);
    const proxy = createServer((socket) => {
      if (!open) return socket.destroy();
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.push(socket, upstream);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String((proxy.address() as AddressInfo).port);
    const logger = new LogLines();
    const notifications = new PgNotifications({ databaseUrl: viaProxy.toString(), logger, initialRetryMs: 20 });
    instances.push(notifications);
    const heard: string[] = [];
    let reconnected = 0;
    try {
      notifications.subscribe('test_kappa', { notify: (p) => heard.push(p), reconnected: () => reconnected++ });
      await expect(notifications.start()).rejects.toThrow();
      open = true;
      await until('reconnected()', () => reconnected === 1);
      expect(await notifications.listeningChannels()).toEqual(['test_kappa']);
      await notify('test_kappa', 'through');
      await until('the notification', () => heard.length === 1);
      expect(logger.lines[0]).toMatch(/^warn: Cannot listen for notifications/);
      expect(logger.lines.at(-1)).toMatch(/^log: Notification connection restored after \d+ failed attempt\(s\)$/);
    } finally {
      await notifications.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('rejects invalid channel names (they are interpolated into LISTEN)', () => {
    const { notifications } = create();
    for (const bad of ['', 'a b', 'x"; DROP TABLE t; --', '1abc', 'a'.repeat(64)]) {
      expect(() => notifications.subscribe(bad, { notify: () => undefined })).toThrow('Invalid notification channel');
    }
  });

  it('close() ends the connection and leaves no timers or sockets behind, also during an outage', async () => {
    const baseline = handles();
    const { notifications, name } = create();
    notifications.subscribe('test_eta', { notify: () => undefined });
    await notifications.start();
    expect(await backends(name)).toHaveLength(1);
    await notifications.close();
    await notifications.close(); // idempotent
    expect(notifications.connected).toBe(false);
    await until('the backend gone', async () => (await backends(name)).length === 0);
    expect(() => notifications.subscribe('test_eta', { notify: () => undefined })).toThrow('closed');

    // A server that hangs up on every connection: each attempt fails and retries go on until close().
    let attempts = 0;
    const refusing = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const unreachable = new PgNotifications({
      databaseUrl: `postgresql://postgres@127.0.0.1:${port}/none`,
      logger: new LogLines(),
      initialRetryMs: 10,
      maxRetryMs: 20,
    });
    unreachable.subscribe('test_eta', { notify: () => undefined });
    await expect(unreachable.start()).rejects.toThrow();
    await until('a few retries', () => attempts >= 3);
    await unreachable.close();
    const atClose = attempts;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toBe(atClose);
    await new Promise((resolve) => refusing.close(resolve));
    // At most what there was before (a socket of an earlier test may have finished closing meanwhile).
    await until('the handles given back', () =>
      Object.entries(handles()).every(([kind, count]) => count <= (baseline[kind] ?? 0)),
    );
  });

  it('warns once when it cannot connect, not on every retry', async () => {
    const logger = new LogLines();
    const unreachable = new PgNotifications({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/none',
      logger,
      initialRetryMs: 5,
      maxRetryMs: 10,
    });
    instances.push(unreachable);
    unreachable.subscribe('test_theta', { notify: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const warnings = logger.lines.filter((l) => l.startsWith('warn:'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(4); // one per ten failed attempts (at most ~31 in 150 ms)
    expect(warnings[0]).toMatch(/^warn: Cannot listen for notifications \(.+\); retrying with back-off$/);
  });

  it('NotificationsModule shares one instance per application and closes it on shutdown', async () => {
    const app = await NestFactory.createApplicationContext(NotificationsModule.forRoot({ databaseUrl }), {
      logger: false,
    });
    const notifications = app.get(PgNotifications);
    notifications.subscribe('test_iota', { notify: () => undefined });
    await notifications.start();
    expect(notifications.connected).toBe(true);
    await app.close();
    expect(notifications.connected).toBe(false);
    expect(() => notifications.subscribe('test_iota', { notify: () => undefined })).toThrow('closed');
  });
});
