-- The gateway trusts a deployment's provider (no egress check) only at an endpoint a version of that
-- deployment recorded. The worker points the provider at a new endpoint just before the version records
-- it, so the routing table is reloaded when a version's endpoint changes too, not only its provider.
CREATE TRIGGER "deployment_versions_endpoint_routing_changed"
AFTER UPDATE OF "endpoint" ON "deployment_versions"
FOR EACH ROW WHEN (OLD."endpoint" IS DISTINCT FROM NEW."endpoint")
EXECUTE FUNCTION "notify_routing_changed"();
