import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { GatewayConfig, loadEnv } from '#config';
import { Telemetry } from '#telemetry';
import { createGateway } from './gateway.factory.js';

async function main(): Promise<void> {
  const config = loadEnv(GatewayConfig);
  const telemetry = Telemetry.create('gateway', config);
  Logger.overrideLogger(telemetry.nest);
  const app = await createGateway(config, { telemetry });
  await app.listen({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST });
  new Logger('Bootstrap').log(
    `Modelplane inference gateway listening on http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}` +
      ' (/v2/workspaces/{workspace}/inference/gateway/{model|provider|openai}/…/-/{path})',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
