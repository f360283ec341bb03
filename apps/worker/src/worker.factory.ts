import type { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LOG_LEVELS, type WorkerConfig } from '#config';
import type { Runtime } from '#runtime';
import { WorkerHealthServer } from './health/worker-health.server.js';
import { createRuntime } from './runtime.factory.js';
import { WorkerModule } from './worker.module.js';

/** Builds and starts the worker (used by main.ts and the tests). */
export async function createWorker(
  config: WorkerConfig,
  options: { logger?: false | LogLevel[] | LoggerService; runtime?: Runtime } = {},
): Promise<INestApplicationContext> {
  const runtime = options.runtime ?? (await createRuntime(config));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, runtime), {
    logger: options.logger ?? LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.LOG_LEVEL) + 1),
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
