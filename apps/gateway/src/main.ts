import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { GatewayConfig, loadEnv, describeStartupFailure, type StartupServices } from '#config';
import { Telemetry } from '#telemetry';
import { createGateway } from './gateway.factory.js';

/** What the process connects to, for a failure's message (known once the configuration is read). */
let services: StartupServices = {};

async function main(): Promise<void> {
  const config = loadEnv(GatewayConfig);
  services = config;
  const telemetry = Telemetry.create('gateway', config);
  Logger.overrideLogger(telemetry.nest);
  telemetry.exitOnSecondSignal();
  const app = await createGateway(config, { telemetry });
  await app.listen({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST });
  new Logger('Bootstrap').log(
    `Modelplane inference gateway listening on http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}` +
      ' (/v2/workspaces/{workspace}/inference/gateway/{model|provider|openai}/…/-/{path})',
  );
}

main().catch((error: unknown) => {
  // One line, no stack: which service could not be reached and what to do, or a configuration error
  // (those name variables, never values of secrets).
  console.error(describeStartupFailure(error, services));
  process.exit(1);
});
