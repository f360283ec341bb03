import { Module } from '@nestjs/common';
import { AuthDiscoveryController } from './auth-discovery.controller.js';
import { AuthDiscoveryService } from './auth-discovery.service.js';

@Module({ controllers: [AuthDiscoveryController], providers: [AuthDiscoveryService] })
export class AuthDiscoveryModule {}
