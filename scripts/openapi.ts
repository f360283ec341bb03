/**
 * Writes openapi/openapi.json from the code (the same document /docs-json
 * serves). With --check, exits 1 when the committed file is stale.
 */
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiConfig, loadEnv } from '#config';
import { projectRoot } from '#db';
import { buildOpenApi, createApp } from '../apps/api/src/app.factory.js';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  // No connection is made: the document only needs the routes and DTOs.
  const app = await createApp(loadEnv(ApiConfig, { MIGRATE_ON_START: 'false' }), { logger: false });
  const json = JSON.stringify(buildOpenApi(app), null, 2) + '\n';
  await app.close();
  const file = join(projectRoot(), 'openapi', 'openapi.json');
  if (check) {
    const committed = await readFile(file, 'utf8').catch(() => '');
    if (committed !== json) {
      console.error('openapi/openapi.json is stale: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
    console.log('openapi/openapi.json is up to date.');
    return;
  }
  await writeFile(file, json);
  console.log(`Wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
