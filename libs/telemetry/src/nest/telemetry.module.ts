import { type DynamicModule, Module } from '@nestjs/common';
import { Telemetry } from '../telemetry.js';
import { MetricsController } from './metrics.controller.js';

/** The process's Telemetry for every module; with `metricsRoute`, `GET /metrics` (the API and the gateway). */
@Module({})
export class TelemetryModule {
  static forRoot(telemetry: Telemetry, { metricsRoute }: { metricsRoute: boolean }): DynamicModule {
    return {
      module: TelemetryModule,
      global: true,
      providers: [{ provide: Telemetry, useValue: telemetry }],
      exports: [Telemetry],
      controllers: metricsRoute ? [MetricsController] : [],
    };
  }
}
