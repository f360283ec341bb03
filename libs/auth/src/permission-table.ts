import { PERMISSIONS, ROLES, roleGrants, type Permission } from './permissions.js';

export interface DeclaredOperation {
  method: string;
  path: string;
  declaration: Permission | 'public';
}

export const TABLE_BEGIN =
  '<!-- permission-table:begin (generated from libs/auth/src/permissions.ts; see permission-table.spec.ts) -->';
export const TABLE_END = '<!-- permission-table:end -->';

/**
 * The README's permission table: each permission, which roles hold it, the key scope it needs, and the
 * operations that declare it (from the OpenAPI document's x-modelplane-permission and the gateway's routes).
 */
export function permissionTable(operations: readonly DeclaredOperation[]): string {
  const head = `| Permission | ${ROLES.join(' | ')} | Key scope | What | Operations |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|---|---|---|`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((permission) => {
    const spec = PERMISSIONS[permission];
    const marks = ROLES.map((role) => (roleGrants(role, permission) ? '✓' : ''));
    const ops = operations
      .filter((o) => o.declaration === permission)
      .map((o) => `\`${o.method} ${o.path}\``)
      .sort();
    const who = spec.role === 'authenticated' ? ' (any authenticated principal)' : '';
    return `| \`${permission}\`${who} | ${marks.join(' | ')} | \`${spec.scope}\` | ${spec.what} | ${ops.join('<br>')} |`;
  });
  const open = operations
    .filter((o) => o.declaration === 'public')
    .map((o) => `\`${o.method} ${o.path}\``)
    .sort();
  return [TABLE_BEGIN, head, rule, ...rows, '', `Public (no credential): ${open.join(', ')}.`, TABLE_END].join('\n');
}

/** `readme` with its permission table replaced by the current one (between TABLE_BEGIN and TABLE_END). */
export function readmeWithPermissionTable(readme: string, operations: readonly DeclaredOperation[]): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error('README.md has no permission table markers');
  return readme.slice(0, begin) + permissionTable(operations) + readme.slice(end + TABLE_END.length);
}
