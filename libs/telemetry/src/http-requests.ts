import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Histogram, LATENCY_BUCKETS, type Registry } from './metrics.js';
import { runAsWork, traceContextOf } from './request-context.js';

export interface HttpTelemetryOptions {
  log: Logger;
  /** Where `http_server_request_duration_seconds` is kept; none: not counted. */
  registry?: Registry;
  /** The caller's principal id once known (never a credential). */
  principalOf(request: FastifyRequest): string | undefined;
  /** Requests that write their own line and metrics (the gateway's routes). */
  ownTelemetry?(request: FastifyRequest): boolean;
}

/** Routes whose requests are counted but not logged at `info` (probes and scrapes every few seconds). */
const QUIET = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Per request: its id (the client's `x-request-id` when reasonable, else a new one; see the app's genReqId)
 * in the response and in every log line written while it is handled; one log line when it is answered
 * (method, route template, status, duration, request id, principal; never the query string, which may
 * carry a credential); and the request-duration histogram by route template and status code.
 * Registered first, so every later hook runs inside the request's context.
 */
export function instrumentHttp(fastify: FastifyInstance, options: HttpTelemetryOptions): void {
  const { log, registry } = options;
  const duration = registry
    ? new Histogram({
        name: 'http_server_request_duration_seconds',
        help: 'HTTP requests by method, route template and status code (OpenTelemetry http.server.request.duration)',
        labelNames: ['method', 'route', 'status_code'] as const,
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      })
    : undefined;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    runAsWork({ requestId: String(request.id), ...traceContextOf(request.headers) }, done);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (options.ownTelemetry?.(request)) return done();
    const route = request.routeOptions.url ?? '(unmatched)';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    duration?.observe({ method: request.method, route, status_code: String(status) }, seconds);
    // A probe's 503 is its answer (not ready), not a failure of the request: a warning, not an error.
    const level = QUIET.has(route) ? (status >= 500 ? 'warn' : 'debug') : status >= 500 ? 'error' : 'info';
    if (log.isLevelEnabled(level)) {
      log[level](
        {
          request_id: String(request.id),
          method: request.method,
          route,
          status,
          duration_ms: Math.round(reply.elapsedTime * 10) / 10,
          principal: options.principalOf(request),
        },
        `${request.method} ${route} ${status}`,
      );
    }
    done();
  });
}
