import { Module } from '@nestjs/common';
import { AdapterController, ModelAdapterController } from './adapter.controller.js';
import { AdapterService } from './adapter.service.js';

@Module({ controllers: [AdapterController, ModelAdapterController], providers: [AdapterService] })
export class AdapterModule {}
