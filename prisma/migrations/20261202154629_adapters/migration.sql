-- Adapters get a table of their own (NeMo's Models service resource, issue 12), tied to the base model
-- entity; a model's `adapters` field is read from it. What the old free-form JSON column held is copied
-- where an entry has a valid adapter name (the first of a duplicated name wins), then the column goes.
-- CreateTable
CREATE TABLE "adapters" (
    "id" TEXT NOT NULL,
    "workspace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model_workspace" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "description" TEXT,
    "fileset" TEXT,
    "finetuning_type" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lora_config" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "created_by" TEXT,
    "updated_by" TEXT,

    CONSTRAINT "adapters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "adapters_workspace_created_at_idx" ON "adapters"("workspace", "created_at");

-- CreateIndex
CREATE INDEX "adapters_model_workspace_model_name_idx" ON "adapters"("model_workspace", "model_name");

-- CreateIndex
CREATE UNIQUE INDEX "adapters_workspace_name_key" ON "adapters"("workspace", "name");

-- AddForeignKey
ALTER TABLE "adapters" ADD CONSTRAINT "adapters_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adapters" ADD CONSTRAINT "adapters_model_workspace_model_name_fkey" FOREIGN KEY ("model_workspace", "model_name") REFERENCES "models"("workspace", "name") ON DELETE CASCADE ON UPDATE CASCADE;

-- Copy the old column's entries.
INSERT INTO "adapters" ("id", "workspace", "name", "model_workspace", "model_name", "description", "fileset",
                        "finetuning_type", "enabled", "lora_config", "created_at", "updated_at", "created_by", "updated_by")
SELECT 'adapter-' || substr(md5(random()::text || clock_timestamp()::text || m."id" || a.ord::text), 1, 20),
       m."workspace", a.value->>'name', m."workspace", m."name", left(a.value->>'description', 1000),
       a.value->>'fileset', coalesce(nullif(a.value->>'finetuning_type', ''), 'lora'),
       CASE WHEN jsonb_typeof(a.value->'enabled') = 'boolean' THEN (a.value->>'enabled')::boolean ELSE true END,
       CASE WHEN jsonb_typeof(a.value->'lora_config') = 'object' THEN a.value->'lora_config' END,
       m."created_at", now(), m."created_by", m."updated_by"
FROM "models" m CROSS JOIN LATERAL jsonb_array_elements(
       CASE WHEN jsonb_typeof(m."adapters") = 'array' THEN m."adapters" ELSE '[]'::jsonb END) WITH ORDINALITY AS a(value, ord)
WHERE jsonb_typeof(a.value) = 'object'
  AND a.value->>'name' ~ '^[a-z][a-z0-9@.+_-]{1,62}$' AND a.value->>'name' NOT LIKE '%--%' AND a.value->>'name' NOT LIKE '%-'
ORDER BY m."created_at", a.ord
ON CONFLICT ("workspace", "name") DO NOTHING;

-- AlterTable
ALTER TABLE "models" DROP COLUMN "adapters";
