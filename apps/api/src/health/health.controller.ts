import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiConfig } from '#config';
import { migrationPaths, PrismaService } from '#db';
import { migrationStatus } from '#db/migrations';
import { healthCheck, healthReport } from '#domain';
import { ReconcileQueue } from '#queue';
import type { FastifyReply } from 'fastify';
import { Access } from '#auth';

class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { database: 'ok', migrations: 'ok', redis: 'ok' },
  })
  checks!: Record<string, string>;
}

@ApiTags('Health')
@Controller('health')
export class HealthController {
  /** Once every migration is seen applied, it stays so for this process. */
  private migrationsApplied = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly queue: ReconcileQueue,
    @Inject(ApiConfig) private readonly config: ApiConfig,
  ) {}

  @Get('live')
  @Access('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is serving requests' })
  @ApiOkResponse({ type: HealthDto })
  live(): HealthDto {
    return { status: 'ok', checks: {} };
  }

  @Get('ready')
  @Access('public')
  @ApiOperation({
    summary: 'Readiness: PostgreSQL answers, every migration is applied, and Redis (the job queue) answers',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([
      healthCheck(() => this.prisma.$queryRaw`SELECT 1`),
      healthCheck(() => this.queue.ping()),
    ]);
    const checks: Record<string, string> = { database };
    if (database === 'ok') checks.migrations = await this.migrations();
    const report = healthReport({ ...checks, redis });
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  private async migrations(): Promise<string> {
    if (this.migrationsApplied) return 'ok';
    try {
      const status = await migrationStatus({ databaseUrl: this.config.DATABASE_URL, ...migrationPaths() });
      this.migrationsApplied = status.upToDate;
      return status.upToDate ? 'ok' : `pending: ${status.pending.join(', ')}`;
    } catch {
      return 'unknown';
    }
  }
}
