-- AlterTable
ALTER TABLE "deployment_versions" ADD COLUMN     "endpoint" TEXT,
ADD COLUMN     "recovery_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "status_changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "status_reason" TEXT;

-- CreateIndex
CREATE INDEX "deployment_versions_deployment_id_idx" ON "deployment_versions"("deployment_id");

-- Every status history entry is announced on the `deployment_status` channel,
-- so API processes can wake long-polls and event streams without polling.
-- The payload names the deployment; listeners re-read what they need.
CREATE FUNCTION "notify_deployment_status"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('deployment_status', json_build_object(
    'workspace', v.workspace, 'name', v.name, 'version', v.version,
    'status', NEW.status, 'status_message', left(NEW.status_message, 1000)
  )::text)
  FROM "deployment_versions" v WHERE v.id = NEW.deployment_version_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "deployment_status_events_notify"
AFTER INSERT ON "deployment_status_events"
FOR EACH ROW EXECUTE FUNCTION "notify_deployment_status"();
