import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WorkerConfig } from '#config';
import { PrismaService } from '#db';
import { ReconcileQueue } from '#queue';

/**
 * Longest one readiness check may take: a dependency that hangs (a dropped packet, not a refused
 * connection) reads as down before the probe's own timeout turns it into an opaque failure.
 */
const CHECK_TIMEOUT_MS = 2000;

interface HealthBody {
  status: 'ok' | 'unavailable';
  checks: Record<string, string>;
}

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
    const body = await this.readiness();
    send(res, body.status === 'ok' ? 200 : 503, body);
  }

  private async readiness(): Promise<HealthBody> {
    const [database, redis] = await Promise.all([
      check(() => this.prisma.$queryRaw`SELECT 1`),
      check(() => this.queue.ping()),
    ]);
    const checks = { database, redis };
    return { status: database === 'ok' && redis === 'ok' ? 'ok' : 'unavailable', checks };
  }
}

/** `ok`, `unreachable` (it failed) or `timeout` (no answer within CHECK_TIMEOUT_MS). */
async function check(fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((done) => {
    timer = setTimeout(() => done('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      fn().then(
        () => 'ok',
        () => 'unreachable',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
