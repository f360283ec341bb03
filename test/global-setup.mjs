// Runs in Jest's parent process, outside its module mapping and transforms, so
// it uses the compiled libraries (npm test builds them first).
import { migrationPaths } from '../dist/libs/db/src/project-paths.js';
import { applyMigrations } from '../dist/libs/db/src/migrations/schema-engine.js';
import { createTestDatabase } from '../dist/libs/testing/src/test-database.js';

/** One fresh database for the e2e run, migrated by the project's own migrator. */
export default async function globalSetup() {
  const url = await createTestDatabase();
  await applyMigrations({ databaseUrl: url, ...migrationPaths() });
  process.env.TEST_DATABASE_URL = url;
}
