import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnv, WorkerConfig } from '#config';
import { createWorker } from './worker.factory.js';

async function main(): Promise<void> {
  const config = loadEnv(WorkerConfig);
  await createWorker(config);
  new Logger('Bootstrap').log(`Modelplane worker running (runtime: ${config.MODELPLANE_RUNTIME})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
