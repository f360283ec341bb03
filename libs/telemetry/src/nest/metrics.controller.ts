import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '#auth';
import { METRICS_CONTENT_TYPE } from '../metrics.js';
import { Telemetry } from '../telemetry.js';

@ApiTags('Observability')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly telemetry: Telemetry) {}

  @Get()
  @Access('metrics.read')
  @ApiOperation({
    summary: 'Prometheus metrics of this process (text exposition format); 404 when METRICS_ENABLED is off',
  })
  @ApiProduces(METRICS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format', schema: { type: 'string' } })
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const registry = this.telemetry.registry;
    if (!registry) throw new NotFoundException('Metrics are off (METRICS_ENABLED=false)');
    const text = await registry.metrics();
    await reply.status(200).header('content-type', METRICS_CONTENT_TYPE).send(text);
  }
}
