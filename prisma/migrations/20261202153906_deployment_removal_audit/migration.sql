-- A deployment removed once DELETED (issue 12) leaves its versions and status history in the audit log:
-- the worker's event has no request (status_code, method, path null) and carries them in details.
-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "details" JSONB,
ALTER COLUMN "status_code" DROP NOT NULL,
ALTER COLUMN "method" DROP NOT NULL,
ALTER COLUMN "path" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "audit_events_workspace_action_resource_idx" ON "audit_events"("workspace", "action", "resource");
