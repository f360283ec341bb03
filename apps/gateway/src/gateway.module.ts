import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayConfig } from '#config';
import { NotificationsModule } from '#db/notifications';
import { GatewayCoreModule } from '#gateway';
import { GatewayHealthController } from './gateway-health.controller.js';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [NotificationsModule.forRoot({ databaseUrl: config.DATABASE_URL }), GatewayCoreModule.forRoot(config)],
      controllers: [GatewayHealthController],
    };
  }
}
