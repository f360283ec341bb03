import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { EgressRefusedError } from '#domain';
import { egressConnector, providerUrlProblem, type Resolver } from './egress-connect.js';
import { EgressPolicy } from './egress-policy.js';

/** A name server in a function: `rebind.example` answers loopback, as a rebinding name does after the write. */
const resolve: Resolver = async (hostname) => {
  if (hostname === 'rebind.example') return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'mixed.example') {
    return [
      { address: '8.8.8.8', family: 4 },
      { address: '::1', family: 6 },
    ];
  }
  if (hostname === 'slow.example') return new Promise(() => undefined);
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

describe('egress at connect time: the address connected to is the address checked', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  const pools: Pool[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('reached');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
    server.close();
  });

  function get(origin: string, allow: string): Promise<string> {
    const pool = new Pool(origin, {
      connect: egressConnector(EgressPolicy.fromAllowList(allow), { timeoutMs: 1000, resolve }),
    });
    pools.push(pool);
    return pool.request({ path: '/', method: 'GET' }).then((res) => res.body.text());
  }

  it('refuses a name that resolves to loopback, before any byte is sent', async () => {
    const before = hits;
    const failure = get(`http://rebind.example:${port}`, '');
    await expect(failure).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(failure).rejects.toThrow(/egress policy refused rebind\.example \(127\.0\.0\.1\): a loopback address/);
    expect(hits).toBe(before);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    await expect(get(`http://mixed.example:${port}`, '')).rejects.toThrow(/mixed\.example \(::1\): the loopback/);
  });

  it('refuses an IP literal, which sockets never look up', async () => {
    await expect(get(`http://127.0.0.1:${port}`, '')).rejects.toThrow(/refused 127\.0\.0\.1: a loopback/);
  });

  it('connects where the operator allows: by range, and by name whatever it resolves to', async () => {
    expect(await get(`http://rebind.example:${port}`, '127.0.0.0/8')).toBe('reached');
    expect(await get(`http://rebind.example:${port}`, 'rebind.example')).toBe('reached');
    expect(await get(`http://127.0.0.1:${port}`, '127.0.0.1')).toBe('reached');
  });
});

describe('egress when a provider is written', () => {
  const strict = EgressPolicy.fromAllowList('');
  const check = (url: string, policy = strict) => providerUrlProblem(policy, url, { timeoutMs: 200, resolve });

  it('resolves a name and refuses it when an address is refused', async () => {
    expect(await check('http://rebind.example:8000')).toMatch(/refused rebind\.example \(127\.0\.0\.1\)/);
  });

  it('accepts a name that does not resolve from here, or not in time (checked again at connect time)', async () => {
    expect(await check('https://llm.corp.example')).toBeNull();
    expect(await check('https://slow.example')).toBeNull();
  });

  it('does not resolve a name the operator allows', async () => {
    expect(await check('http://rebind.example', EgressPolicy.fromAllowList('*.example'))).toBeNull();
  });
});
