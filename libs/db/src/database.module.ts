import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PrismaService, type PrismaOptions } from './prisma.service.js';
import { REPOSITORIES } from './repositories/index.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: PrismaOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: PrismaService, useFactory: () => new PrismaService(options) }, ...REPOSITORIES],
      exports: [PrismaService, ...REPOSITORIES],
    };
  }
}
