import type {
  Adapter,
  DeploymentConfigVersion,
  DeploymentVersion,
  Model,
  ModelProvider,
  Secret,
  VirtualModel,
  Workspace,
} from '../generated/prisma/client.js';

/**
 * Read models for the hot paths (gets and lists), which run as SQL on the
 * pool Prisma also uses: Prisma 7's per-query overhead halved their
 * throughput (see bench/). Each table maps the Prisma field names to columns,
 * and rows are selected under the Prisma names, so callers get the same
 * types either way. Writes stay on Prisma.
 */
export interface TableDef<Row> {
  table: string;
  columns: { [K in keyof Row]: string };
}

/** `col AS "field", …` for a table's columns, optionally qualified with an alias. */
export function selectList<Row>(def: TableDef<Row>, alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return Object.entries(def.columns as Record<string, string>)
    .map(([field, column]) => (field === column ? `${prefix}${column}` : `${prefix}${column} AS "${field}"`))
    .join(', ');
}

const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;
/** Who created and last changed a row (principal ids; null for rows older than access control). */
const authorship = { createdBy: 'created_by', updatedBy: 'updated_by' } as const;

export const WORKSPACES: TableDef<Workspace> = {
  table: 'workspaces',
  columns: { id: 'id', name: 'name', description: 'description', ...timestamps, ...authorship },
};

export type SecretMeta = Pick<
  Secret,
  'id' | 'workspace' | 'name' | 'description' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy'
>;

export const SECRET_META: TableDef<SecretMeta> = {
  table: 'secrets',
  columns: {
    id: 'id',
    workspace: 'workspace',
    name: 'name',
    description: 'description',
    ...timestamps,
    ...authorship,
  },
};

export const MODELS: TableDef<Model> = {
  table: 'models',
  columns: {
    id: 'id',
    workspace: 'workspace',
    name: 'name',
    project: 'project',
    description: 'description',
    spec: 'spec',
    finetuningType: 'finetuning_type',
    fileset: 'fileset',
    trustRemoteCode: 'trust_remote_code',
    baseModel: 'base_model',
    apiEndpoint: 'api_endpoint',
    backendFormat: 'backend_format',
    prompt: 'prompt',
    customFields: 'custom_fields',
    ownership: 'ownership',
    modelProviders: 'model_providers',
    pricing: 'pricing',
    ...timestamps,
    ...authorship,
  },
};

export const ADAPTERS: TableDef<Adapter> = {
  table: 'adapters',
  columns: {
    id: 'id',
    workspace: 'workspace',
    name: 'name',
    modelWorkspace: 'model_workspace',
    modelName: 'model_name',
    description: 'description',
    fileset: 'fileset',
    finetuningType: 'finetuning_type',
    enabled: 'enabled',
    loraConfig: 'lora_config',
    ...timestamps,
    ...authorship,
  },
};

export const PROVIDERS: TableDef<ModelProvider> = {
  table: 'model_providers',
  columns: {
    id: 'id',
    workspace: 'workspace',
    name: 'name',
    project: 'project',
    description: 'description',
    hostUrl: 'host_url',
    apiKeySecretName: 'api_key_secret_name',
    servedModels: 'served_models',
    enabledModels: 'enabled_models',
    status: 'status',
    statusMessage: 'status_message',
    defaultExtraBody: 'default_extra_body',
    defaultExtraHeaders: 'default_extra_headers',
    requiredExtraBody: 'required_extra_body',
    requiredExtraHeaders: 'required_extra_headers',
    modelDeploymentId: 'model_deployment_id',
    authContext: 'auth_context',
    authHeaderFormat: 'auth_header_format',
    ...timestamps,
    ...authorship,
  },
};

export const CONFIG_VERSIONS: TableDef<DeploymentConfigVersion> = {
  table: 'deployment_config_versions',
  columns: {
    id: 'id',
    configId: 'config_id',
    workspace: 'workspace',
    name: 'name',
    version: 'version',
    isLatest: 'is_latest',
    project: 'project',
    description: 'description',
    engine: 'engine',
    modelEntityId: 'model_entity_id',
    modelSpec: 'model_spec',
    executorConfig: 'executor_config',
    createdAt: 'created_at',
    createdBy: 'created_by',
  },
};

export const DEPLOYMENT_VERSIONS: TableDef<DeploymentVersion> = {
  table: 'deployment_versions',
  columns: {
    id: 'id',
    deploymentId: 'deployment_id',
    workspace: 'workspace',
    name: 'name',
    version: 'version',
    isLatest: 'is_latest',
    project: 'project',
    configVersionId: 'config_version_id',
    configName: 'config_name',
    configVersion: 'config_version',
    status: 'status',
    statusMessage: 'status_message',
    statusReason: 'status_reason',
    statusChangedAt: 'status_changed_at',
    recoveryAttempts: 'recovery_attempts',
    endpoint: 'endpoint',
    modelProviderId: 'model_provider_id',
    modelEntitySpec: 'model_entity_spec',
    authContext: 'auth_context',
    revision: 'revision',
    ...timestamps,
    ...authorship,
  },
};

export const VIRTUAL_MODELS: TableDef<VirtualModel> = {
  table: 'virtual_models',
  columns: {
    id: 'id',
    workspace: 'workspace',
    name: 'name',
    project: 'project',
    defaultModelEntity: 'default_model_entity',
    models: 'models',
    requestMiddleware: 'request_middleware',
    responseMiddleware: 'response_middleware',
    postResponseMiddleware: 'post_response_middleware',
    autoprovisioned: 'autoprovisioned',
    dbVersion: 'db_version',
    ...timestamps,
    ...authorship,
  },
};
