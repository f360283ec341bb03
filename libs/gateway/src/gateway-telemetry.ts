import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Tracing } from '#telemetry';
import { Exchange, type ExchangeHub, type GatewayRouteKind } from './exchange.js';
import { NO_ROUTING_EVENTS, type RoutingEvents } from './gateway-metrics.js';
import type { OutcomeSink, RequestOutcome } from './request-outcome.js';

export interface GatewayTelemetryParts {
  /** Every sink of OUTCOME_SINKS: each finished request goes to each. */
  sinks: readonly OutcomeSink[];
  tracing: Tracing;
  /** The process's logger (one line per request at `info`); none: no lines. */
  log?: Logger | null;
  routing?: RoutingEvents;
}

/**
 * Where the gateway's requests are observed: opens an Exchange per request, and when it finishes hands
 * its RequestOutcome to the sinks and writes its one log line. A sink that throws is skipped (and said
 * once): it never reaches the request, which is answered by then anyway.
 */
export class GatewayTelemetry implements ExchangeHub {
  readonly sinks: readonly OutcomeSink[];
  readonly tracing: Tracing;
  readonly routing: RoutingEvents;
  private readonly log: Logger | null;
  private readonly broken = new WeakSet<OutcomeSink>();

  constructor({ sinks, tracing, log, routing }: GatewayTelemetryParts) {
    this.sinks = sinks;
    this.tracing = tracing;
    this.log = log ?? null;
    this.routing = routing ?? NO_ROUTING_EVENTS;
  }

  open(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    route: GatewayRouteKind,
    template: string,
    workspace: string,
  ): Exchange {
    return new Exchange(this, req, res, requestId, route, template, workspace);
  }

  finish(exchange: Exchange, outcome: RequestOutcome): void {
    for (const sink of this.sinks) {
      try {
        sink.record(outcome);
      } catch (error) {
        if (this.broken.has(sink)) continue;
        this.broken.add(sink);
        // Names only: the flat logger takes fixed fields, never an error object.
        this.log?.error(
          { sink: sink.constructor.name, error: (error as Error)?.name ?? 'Error' },
          'An outcome sink failed; its later failures are not logged',
        );
      }
    }
    const log = this.log;
    const level = outcome.status >= 500 || outcome.status === 0 ? 'warn' : 'info';
    if (!log || !log.isLevelEnabled(level)) return;
    const method = exchange.req.method ?? '';
    // Fixed fields only: never the body, the query string or a header.
    log[level](
      {
        request_id: outcome.requestId,
        method,
        route: exchange.template,
        status: outcome.status,
        duration_ms: Math.round(outcome.durationMs * 10) / 10,
        principal: outcome.principal,
        operation: outcome.operation,
        model: outcome.model,
        provider: outcome.provider,
        cause: outcome.cause,
        input_tokens: outcome.inputTokens,
        output_tokens: outcome.outputTokens,
        ttft_ms: outcome.timeToFirstTokenMs === null ? null : Math.round(outcome.timeToFirstTokenMs * 10) / 10,
      },
      `${method} ${exchange.template} ${outcome.status}`,
    );
  }
}
