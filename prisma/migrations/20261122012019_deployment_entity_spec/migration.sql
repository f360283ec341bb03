-- AlterTable
ALTER TABLE "deployment_versions" ADD COLUMN     "model_entity_spec" JSONB;
