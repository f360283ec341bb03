import { Module, type DynamicModule } from '@nestjs/common';
import { ReadinessModule } from '#telemetry';
import { HealthController } from './health.controller.js';

@Module({})
export class HealthModule {
  /** `timeoutMs`: HEALTH_CHECK_TIMEOUT_MS, the limit of each readiness check. */
  static forRoot({ timeoutMs }: { timeoutMs: number }): DynamicModule {
    return { module: HealthModule, imports: [ReadinessModule.forRoot({ timeoutMs })], controllers: [HealthController] };
  }
}
