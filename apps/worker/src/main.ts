import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnv, WorkerConfig, describeStartupFailure, type StartupServices } from '#config';
import { probeDatabase } from '#db/migrations';
import { Telemetry } from '#telemetry';
import { createWorker } from './worker.factory.js';

/**
 * The longest a worker takes to stop once asked. Each shutdown step has a bound of its own (running
 * jobs 5 s, an enqueue QUEUE_ENQUEUE_TIMEOUT_MS); this is the backstop for one that has none (a
 * discovery request, a database that hangs), inside Kubernetes' default 30 s grace with room to spare.
 */
const STOP_DEADLINE_MS = 9000;

/** What the process connects to, for a failure's message (known once the configuration is read). */
let services: StartupServices = {};

async function main(): Promise<void> {
  const config = loadEnv(WorkerConfig);
  services = config;
  const telemetry = Telemetry.create('worker', config);
  Logger.overrideLogger(telemetry.nest);
  telemetry.exitOnSecondSignal();
  const logger = new Logger('Bootstrap');
  // Without its database a worker can do nothing: say so and stop (a supervisor restarts it), rather than
  // run and fail every pass. (Redis may come later: the queue reconnects.)
  await probeDatabase(config.DATABASE_URL);
  await createWorker(config, { telemetry });
  // `once`: Nest's own handler re-raises the signal when it is done, and that one must end the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.warn(`Not stopped ${STOP_DEADLINE_MS} ms after ${signal}: exiting without finishing the shutdown`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
    });
  }
  logger.log(`Modelplane worker running (runtime: ${config.MODELPLANE_RUNTIME})`);
}

main().catch((error: unknown) => {
  // One line, no stack: which service could not be reached and what to do, or a configuration error
  // (those name variables, never values of secrets).
  console.error(describeStartupFailure(error, services));
  process.exit(1);
});
