-- The inference gateway keeps its routing table in memory and reloads it when
-- providers, models or secrets change: each writing statement announces itself
-- once on the `routing_changed` channel (no payload; the gateway re-reads).
CREATE FUNCTION "notify_routing_changed"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('routing_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "model_providers_routing_changed"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "model_providers"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_routing_changed"();

CREATE TRIGGER "models_routing_changed"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "models"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_routing_changed"();

CREATE TRIGGER "secrets_routing_changed"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "secrets"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_routing_changed"();
