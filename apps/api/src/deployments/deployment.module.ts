import { Module } from '@nestjs/common';
import { DeploymentController } from './deployment.controller.js';
import { DeploymentEvents } from './deployment-events.js';
import { DeploymentService } from './deployment.service.js';

@Module({ controllers: [DeploymentController], providers: [DeploymentService, DeploymentEvents] })
export class DeploymentModule {}
