import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  AccessService,
  AuditService,
  authenticateEarly,
  BEARER_SCHEME,
  GatewayAccess,
  requestAccess,
  requireRouteDeclarations,
} from '#auth';
import { ApiConfig, type GatewayConfig } from '#config';
import { rewriteNemoUrl } from '#domain';
import { gatewayRoutes, ownsTelemetry, RoutingTableService } from '#gateway';
import { instrumentHttp, requestIdOf, Telemetry, type LogOptions } from '#telemetry';
import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { AppModule } from './app.module.js';
import { answerClientError, answerFrameworkError, MAX_PATH_SEGMENT } from './common/client-errors.js';
import { HttpExceptionFilter } from './common/exception.filter.js';
import { addErrorExamples } from './common/openapi.errors.js';
import { useJsonBodies } from './common/json-body.js';
import { createValidationPipe } from './common/validation.js';

export interface CreateAppOptions {
  /** Where and how much to log (tests capture log lines through it); LOG_LEVEL and standard output otherwise. */
  log?: LogOptions;
  /** The process's telemetry, when main.ts made it first (for its own start-up lines); else made from `log`. */
  telemetry?: Telemetry;
  /** Serve the inference gateway's routes too, with these settings (main.ts: when API_SERVES_GATEWAY). */
  gateway?: GatewayConfig;
}

/**
 * Builds the API application (not yet listening). Used by main.ts, the tests
 * and the OpenAPI generator, so all three serve exactly the same app.
 */
export async function createApp(config: ApiConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const telemetry = options.telemetry ?? Telemetry.create('api', config, options.log);
  const adapter = new FastifyAdapter({
    genReqId: requestIdOf,
    bodyLimit: config.MAX_BODY_BYTES,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // NeMo's path families (/apis/models/v2/…, …) onto the same routes, in NeMo's vocabulary.
    rewriteUrl: rewriteNemoUrl,
    routerOptions: {
      // Brackets (filter[name][$like]=x) need a parser that nests; depth and list sizes are bounded.
      querystringParser: (str: string) =>
        qs.parse(str, { depth: 5, arrayLimit: 1000, parameterLimit: 2000, allowPrototypes: false }),
      maxParamLength: MAX_PATH_SEGMENT,
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, telemetry, options.gateway),
    adapter,
    {
      logger: telemetry.nest,
      bufferLogs: false,
      // Nest's parsers would accept forms; the API reads JSON only (see useJsonBodies).
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // First: every later hook and the handler run inside the request's context (its id in every log line).
  instrumentHttp(fastify, {
    log: telemetry.log,
    registry: telemetry.registry ?? undefined,
    principalOf: (request) => requestAccess(request.raw)?.principal?.id,
    ownTelemetry: ownsTelemetry,
  });
  requireRouteDeclarations(fastify, ['/docs']);
  useJsonBodies(fastify, config.MAX_JSON_DEPTH);
  const audit = app.get(AuditService);
  fastify.addHook('onResponse', (request, reply) => audit.onResponse(request, reply));
  const filter = new HttpExceptionFilter(config.MAX_BODY_BYTES);
  app.useGlobalFilters(filter);
  fastify.addHook(
    'onRequest',
    authenticateEarly(app.get(AccessService), (error, reply) => filter.reply(error, reply)),
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (options.gateway) {
    // The gateway's routes live outside Nest, so Nest's filter never sees what Fastify refuses there (a
    // malformed Content-Type): a scope of their own answers it in our shape.
    const routes = gatewayRoutes(app.get(RoutingTableService).proxy, app.get(GatewayAccess));
    await app.register(async (scope: FastifyInstance) => {
      scope.setErrorHandler((error, _request, reply) => filter.reply(error, reply));
      await scope.register(routes);
    });
  }
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
  return app;
}

export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Modelplane API')
    .setDescription(
      'Model registry and deployment control plane. Wire-compatible with the NeMo Platform Models service: ' +
        'workspaces, secrets, model entities, model providers, versioned deployment configs and deployments.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key (`mp_…`) or an OIDC access token.' },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return addErrorExamples(document, app.get(ApiConfig).MAX_BODY_BYTES);
}
