import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WorkerConfig } from '#config';
import { PrismaService } from '#db';
import { healthCheck, healthReport, type HealthReport } from '#domain';
import { ReconcileQueue } from '#queue';

/**
 * Liveness and readiness for Kubernetes probes. The worker has no HTTP API, so this is a bare node:http
 * server with two routes and the API's body shape (`{status, checks}`): `/health/live` answers while the
 * event loop runs; `/health/ready` answers 200 when PostgreSQL and Redis both answer, 503 naming what failed.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHealthServer.name);
  private server?: Server;

  constructor(
    private readonly prisma: PrismaService,
    private readonly queue: ReconcileQueue,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  /**
   * Called by createWorker once the worker runs. A port that cannot be bound fails start-up: a worker
   * its probes cannot reach would be restarted forever.
   */
  async listen(): Promise<void> {
    const { WORKER_HEALTH_PORT: port, WORKER_HEALTH_HOST: host } = this.config;
    if (port === 0) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.listen({ port, host });
    await once(server, 'listening');
    this.server = server;
    this.logger.log(`Health endpoints on http://${host}:${port}/health/live and /health/ready`);
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
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (req.method !== 'GET') return send(res, 405, { detail: 'Only GET is served' });
    if (path === '/health/live') return send(res, 200, { status: 'ok', checks: {} });
    if (path !== '/health/ready') return send(res, 404, { detail: `Not found: ${path}` });
    const report = await this.readiness();
    send(res, report.status === 'ok' ? 200 : 503, report);
  }

  private async readiness(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([
      healthCheck(() => this.prisma.$queryRaw`SELECT 1`),
      healthCheck(() => this.queue.ping()),
    ]);
    return healthReport({ database, redis });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
