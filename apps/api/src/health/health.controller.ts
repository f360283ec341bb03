import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiConfig } from '#config';
import { migrationPaths, PrismaService } from '#db';
import { migrationStatus } from '#db/migrations';
import { ReconcileQueue } from '#queue';
import { NotReadyError, Readiness } from '#telemetry';
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
    private readonly readiness: Readiness,
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
    summary:
      'Readiness: PostgreSQL answers, every migration is applied, and the job queue (Redis or PostgreSQL) answers',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report({
      database: () => this.prisma.$queryRaw`SELECT 1`,
      migrations: () => this.migrations(),
      [this.queue.check]: () => this.queue.ping(),
    });
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  /** Every migration applied; once seen so, it stays so for this process. */
  private async migrations(): Promise<void> {
    if (this.migrationsApplied) return;
    const status = await migrationStatus({ databaseUrl: this.config.DATABASE_URL, ...migrationPaths() });
    if (!status.upToDate) throw new NotReadyError(`pending: ${status.pending.join(', ')}`);
    this.migrationsApplied = true;
  }
}
