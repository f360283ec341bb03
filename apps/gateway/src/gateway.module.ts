import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayConfig } from '#config';
import { GatewayCoreModule } from '#gateway';
import { GatewayHealthController } from './gateway-health.controller.js';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [GatewayCoreModule.forRoot(config)],
      controllers: [GatewayHealthController],
    };
  }
}
