/** Modelplane's API as the benchmark runs it: the production app, logging warnings only, on a free port. */
import 'reflect-metadata';
import { ApiConfig, loadEnv } from '#config';
import { createApp } from '../apps/api/src/app.factory.js';
import { BENCH_ADMIN_KEY } from './bench-auth.js';

const config = loadEnv(ApiConfig, {
  // The benchmarks call with this key (BENCH_AUTH); authentication stays on, as deployed.
  MODELPLANE_BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY,
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  MIGRATE_ON_START: 'false',
  LOG_LEVEL: 'warn',
});
const app = await createApp(config);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.getHttpServer().address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
