-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('CREATED', 'PENDING', 'READY', 'FAILED', 'DELETING', 'DELETED');

-- CreateEnum
CREATE TYPE "ProviderStatus" AS ENUM ('UNKNOWN', 'CREATED', 'PENDING', 'READY', 'ERROR', 'DELETING', 'DELETED', 'LOST');

-- CreateEnum
CREATE TYPE "DeploymentEngine" AS ENUM ('nim', 'vllm', 'generic');

-- CreateTable
CREATE TABLE "workspaces" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "secrets" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "models" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "project" TEXT,
    "description" TEXT,
    "spec" JSONB,
    "finetuning_type" TEXT,
    "fileset" TEXT,
    "trust_remote_code" BOOLEAN NOT NULL DEFAULT false,
    "base_model" TEXT,
    "api_endpoint" JSONB,
    "backend_format" TEXT,
    "adapters" JSONB,
    "prompt" JSONB,
    "custom_fields" JSONB NOT NULL DEFAULT '{}',
    "ownership" JSONB,
    "model_providers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_providers" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "project" TEXT,
    "description" TEXT,
    "host_url" TEXT NOT NULL,
    "api_key_secret_name" TEXT,
    "served_models" JSONB NOT NULL DEFAULT '[]',
    "enabled_models" JSONB,
    "status" "ProviderStatus" NOT NULL DEFAULT 'UNKNOWN',
    "status_message" TEXT NOT NULL DEFAULT '',
    "default_extra_body" JSONB,
    "default_extra_headers" JSONB,
    "required_extra_body" JSONB,
    "required_extra_headers" JSONB,
    "model_deployment_id" TEXT,
    "auth_context" JSONB,
    "auth_header_format" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "model_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_configs" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "latest_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "deployment_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_config_versions" (
    "id" TEXT NOT NULL,
    "config_id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "is_latest" BOOLEAN NOT NULL,
    "project" TEXT,
    "description" TEXT,
    "engine" "DeploymentEngine" NOT NULL,
    "model_entity_id" TEXT,
    "model_spec" JSONB NOT NULL,
    "executor_config" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_config_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "latest_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_versions" (
    "id" TEXT NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "is_latest" BOOLEAN NOT NULL,
    "project" TEXT,
    "config_version_id" TEXT,
    "config_name" TEXT NOT NULL,
    "config_version" INTEGER NOT NULL,
    "status" "DeploymentStatus" NOT NULL,
    "status_message" TEXT NOT NULL DEFAULT '',
    "model_provider_id" TEXT,
    "auth_context" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "deployment_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_status_events" (
    "id" BIGSERIAL NOT NULL,
    "deployment_version_id" TEXT NOT NULL,
    "status" "DeploymentStatus" NOT NULL,
    "status_message" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_status_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_name_key" ON "workspaces"("name");

-- CreateIndex
CREATE INDEX "workspaces_created_at_idx" ON "workspaces"("created_at");

-- CreateIndex
CREATE INDEX "secrets_workspace_created_at_idx" ON "secrets"("workspace", "created_at");

-- CreateIndex
CREATE INDEX "secrets_key_id_idx" ON "secrets"("key_id");

-- CreateIndex
CREATE UNIQUE INDEX "secrets_workspace_name_key" ON "secrets"("workspace", "name");

-- CreateIndex
CREATE INDEX "models_workspace_created_at_idx" ON "models"("workspace", "created_at");

-- CreateIndex
CREATE INDEX "models_workspace_updated_at_idx" ON "models"("workspace", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "models_workspace_name_key" ON "models"("workspace", "name");

-- CreateIndex
CREATE INDEX "model_providers_workspace_created_at_idx" ON "model_providers"("workspace", "created_at");

-- CreateIndex
CREATE INDEX "model_providers_workspace_status_idx" ON "model_providers"("workspace", "status");

-- CreateIndex
CREATE INDEX "model_providers_model_deployment_id_idx" ON "model_providers"("model_deployment_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_providers_workspace_name_key" ON "model_providers"("workspace", "name");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_configs_workspace_name_key" ON "deployment_configs"("workspace", "name");

-- CreateIndex
CREATE INDEX "deployment_config_versions_workspace_is_latest_created_at_idx" ON "deployment_config_versions"("workspace", "is_latest", "created_at");

-- CreateIndex
CREATE INDEX "deployment_config_versions_workspace_model_entity_id_idx" ON "deployment_config_versions"("workspace", "model_entity_id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_config_versions_workspace_name_version_key" ON "deployment_config_versions"("workspace", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_config_versions_config_id_version_key" ON "deployment_config_versions"("config_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "deployments_workspace_name_key" ON "deployments"("workspace", "name");

-- CreateIndex
CREATE INDEX "deployment_versions_workspace_is_latest_created_at_idx" ON "deployment_versions"("workspace", "is_latest", "created_at");

-- CreateIndex
CREATE INDEX "deployment_versions_workspace_status_idx" ON "deployment_versions"("workspace", "status");

-- CreateIndex
CREATE INDEX "deployment_versions_status_idx" ON "deployment_versions"("status");

-- CreateIndex
CREATE INDEX "deployment_versions_config_version_id_idx" ON "deployment_versions"("config_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_versions_workspace_name_version_key" ON "deployment_versions"("workspace", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_versions_deployment_id_version_key" ON "deployment_versions"("deployment_id", "version");

-- CreateIndex
CREATE INDEX "deployment_status_events_deployment_version_id_id_idx" ON "deployment_status_events"("deployment_version_id", "id");

-- AddForeignKey
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_providers" ADD CONSTRAINT "model_providers_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_providers" ADD CONSTRAINT "model_providers_workspace_api_key_secret_name_fkey" FOREIGN KEY ("workspace", "api_key_secret_name") REFERENCES "secrets"("workspace", "name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_configs" ADD CONSTRAINT "deployment_configs_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_config_versions" ADD CONSTRAINT "deployment_config_versions_config_id_fkey" FOREIGN KEY ("config_id") REFERENCES "deployment_configs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_config_versions" ADD CONSTRAINT "deployment_config_versions_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_versions" ADD CONSTRAINT "deployment_versions_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_versions" ADD CONSTRAINT "deployment_versions_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_versions" ADD CONSTRAINT "deployment_versions_config_version_id_fkey" FOREIGN KEY ("config_version_id") REFERENCES "deployment_config_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_status_events" ADD CONSTRAINT "deployment_status_events_deployment_version_id_fkey" FOREIGN KEY ("deployment_version_id") REFERENCES "deployment_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
