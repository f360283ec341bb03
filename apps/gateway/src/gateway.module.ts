import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type GatewayConfig, secretKeys } from '#config';
import { SecretCipher } from '#db/secret-cipher';
import { GatewayProxy, RoutingSource } from '#gateway';
import { GatewayHealthController } from './gateway-health.controller.js';
import { RoutingTableService } from './routing-table.service.js';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const logger = new Logger('Gateway');
    return {
      module: GatewayModule,
      controllers: [GatewayHealthController],
      providers: [
        {
          provide: RoutingSource,
          useFactory: () =>
            new RoutingSource({
              databaseUrl: config.DATABASE_URL,
              cipher: new SecretCipher(secretKeys(config)),
              logger,
              refreshIntervalMs: config.GATEWAY_REFRESH_INTERVAL_MS,
            }),
        },
        {
          provide: GatewayProxy,
          inject: [RoutingSource],
          useFactory: (source: RoutingSource) =>
            new GatewayProxy(
              source,
              {
                connectMs: config.GATEWAY_CONNECT_TIMEOUT_MS,
                firstByteMs: config.GATEWAY_FIRST_BYTE_TIMEOUT_MS,
                idleMs: config.GATEWAY_IDLE_TIMEOUT_MS,
                maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
                maxAttempts: config.GATEWAY_MAX_ATTEMPTS,
                retryAfterMaxMs: config.GATEWAY_RETRY_AFTER_MAX_MS,
              },
              logger,
            ),
        },
        RoutingTableService,
      ],
      exports: [RoutingTableService],
    };
  }
}
