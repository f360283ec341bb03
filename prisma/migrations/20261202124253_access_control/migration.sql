-- CreateEnum
CREATE TYPE "Role" AS ENUM ('Viewer', 'Editor', 'Admin', 'PlatformAdmin');

-- CreateEnum
CREATE TYPE "PrincipalKind" AS ENUM ('user', 'service_account');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('success', 'denied', 'failed');

-- AlterTable
ALTER TABLE "deployment_config_versions" ADD COLUMN     "created_by" TEXT;

-- AlterTable
ALTER TABLE "deployment_configs" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "deployment_versions" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "model_providers" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "models" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "secrets" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "created_by" TEXT,
ADD COLUMN     "updated_by" TEXT;

-- CreateTable
CREATE TABLE "principals" (
    "id" TEXT NOT NULL,
    "kind" "PrincipalKind" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "principals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "workspace" TEXT,
    "scopes" TEXT[],
    "prefix" TEXT NOT NULL,
    "key_hash" BYTEA NOT NULL,
    "expires_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "revoked_by" TEXT,
    "replaced_by" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_bindings" (
    "id" TEXT NOT NULL,
    "workspace" TEXT,
    "principal" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "granted_by" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "principal" TEXT,
    "key_id" TEXT,
    "workspace" TEXT,
    "action" TEXT NOT NULL,
    "resource" TEXT,
    "version" INTEGER,
    "outcome" "AuditOutcome" NOT NULL,
    "status_code" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_id" TEXT,
    "client_address" TEXT,
    "message" TEXT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "api_keys_principal_created_at_idx" ON "api_keys"("principal", "created_at");

-- CreateIndex
CREATE INDEX "api_keys_created_at_idx" ON "api_keys"("created_at");

-- CreateIndex
CREATE INDEX "role_bindings_workspace_principal_idx" ON "role_bindings"("workspace", "principal");

-- CreateIndex
CREATE INDEX "role_bindings_principal_idx" ON "role_bindings"("principal");

-- CreateIndex
CREATE INDEX "role_bindings_granted_at_idx" ON "role_bindings"("granted_at");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_workspace_at_idx" ON "audit_events"("workspace", "at");

-- CreateIndex
CREATE INDEX "audit_events_principal_at_idx" ON "audit_events"("principal", "at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every process that authenticates (API, gateway) keeps keys and role bindings in memory and reloads
-- them when this channel says they changed. A key's use (last_used_at) is not a change.
CREATE FUNCTION "notify_access_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('access_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "api_keys_access_changed"
AFTER INSERT OR DELETE OR UPDATE OF "principal", "workspace", "scopes", "key_hash", "expires_at", "revoked_at"
ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION "notify_access_changed"();

CREATE TRIGGER "role_bindings_access_changed"
AFTER INSERT OR DELETE OR UPDATE ON "role_bindings"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_access_changed"();

-- The audit log is append-only: nothing the API does may rewrite or remove an event.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_append_only"
BEFORE UPDATE OR DELETE ON "audit_events"
FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_truncate"
BEFORE TRUNCATE ON "audit_events"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
