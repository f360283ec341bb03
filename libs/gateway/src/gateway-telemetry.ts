import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HotLog, Logger, Tracing } from '#telemetry';
import { Exchange, type ExchangeHub, type GatewayRouteKind } from './exchange.js';
import { NO_ROUTING_EVENTS, type RoutingEvents } from './gateway-metrics.js';
import type { OutcomeSink, RequestOutcome } from './request-outcome.js';

export interface GatewayTelemetryParts {
  /** Every sink of OUTCOME_SINKS: each finished request goes to each. */
  sinks: readonly OutcomeSink[];
  tracing: Tracing;
  /** The process's logger (a sink's failure); none: not said. */
  log?: Logger | null;
  /** Where the line per request goes (Telemetry.hotLog over REQUEST_LINE_FIELDS); none: no lines. */
  lines?: HotLog | null;
  routing?: RoutingEvents;
}

/** The fields of the gateway's line per request, in the order GatewayTelemetry gives their values. */
export const REQUEST_LINE_FIELDS = [
  'request_id',
  'method',
  'route',
  'status',
  'duration_ms',
  'principal',
  'operation',
  'model',
  'provider',
  'cause',
  'input_tokens',
  'output_tokens',
  'ttft_ms',
] as const;

/** Milliseconds to a tenth, as the line gives them. */
const tenths = (ms: number) => Math.round(ms * 10) / 10;

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
  private readonly lines: HotLog | null;
  private readonly broken = new WeakSet<OutcomeSink>();

  constructor({ sinks, tracing, log, lines, routing }: GatewayTelemetryParts) {
    this.sinks = sinks;
    this.tracing = tracing;
    this.log = log ?? null;
    this.lines = lines ?? null;
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
        this.log?.error(
          { sink: sink.constructor.name, error: (error as Error)?.name ?? 'Error' },
          'An outcome sink failed; its later failures are not logged',
        );
      }
    }
    const lines = this.lines;
    const level = outcome.status >= 500 || outcome.status === 0 ? 'warn' : 'info';
    if (!lines || !lines.enabled(level)) return;
    const method = exchange.req.method ?? '';
    // Fixed fields only (REQUEST_LINE_FIELDS): never the body, the query string or a header.
    lines.write(
      level,
      [
        outcome.requestId,
        method,
        exchange.template,
        outcome.status,
        tenths(outcome.durationMs),
        outcome.principal,
        outcome.operation,
        outcome.model,
        outcome.provider,
        outcome.cause,
        outcome.inputTokens,
        outcome.outputTokens,
        outcome.timeToFirstTokenMs === null ? null : tenths(outcome.timeToFirstTokenMs),
      ],
      `${method} ${exchange.template} ${outcome.status}`,
    );
  }
}
