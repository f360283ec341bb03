import { dropTestDatabase } from '../dist/libs/testing/src/test-database.js';

export default async function globalTeardown() {
  const url = process.env.TEST_DATABASE_URL;
  if (url && process.env.KEEP_TEST_DATABASE !== '1') await dropTestDatabase(url);
}
