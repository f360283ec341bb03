import { Inject, Injectable } from '@nestjs/common';
import { ApiConfig } from '#config';
import { DeploymentsDisabledError } from '#domain';

/** Refuses deployment writes when the platform has no runtime (MODELPLANE_RUNTIME=none). */
@Injectable()
export class RuntimeGate {
  constructor(@Inject(ApiConfig) private readonly config: ApiConfig) {}

  assertEnabled(): void {
    if (this.config.MODELPLANE_RUNTIME === 'none') throw new DeploymentsDisabledError();
  }
}
