/**
 * What the gateway's access tests share: principals and keys made by inserting rows (as the IAM
 * endpoints would), a tiny upstream that records what it receives, and raw requests.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { generateApiKey } from '#auth';
import { roleBindingId } from '#db';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export const SERVED = 'echo-model';

/** An OpenAI-compatible upstream that records each request (headers included) and answers 200. */
export function recordingUpstream(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/v1/models') {
      res.end(JSON.stringify({ object: 'list', data: [{ id: SERVED, object: 'model', owned_by: 'x' }] }));
    } else {
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: SERVED,
          choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        }),
      );
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

export interface TestKey {
  id: string;
  key: string;
  principal: string;
}

/**
 * An API key for `principal` (scopes, optionally restricted to one workspace) and its roles, inserted
 * as rows: the NOTIFY on those tables reloads every process's access snapshot.
 */
export async function insertKey(
  pool: pg.Pool,
  principal: string,
  {
    scopes = ['inference'],
    workspace = null,
    roles = [],
  }: { scopes?: string[]; workspace?: string | null; roles?: [string, 'Viewer' | 'Editor' | 'Admin'][] },
): Promise<TestKey> {
  const { key, prefix, hash } = generateApiKey();
  const id = `apikey-${prefix}`;
  await pool.query(`INSERT INTO principals (id, kind, created_by) VALUES ($1, $2, 'test') ON CONFLICT DO NOTHING`, [
    principal,
    principal.startsWith('service-account:') ? 'service_account' : 'user',
  ]);
  await pool.query(
    `INSERT INTO api_keys (id, name, principal, workspace, scopes, prefix, key_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'test')`,
    [id, `test ${principal}`, principal, workspace, scopes, prefix, hash],
  );
  for (const [ws, role] of roles) {
    await pool.query(
      `INSERT INTO role_bindings (id, workspace, principal, role, granted_by) VALUES ($1, $2, $3, $4, 'test')
       ON CONFLICT DO NOTHING`,
      [roleBindingId(ws, principal, role), ws, principal, role],
    );
  }
  return { id, key, principal };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A request with exactly these headers (fetch would add its own). */
export function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
