import { ok, type Api, type Schemas } from './client.js';
import { UsageError } from './exit-codes.js';
import type { Column } from './resources.js';

export const SCOPES = ['read', 'write', 'inference', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

export const KEY_COLUMNS: Column[] = [
  ['ID', (k) => k.id],
  ['NAME', (k) => k.name],
  ['PRINCIPAL', (k) => k.principal],
  ['WORKSPACE', (k) => k.workspace],
  ['SCOPES', (k) => (k.scopes as string[]).join(',')],
  ['PREFIX', (k) => k.prefix],
  ['EXPIRES', (k) => k.expires_at],
  ['LAST USED', (k) => k.last_used_at],
  ['REVOKED', (k) => k.revoked_at],
];

export function parseScopes(values: string[]): Scope[] {
  const scopes = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) throw new UsageError(`--scope ${s}: one of ${SCOPES.join(', ')}`);
  }
  if (scopes.length === 0) throw new UsageError('--scope is required (read, write, inference, admin)');
  return [...new Set(scopes)] as Scope[];
}

export function createKey(
  api: Api,
  body: { name: string; principal?: string; workspace?: string; scopes: Scope[]; expires_at?: string },
): Promise<Schemas['IssuedApiKeyDto']> {
  return ok(api.POST('/v2/iam/api-keys', { body }));
}

export async function listKeys(api: Api): Promise<Schemas['ApiKeyDto'][]> {
  const rows: Schemas['ApiKeyDto'][] = [];
  for (let page = 1; ; page++) {
    const { data, pagination } = await ok(api.GET('/v2/iam/api-keys', { params: { query: { page, page_size: 100 } } }));
    rows.push(...data);
    if (page >= pagination.total_pages || data.length === 0) return rows;
  }
}

export function rotateKey(api: Api, id: string, graceSeconds?: number): Promise<Schemas['IssuedApiKeyDto']> {
  return ok(
    api.POST('/v2/iam/api-keys/{id}/rotate', {
      params: { path: { id } },
      body: graceSeconds === undefined ? {} : { grace_period_seconds: graceSeconds },
    }),
  );
}

export async function revokeKey(api: Api, id: string): Promise<void> {
  await ok(api.DELETE('/v2/iam/api-keys/{id}', { params: { path: { id } } }));
}
