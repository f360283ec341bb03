import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AccessService } from '#auth';
import { WorkerConfig } from '#config';
import { PrismaService } from '#db';
import { DomainError, TooManyAuthFailuresError, UnauthenticatedError } from '#domain';
import { ReconcileQueue } from '#queue';
import type { Runtime } from '#runtime';
import { METRICS_CONTENT_TYPE, Readiness, Telemetry } from '#telemetry';
import { RUNTIME } from '../tokens.js';

/** The refusals `/metrics` answers, by domain error kind (as the API's error filter maps them). */
const REFUSAL_STATUS: Partial<Record<DomainError['kind'], number>> = {
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
};

/**
 * Liveness, readiness and metrics. The worker has no HTTP API, so this is a bare node:http server with
 * the API's body shape (`{status, checks}`): `/health/live` answers while the event loop runs;
 * `/health/ready` answers 200 when PostgreSQL, the job queue (check `redis`, or `queue` on PostgreSQL) and
 * the runtime answer, 503 naming what failed;
 * `/metrics` serves the worker's registry to a caller with `metrics.read` (the API's rule: an API key
 * with the `metrics` scope), 404 when METRICS_ENABLED is off.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHealthServer.name);
  private server?: Server;

  constructor(
    private readonly prisma: PrismaService,
    private readonly queue: ReconcileQueue,
    private readonly readiness: Readiness,
    private readonly telemetry: Telemetry,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
    /** Present when metrics are served (METRICS_ENABLED and a health port). */
    @Optional() private readonly access?: AccessService,
  ) {}

  /**
   * Called by createWorker once the worker runs. A port that cannot be bound fails start-up: a worker
   * its probes cannot reach would be restarted forever.
   */
  async listen(): Promise<void> {
    const { WORKER_HEALTH_PORT: port, WORKER_HEALTH_HOST: host } = this.config;
    if (port === 0) return;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        this.logger.error(`${req.method} ${pathOf(req)}: ${error.message}`);
        if (!res.headersSent) send(res, 500, { detail: 'Internal error' });
        else res.destroy();
      });
    });
    server.listen({ port, host });
    await once(server, 'listening');
    this.server = server;
    this.logger.log(`Health endpoints on http://${host}:${port}/health/live and /health/ready; metrics on /metrics`);
  }

  /** Closed last, so liveness keeps answering while the workers drain their jobs. */
  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (req.method !== 'GET') return send(res, 405, { detail: 'Only GET is served' });
    if (path === '/health/live') return send(res, 200, { status: 'ok', checks: {} });
    if (path === '/health/ready') {
      const report = await this.readiness.report({
        database: () => this.prisma.$queryRaw`SELECT 1`,
        [this.queue.check]: () => this.queue.ping(),
        runtime: () => this.runtime.ping(),
      });
      return send(res, report.status === 'ok' ? 200 : 503, report);
    }
    if (path === '/metrics') return this.metrics(req, res);
    send(res, 404, { detail: `Not found: ${path}` });
  }

  private async metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const registry = this.telemetry.registry;
    if (!registry || !this.access) return send(res, 404, { detail: 'Metrics are off (METRICS_ENABLED=false)' });
    try {
      const principal = await this.access.authenticate(req.headers.authorization, req.socket.remoteAddress ?? '');
      this.access.authorize(principal, 'metrics.read', null);
    } catch (error) {
      const status = error instanceof DomainError ? REFUSAL_STATUS[error.kind] : undefined;
      if (status === undefined) throw error;
      const headers: Record<string, string> = {};
      if (error instanceof UnauthenticatedError) headers['www-authenticate'] = error.challenge;
      if (error instanceof TooManyAuthFailuresError) headers['retry-after'] = String(error.retryAfterSeconds);
      return send(res, status, { detail: (error as DomainError).message, code: (error as DomainError).code }, headers);
    }
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://worker').pathname;
  } catch {
    return '/';
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}
