import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { GatewayProxy } from '../gateway.proxy.js';
import { RoutingSource } from '../routing-source.js';

/** Owns the routing table and the proxy for the Nest application: loaded before listening, closed last. */
@Injectable()
export class RoutingTableService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Gateway');

  constructor(
    readonly source: RoutingSource,
    readonly proxy: GatewayProxy,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.source.start();
    const { providers, models } = this.source.current;
    this.logger.log(`Routing table loaded: ${providers.size} providers, ${models.size} routable model entities`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.source.close();
    await this.proxy.close();
  }
}
