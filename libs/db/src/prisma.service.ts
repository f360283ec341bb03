import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export interface PrismaOptions {
  databaseUrl: string;
  poolSize: number;
}

/**
 * The one Prisma client of a process, over node-postgres through the driver
 * adapter. The pg pool is ours and shared: repositories run their hot reads
 * on it directly (see query/tables.ts), so a process holds one pool.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  readonly pool: pg.Pool;

  constructor(options: PrismaOptions) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
    // Transactions wait for a pooled connection as the plain queries do, not Prisma's default 2 s:
    // a burst of writes on a busy host queues instead of failing with a 500.
    super({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 15_000 } });
    this.pool = pool;
    // An idle connection that the server ends (a restart, a failover, an administrator) is an 'error' event on
    // the pool; unheard, it would end the process. The pool drops that connection and opens another when needed.
    pool.on('error', (error) =>
      this.logger.warn(`An idle database connection ended (${error.message}); replaced on demand`),
    );
  }

  /**
   * Closed in the last shutdown phase, after the workers drained their jobs in
   * `beforeApplicationShutdown`: a job still running must find the pool open.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ended) await this.pool.end();
    this.logger.debug('Database pool closed');
  }
}

export type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
