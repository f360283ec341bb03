import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { type GatewayConfig, secretKeys } from '#config';
import { UsageRepository } from '#db';
import { PgNotifications } from '#db/notifications';
import { SecretCipher } from '#db/secret-cipher';
import { EgressPolicy } from '#egress';
import { Telemetry } from '#telemetry';
import { Balancer } from '../balancer.js';
import { GatewayMetrics } from '../gateway-metrics.js';
import { GatewayTelemetry, REQUEST_LINE_FIELDS } from '../gateway-telemetry.js';
import { GatewayProxy } from '../gateway.proxy.js';
import type { OutcomeSink } from '../request-outcome.js';
import { RoutingSource } from '../routing-source.js';
import { RoutingTableService } from './routing-table.service.js';
import { UsageRecorder } from './usage-recorder.js';

/**
 * The routing table and the proxy, for whichever Nest application serves the
 * gateway routes: the gateway app, or the API when it serves them too
 * (API_SERVES_GATEWAY). Register the routes with `gatewayRoutes(proxy)`.
 * Needs PgNotifications from the application's NotificationsModule (imported
 * by the root module, so the API and its gateway routes share one connection)
 * and the repositories of the (global) DatabaseModule.
 */
/** Every OutcomeSink of the gateway (an array): each finished request's RequestOutcome goes to each. */
export const OUTCOME_SINKS = Symbol('OUTCOME_SINKS');
/** The gateway's Prometheus metrics, or null when METRICS_ENABLED is off. */
export const GATEWAY_METRICS = Symbol('GATEWAY_METRICS');

@Module({})
export class GatewayCoreModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const logger = new Logger('Gateway');
    return {
      module: GatewayCoreModule,
      providers: [
        {
          provide: RoutingSource,
          inject: [PgNotifications],
          useFactory: (notifications: PgNotifications) =>
            new RoutingSource({
              databaseUrl: config.DATABASE_URL,
              notifications,
              cipher: new SecretCipher(secretKeys(config)),
              logger,
              refreshIntervalMs: config.GATEWAY_REFRESH_INTERVAL_MS,
            }),
        },
        { provide: Balancer, useFactory: () => new Balancer() },
        {
          provide: GATEWAY_METRICS,
          inject: [Telemetry, RoutingSource, Balancer],
          useFactory: (telemetry: Telemetry, source: RoutingSource, balancer: Balancer) =>
            telemetry.registry ? new GatewayMetrics(telemetry.registry, () => source.current, balancer) : null,
        },
        {
          // The metrics (unless METRICS_ENABLED is off) and the usage accounting (unless GATEWAY_USAGE_ACCOUNTING is).
          provide: OUTCOME_SINKS,
          inject: [GATEWAY_METRICS, UsageRecorder],
          useFactory: (metrics: GatewayMetrics | null, usage: UsageRecorder): OutcomeSink[] => [
            ...(metrics ? [metrics] : []),
            ...(config.GATEWAY_USAGE_ACCOUNTING ? [usage] : []),
          ],
        },
        {
          provide: GatewayProxy,
          inject: [RoutingSource, Telemetry, OUTCOME_SINKS, GATEWAY_METRICS, Balancer],
          useFactory: (
            source: RoutingSource,
            telemetry: Telemetry,
            sinks: OutcomeSink[],
            metrics: GatewayMetrics | null,
            balancer: Balancer,
          ) =>
            new GatewayProxy(
              source,
              {
                connectMs: config.GATEWAY_CONNECT_TIMEOUT_MS,
                firstByteMs: config.GATEWAY_FIRST_BYTE_TIMEOUT_MS,
                idleMs: config.GATEWAY_IDLE_TIMEOUT_MS,
                maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
                maxJsonDepth: config.GATEWAY_MAX_JSON_DEPTH,
                maxAttempts: config.GATEWAY_MAX_ATTEMPTS,
                retryAfterMaxMs: config.GATEWAY_RETRY_AFTER_MAX_MS,
                egress: EgressPolicy.fromAllowList(config.PROVIDER_EGRESS_ALLOW),
              },
              logger,
              new GatewayTelemetry({
                sinks,
                tracing: telemetry.tracing,
                log: telemetry.log,
                // Fixed fields, none free-form: a hot log (no redaction pass, written once per turn).
                lines: telemetry.hotLog(REQUEST_LINE_FIELDS),
                routing: metrics ?? undefined,
              }),
              balancer,
            ),
        },
        RoutingTableService,
        {
          // An OutcomeSink: usage per workspace, principal, key, model and provider, written once a tick.
          provide: UsageRecorder,
          inject: [UsageRepository],
          useFactory: (usage: UsageRepository) =>
            new UsageRecorder(usage, {
              enabled: config.GATEWAY_USAGE_ACCOUNTING,
              flushIntervalMs: config.GATEWAY_USAGE_FLUSH_INTERVAL_MS,
            }),
        },
      ],
      exports: [RoutingTableService, OUTCOME_SINKS, GATEWAY_METRICS, UsageRecorder],
    };
  }
}
