import { Module } from '@nestjs/common';
import { RoleBindingController } from './role-binding.controller.js';
import { RoleBindingService } from './role-binding.service.js';

@Module({ controllers: [RoleBindingController], providers: [RoleBindingService] })
export class RoleBindingModule {}
