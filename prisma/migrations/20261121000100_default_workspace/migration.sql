-- The `default` workspace NeMo clients expect to exist.
INSERT INTO "workspaces" ("id", "name", "description", "created_at", "updated_at")
VALUES ('workspace-default', 'default', 'Default workspace', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
ON CONFLICT ("name") DO NOTHING;
