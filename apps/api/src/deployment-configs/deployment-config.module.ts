import { Module } from '@nestjs/common';
import { DeploymentConfigController } from './deployment-config.controller.js';
import { DeploymentConfigService } from './deployment-config.service.js';

@Module({ controllers: [DeploymentConfigController], providers: [DeploymentConfigService] })
export class DeploymentConfigModule {}
