import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiConfig } from '#config';
import { migrationPaths, PrismaService } from '#db';
import { migrationStatus } from '#db/migrations';
import type { FastifyReply } from 'fastify';

class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { database: 'ok', migrations: 'ok' },
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
    @Inject(ApiConfig) private readonly config: ApiConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is serving requests' })
  @ApiOkResponse({ type: HealthDto })
  live(): HealthDto {
    return { status: 'ok', checks: {} };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL answers and every migration is applied' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks: Record<string, string> = {};
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    if (checks.database === 'ok') checks.migrations = await this.migrations();
    const ok = Object.values(checks).every((v) => v === 'ok');
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
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
