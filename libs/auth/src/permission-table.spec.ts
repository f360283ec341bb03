import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { declaredOperations } from './permission-operations.js';
import { readmeWithPermissionTable } from './permission-table.js';

describe("the README's permission table", () => {
  it('is what the code declares (node dist/scripts/permission-table.js rewrites it)', () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    const openapi = JSON.parse(readFileSync(resolve('openapi/openapi.json'), 'utf8'));
    const operations = declaredOperations(openapi);
    expect(operations.length).toBeGreaterThan(40);
    expect(readmeWithPermissionTable(readme, operations)).toBe(readme);
  });
});
