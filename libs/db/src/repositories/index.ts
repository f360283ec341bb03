import { AdapterRepository } from './adapter.repository.js';
import { AuditRepository } from './audit.repository.js';
import { AccessRepository } from './access.repository.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { DeploymentConfigRepository } from './deployment-config.repository.js';
import { DeploymentRepository } from './deployment.repository.js';
import { ModelRepository } from './model.repository.js';
import { ProviderRepository } from './provider.repository.js';
import { RoleBindingRepository } from './role-binding.repository.js';
import { SecretRepository } from './secret.repository.js';
import { UsageRepository } from './usage.repository.js';
import { VirtualModelRepository } from './virtual-model.repository.js';
import { WorkspaceRepository } from './workspace.repository.js';

export * from './access.repository.js';
export * from './adapter.repository.js';
export * from './api-key.repository.js';
export * from './audit.repository.js';
export * from './deployment-config.repository.js';
export * from './deployment.repository.js';
export * from './list.js';
export * from './model.repository.js';
export * from './provider.repository.js';
export * from './role-binding.repository.js';
export * from './secret.repository.js';
export * from './usage.repository.js';
export * from './virtual-model.repository.js';
export * from './workspace.repository.js';

export const REPOSITORIES = [
  AccessRepository,
  ApiKeyRepository,
  AuditRepository,
  RoleBindingRepository,
  WorkspaceRepository,
  SecretRepository,
  ModelRepository,
  AdapterRepository,
  ProviderRepository,
  DeploymentConfigRepository,
  DeploymentRepository,
  VirtualModelRepository,
  UsageRepository,
];
