import { Module } from '@nestjs/common';
import { VirtualModelController } from './virtual-model.controller.js';
import { VirtualModelService } from './virtual-model.service.js';

@Module({ controllers: [VirtualModelController], providers: [VirtualModelService] })
export class VirtualModelModule {}
