import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ApiConfig, GatewayConfig, loadEnv, describeStartupFailure, type StartupServices } from '#config';
import { migrationPaths } from '#db';
import { applyMigrations, ensureDatabase } from '#db/migrations';
import { Telemetry } from '#telemetry';
import { createApp } from './app.factory.js';

/** What the process connects to, for a failure's message (known once the configuration is read). */
let services: StartupServices = {};

async function main(): Promise<void> {
  const config = loadEnv(ApiConfig);
  services = config;
  const telemetry = Telemetry.create('api', config);
  Logger.overrideLogger(telemetry.nest);
  telemetry.exitOnSecondSignal();
  const logger = new Logger('Bootstrap');
  if (config.MIGRATE_ON_START) {
    await ensureDatabase(config.DATABASE_URL);
    const { applied } = await applyMigrations({ databaseUrl: config.DATABASE_URL, ...migrationPaths() });
    logger.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  }
  if (!config.MODELPLANE_SECRET_KEYS) {
    logger.warn(
      'MODELPLANE_SECRET_KEYS is not set: secrets are sealed with the development key. Set it before storing real secrets.',
    );
  }
  const gateway = config.API_SERVES_GATEWAY ? loadEnv(GatewayConfig) : undefined;
  const app = await createApp(config, { gateway, telemetry });
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.log(
    `Modelplane API listening on http://${config.HOST}:${config.PORT} (Swagger UI at /docs)` +
      (gateway ? '; it serves the inference gateway routes too (API_SERVES_GATEWAY)' : ''),
  );
}

main().catch((error: unknown) => {
  // One line, no stack: which service could not be reached and what to do, or a configuration error
  // (those name variables, never values of secrets).
  console.error(describeStartupFailure(error, services));
  process.exit(1);
});
