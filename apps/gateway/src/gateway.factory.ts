import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayAccess, requireRouteDeclarations } from '#auth';
import { LOG_LEVELS, type GatewayConfig } from '#config';
import { rewriteNemoUrl } from '#domain';
import { gatewayRoutes, RoutingTableService } from '#gateway';
import { GatewayExceptionFilter, gatewayFrameworkError } from './gateway-exception.filter.js';
import { GatewayModule } from './gateway.module.js';

/** Builds the gateway application (not yet listening), for main.ts and the tests. */
export async function createGateway(
  config: GatewayConfig,
  options: { logger?: false | NestLogLevel[] | LoggerService } = {},
): Promise<NestFastifyApplication> {
  // On shutdown every connection is closed, streams under way included (clients see the connection end and
  // retry): a kept-alive connection a client aborted mid-stream otherwise held the close for Fastify's
  // 72 s keep-alive timeout. Behind a load balancer, drain first (a preStop pause on Kubernetes).
  const adapter = new FastifyAdapter({
    routerOptions: { maxParamLength: 600 },
    forceCloseConnections: true,
    // NeMo's /apis/inference-gateway/v2/… onto the same routes.
    rewriteUrl: rewriteNemoUrl,
    frameworkErrors: gatewayFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    logger: options.logger ?? LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  app.useGlobalFilters(new GatewayExceptionFilter());
  requireRouteDeclarations(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  await app.register(gatewayRoutes(app.get(RoutingTableService).proxy, app.get(GatewayAccess)));
  return app;
}
