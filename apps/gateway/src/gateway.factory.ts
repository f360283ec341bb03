import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayAccess, requestAccess, requireRouteDeclarations } from '#auth';
import type { GatewayConfig } from '#config';
import { rewriteNemoUrl } from '#domain';
import { gatewayRoutes, ownsTelemetry, RoutingTableService } from '#gateway';
import { instrumentHttp, requestIdOf, Telemetry, type LogOptions } from '#telemetry';
import { GatewayExceptionFilter, gatewayFrameworkError } from './gateway-exception.filter.js';
import { GatewayModule } from './gateway.module.js';

/** Builds the gateway application (not yet listening), for main.ts and the tests. */
export async function createGateway(
  config: GatewayConfig,
  options: { log?: LogOptions; telemetry?: Telemetry } = {},
): Promise<NestFastifyApplication> {
  const telemetry = options.telemetry ?? Telemetry.create('gateway', config, options.log);
  // On shutdown every connection is closed, streams under way included (clients see the connection end and
  // retry): a kept-alive connection a client aborted mid-stream otherwise held the close for Fastify's
  // 72 s keep-alive timeout. Behind a load balancer, drain first (a preStop pause on Kubernetes).
  const adapter = new FastifyAdapter({
    genReqId: requestIdOf,
    routerOptions: { maxParamLength: 600 },
    forceCloseConnections: true,
    // NeMo's /apis/inference-gateway/v2/… onto the same routes.
    rewriteUrl: rewriteNemoUrl,
    frameworkErrors: gatewayFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, telemetry), adapter, {
    logger: telemetry.nest,
  });
  instrumentHttp(app.getHttpAdapter().getInstance(), {
    log: telemetry.log,
    registry: telemetry.registry ?? undefined,
    principalOf: (request) => requestAccess(request.raw)?.principal?.id,
    ownTelemetry: ownsTelemetry,
  });
  app.useGlobalFilters(new GatewayExceptionFilter());
  requireRouteDeclarations(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  await app.register(gatewayRoutes(app.get(RoutingTableService).proxy, app.get(GatewayAccess)));
  return app;
}
