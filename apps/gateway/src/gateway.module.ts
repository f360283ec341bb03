import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayConfig } from '#config';
import { AccessModule } from '#auth';
import { DatabaseModule } from '#db';
import { NotificationsModule } from '#db/notifications';
import { GatewayCoreModule } from '#gateway';
import { ReadinessModule, TelemetryModule, type Telemetry } from '#telemetry';
import { GatewayHealthController } from './gateway-health.controller.js';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, telemetry: Telemetry): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        TelemetryModule.forRoot(telemetry, { metricsRoute: true }),
        NotificationsModule.forRoot({ databaseUrl: config.DATABASE_URL }),
        // Keys and role bindings (AccessService) and refusals (the audit log) are read and written through it.
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        AccessModule.forRoot(config),
        GatewayCoreModule.forRoot(config),
        ReadinessModule.forRoot({ timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS }),
      ],
      controllers: [GatewayHealthController],
    };
  }
}
