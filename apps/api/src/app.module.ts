import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from '#auth';
import { ApiConfig, type GatewayConfig, secretKeys } from '#config';
import { GatewayCoreModule } from '#gateway';
import { DatabaseModule, NotificationsModule, SecretCipher } from '#db';
import { queueBackend, ReconcileQueue } from '#queue';
import { currentOrigin, TelemetryModule, type Telemetry } from '#telemetry';
import { AdapterModule } from './adapters/adapter.module.js';
import { AuditEventModule } from './audit/audit-event.module.js';
import { AuthDiscoveryModule } from './auth-discovery/auth-discovery.module.js';
import { RuntimeGate } from './common/runtime-gate.js';
import { WorkspaceScope } from './common/workspace-scope.js';
import { DeploymentConfigModule } from './deployment-configs/deployment-config.module.js';
import { DeploymentModule } from './deployments/deployment.module.js';
import { HealthModule } from './health/health.module.js';
import { MemberModule } from './members/member.module.js';
import { IamModule } from './iam/iam.module.js';
import { ModelModule } from './models/model.module.js';
import { ProviderModule } from './providers/provider.module.js';
import { RoleBindingModule } from './role-bindings/role-binding.module.js';
import { SecretModule } from './secrets/secret.module.js';
import { UsageModule } from './usage/usage.module.js';
import { VirtualModelModule } from './virtual-models/virtual-model.module.js';
import { WorkspaceModule } from './workspaces/workspace.module.js';

/** Process-wide values every feature module may inject. */
@Module({})
class CoreModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: ApiConfig, useValue: config },
        { provide: SecretCipher, useValue: new SecretCipher(secretKeys(config)) },
        {
          provide: ReconcileQueue,
          useFactory: () =>
            new ReconcileQueue(queueBackend(config), {
              timeoutMs: config.QUEUE_ENQUEUE_TIMEOUT_MS,
              origin: currentOrigin,
            }),
        },
        RuntimeGate,
        WorkspaceScope,
      ],
      exports: [ApiConfig, SecretCipher, ReconcileQueue, RuntimeGate, WorkspaceScope],
    };
  }
}

@Module({})
export class AppModule {
  /** With `gateway`, the inference gateway's routing table and proxy come along (see createApp). */
  static forRoot(config: ApiConfig, telemetry: Telemetry, gateway?: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TelemetryModule.forRoot(telemetry, { metricsRoute: true }),
        ...(gateway ? [GatewayCoreModule.forRoot(gateway)] : []),
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        NotificationsModule.forRoot({ databaseUrl: config.DATABASE_URL }),
        AccessModule.forRoot(config, { bootstrap: true }),
        HealthModule.forRoot({ timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS }),
        IamModule,
        WorkspaceModule,
        SecretModule,
        ModelModule,
        AdapterModule,
        ProviderModule,
        DeploymentConfigModule,
        DeploymentModule,
        VirtualModelModule,
        AuditEventModule,
        UsageModule,
        MemberModule,
        RoleBindingModule,
        AuthDiscoveryModule,
      ],
    };
  }
}
