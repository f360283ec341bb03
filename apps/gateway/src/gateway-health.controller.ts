import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RoutingTableService } from '#gateway';
import { Access } from '#auth';
import { NotReadyError, Readiness } from '#telemetry';

@Controller('health')
export class GatewayHealthController {
  constructor(
    private readonly routing: RoutingTableService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @Access('public')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready once the routing table has been loaded; it then answers from memory even while the database is away. */
  @Get('ready')
  @Access('public')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report({
      routing_table: () => {
        const { builtAt, providers, models } = this.routing.source.current;
        if (builtAt <= 0) return Promise.reject(new NotReadyError('not loaded'));
        return Promise.resolve(
          `loaded ${new Date(builtAt).toISOString()}: ${providers.size} providers, ${models.size} model entities`,
        );
      },
    });
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
