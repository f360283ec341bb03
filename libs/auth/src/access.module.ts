import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { AccessConfig } from '#config';
import { AccessGuard, AccessInterceptor } from './access.guard.js';
import { ACCESS_OPTIONS, AccessService, type AccessOptions } from './access.service.js';
import { AuditService } from './audit.service.js';
import { GatewayAccess } from './gateway-access.js';

/**
 * Access control for an application that serves requests: the guard and interceptor on every Nest
 * route, AccessService for the gateway's routes, AuditService for the audit hook. Needs the database
 * module (repositories, notifications) in the application.
 */
@Module({})
export class AccessModule {
  static forRoot(config: AccessConfig, options: AccessOptions = { bootstrap: false }): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: AccessConfig, useValue: config },
        { provide: ACCESS_OPTIONS, useValue: options },
        AccessService,
        AuditService,
        GatewayAccess,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AccessInterceptor },
      ],
      exports: [AccessConfig, AccessService, AuditService, GatewayAccess],
    };
  }

  /**
   * AccessService alone, for a process with no Nest routes to guard that still checks credentials
   * (the worker's `/metrics`); it starts without waiting for keys (AccessOptions.background).
   */
  static forChecks(config: AccessConfig): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      providers: [
        { provide: AccessConfig, useValue: config },
        { provide: ACCESS_OPTIONS, useValue: { bootstrap: false, background: true } satisfies AccessOptions },
        AccessService,
      ],
      exports: [AccessService],
    };
  }
}
