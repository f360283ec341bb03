import { Module } from '@nestjs/common';
import { AuditEventController } from './audit-event.controller.js';
import { AuditEventService } from './audit-event.service.js';

@Module({ controllers: [AuditEventController], providers: [AuditEventService] })
export class AuditEventModule {}
