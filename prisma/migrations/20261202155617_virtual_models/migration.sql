-- Virtual models (routing policies in NeMo's VirtualModel shape) and prices on model entities.
-- AlterTable
ALTER TABLE "models" ADD COLUMN     "pricing" JSONB;

-- CreateTable
CREATE TABLE "virtual_models" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "project" TEXT,
    "default_model_entity" TEXT,
    "models" JSONB NOT NULL DEFAULT '[]',
    "request_middleware" JSONB NOT NULL DEFAULT '[]',
    "response_middleware" JSONB NOT NULL DEFAULT '[]',
    "post_response_middleware" JSONB NOT NULL DEFAULT '[]',
    "autoprovisioned" BOOLEAN NOT NULL DEFAULT false,
    "db_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "created_by" TEXT,
    "updated_by" TEXT,

    CONSTRAINT "virtual_models_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "virtual_models_workspace_created_at_idx" ON "virtual_models"("workspace", "created_at");

-- CreateIndex
CREATE INDEX "virtual_models_workspace_updated_at_idx" ON "virtual_models"("workspace", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "virtual_models_workspace_name_key" ON "virtual_models"("workspace", "name");

-- AddForeignKey
ALTER TABLE "virtual_models" ADD CONSTRAINT "virtual_models_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- The gateway routes by virtual models too: every write announces itself on `routing_changed`, as writes to
-- providers, models and secrets do (see 20261122013000_routing_notify), so the gateway reloads its table.
CREATE TRIGGER "virtual_models_routing_changed"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "virtual_models"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_routing_changed"();
