import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RoutingTableService } from '#gateway';
import { Access } from '#auth';

@Controller('health')
export class GatewayHealthController {
  constructor(private readonly routing: RoutingTableService) {}

  @Get('live')
  @Access('public')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready once the routing table has been loaded; it then answers from memory even while the database is away. */
  @Get('ready')
  @Access('public')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const { builtAt, providers, models } = this.routing.source.current;
    const ok = builtAt > 0;
    await reply.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      checks: {
        routing_table: ok
          ? `loaded ${new Date(builtAt).toISOString()}: ${providers.size} providers, ${models.size} model entities`
          : 'not loaded',
      },
    });
  }
}
