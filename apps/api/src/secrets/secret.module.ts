import { Module } from '@nestjs/common';
import { SecretAdminController, SecretController } from './secret.controller.js';
import { SecretService } from './secret.service.js';

@Module({ controllers: [SecretController, SecretAdminController], providers: [SecretService] })
export class SecretModule {}
