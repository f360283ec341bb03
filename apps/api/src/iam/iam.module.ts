import { Module } from '@nestjs/common';
import { ApiKeyController } from './api-key.controller.js';
import { ApiKeyService } from './api-key.service.js';

/** Identity and access management: API keys and whoami (members and role bindings live beside them). */
@Module({ controllers: [ApiKeyController], providers: [ApiKeyService] })
export class IamModule {}
