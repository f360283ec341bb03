/**
 * Writes the README's permission table from the code: the permissions table (libs/auth), the OpenAPI
 * document's per-operation declarations (openapi/openapi.json, x-modelplane-permission) and the gateway's
 * routes. `--check` exits 1 when the README is not current (a unit test does the same).
 *
 *   node dist/scripts/permission-table.js [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readmeWithPermissionTable } from '../libs/auth/src/permission-table.js';
import { declaredOperations } from '../libs/auth/src/permission-operations.js';

const readmePath = resolve('README.md');
const readme = readFileSync(readmePath, 'utf8');
const openapi = JSON.parse(readFileSync(resolve('openapi/openapi.json'), 'utf8'));
const next = readmeWithPermissionTable(readme, declaredOperations(openapi));
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md: the permission table is not current; run node dist/scripts/permission-table.js');
    process.exit(1);
  }
  console.log('README.md: the permission table is current.');
} else if (next !== readme) {
  writeFileSync(readmePath, next);
  console.log('README.md: permission table updated.');
}
