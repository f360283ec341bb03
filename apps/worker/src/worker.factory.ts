import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WorkerConfig } from '#config';
import type { Runtime } from '#runtime';
import { Telemetry, type LogOptions } from '#telemetry';
import { WorkerHealthServer } from './health/worker-health.server.js';
import { createRuntime } from './runtime.factory.js';
import { WorkerModule } from './worker.module.js';

/** Builds and starts the worker (used by main.ts and the tests). */
export async function createWorker(
  config: WorkerConfig,
  options: { log?: LogOptions; telemetry?: Telemetry; runtime?: Runtime } = {},
): Promise<INestApplicationContext> {
  const telemetry = options.telemetry ?? Telemetry.create('worker', config, options.log);
  const runtime = options.runtime ?? (await createRuntime(config));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, runtime, telemetry), {
    logger: telemetry.nest,
  });
  app.enableShutdownHooks();
  await app.init();
  // Started here rather than in a bootstrap hook: a failed hook leaves the half-started context out of
  // reach (Nest does not return it), and a port already taken must not leave queue workers running.
  try {
    await app.get(WorkerHealthServer).listen();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
