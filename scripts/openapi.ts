/**
 * Writes openapi/openapi.json from the code (the same document /docs-json
 * serves), and the CLI's client types generated from it
 * (cli/src/generated/api.ts, by openapi-typescript), so an API change that
 * breaks the CLI fails its type check. With --check, exits 1 when either
 * committed file is stale.
 */
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { ApiConfig, loadEnv } from '#config';
import { projectRoot } from '#db';
import { buildOpenApi, createApp } from '../apps/api/src/app.factory.js';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  // No connection is made: the document only needs the routes and DTOs.
  const app = await createApp(loadEnv(ApiConfig, { MIGRATE_ON_START: 'false' }), { log: { level: 'silent' } });
  const json = JSON.stringify(buildOpenApi(app), null, 2) + '\n';
  await app.close();
  const types = CLIENT_HEADER + astToString(await openapiTS(JSON.parse(json) as Parameters<typeof openapiTS>[0]));
  const outputs: [string, string][] = [
    [join('openapi', 'openapi.json'), json],
    [join('cli', 'src', 'generated', 'api.ts'), types],
  ];
  if (check) {
    let stale = false;
    for (const [file, content] of outputs) {
      if ((await readFile(join(projectRoot(), file), 'utf8').catch(() => '')) !== content) {
        console.error(`${file} is stale: run \`npm run openapi\` and commit the result.`);
        stale = true;
      }
    }
    if (stale) process.exit(1);
    console.log('openapi/openapi.json and the CLI client types are up to date.');
    return;
  }
  for (const [file, content] of outputs) {
    await writeFile(join(projectRoot(), file), content);
    console.log(`Wrote ${file}`);
  }
}

const CLIENT_HEADER =
  '// Generated from openapi/openapi.json by scripts/openapi.ts (openapi-typescript). Do not edit: run `npm run openapi`.\n';

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
