// Generated from openapi/openapi.json by scripts/openapi.ts (openapi-typescript). Do not edit: run `npm run openapi`.
export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics of this process (text exposition format); 404 when METRICS_ENABLED is off */
        get: operations["Metrics_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is serving requests */
        get: operations["Health_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: PostgreSQL answers, every migration is applied, and the job queue (Redis or PostgreSQL) answers */
        get: operations["Health_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description A principal sees and manages its own keys; a PlatformAdmin anyone's. Others' keys are answered 404.
         */
        get: operations["ApiKey_list"];
        put?: never;
        /**
         * Issue an API key
         * @description The answer carries the key, in `key`, this once; only its hash is stored. A key for another principal needs PlatformAdmin (403 `auth/not_key_owner`); scopes beyond the caller's credential are refused (403 `auth/scope_missing`).
         */
        post: operations["ApiKey_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an API key
         * @description A principal sees and manages its own keys; a PlatformAdmin anyone's. Others' keys are answered 404.
         */
        get: operations["ApiKey_get"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Refused by every replica at once (401 `auth/credential_revoked`). Idempotent: revoking a revoked key answers 204 again and keeps the first revocation's time and revoker.
         */
        delete: operations["ApiKey_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/api-keys/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key
         * @description Issues a new key with the same name, principal, workspace, scopes and expiry (its `key` shown this once). The old key keeps working for `grace_period_seconds` (default API_KEY_ROTATION_GRACE_SECONDS, never past its own expiry) and records `replaced_by`. A revoked, already rotated or expired key: 409.
         */
        post: operations["ApiKey_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the credential proves
         * @description The principal, how it authenticated, its key's limits and its roles.
         */
        get: operations["ApiKey_whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workspaces */
        get: operations["Workspace_list"];
        put?: never;
        /** Create a workspace */
        post: operations["Workspace_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a workspace */
        get: operations["Workspace_get"];
        /**
         * Replace a workspace's description
         * @description The name cannot change: one sent must be the path's (else 422).
         */
        put: operations["Workspace_update"];
        post?: never;
        /**
         * Delete a workspace and everything in it
         * @description Refused with 409 while the workspace holds a deployment that is not DELETED.
         */
        delete: operations["Workspace_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List secrets (metadata only) */
        get: operations["Secret_list"];
        put?: never;
        /**
         * Create a secret
         * @description The value is encrypted at rest (AES-256-GCM) and is never returned by any endpoint.
         */
        post: operations["Secret_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a secret (metadata only) */
        get: operations["Secret_get"];
        put?: never;
        post?: never;
        /**
         * Delete a secret
         * @description Refused with 409 while a model provider uses it as its API key.
         */
        delete: operations["Secret_delete"];
        options?: never;
        head?: never;
        /** Update a secret: its value, its description, or both */
        patch: operations["Secret_update"];
        trace?: never;
    };
    "/v2/admin/secrets/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-encrypt every secret under the active key
         * @description Put the new key first in MODELPLANE_SECRET_KEYS (keeping the old ones), restart, call this, then remove the old keys.
         */
        post: operations["SecretAdmin_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List model entities */
        get: operations["Model_list"];
        put?: never;
        /** Create a model entity */
        post: operations["Model_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a model entity */
        get: operations["Model_get"];
        put?: never;
        post?: never;
        /** Delete a model entity */
        delete: operations["Model_delete"];
        options?: never;
        head?: never;
        /**
         * Update a model entity
         * @description Partial update: fields that are omitted or null keep their stored value.
         */
        patch: operations["Model_update"];
        trace?: never;
    };
    "/v2/workspaces/{workspace}/adapters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List adapters
         * @description Filter fields: name, model (the base as workspace/name), description, fileset, finetuning_type, enabled, created_at, updated_at.
         */
        get: operations["Adapter_list"];
        put?: never;
        /**
         * Create an adapter of the model named in the body
         * @description `model` is a model of this workspace (`name`) or of another (`workspace/name`, which needs models.read there). 404 when the model does not exist; 409 when the workspace has an adapter of that name.
         */
        post: operations["Adapter_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/adapters/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an adapter */
        get: operations["Adapter_get"];
        put?: never;
        post?: never;
        /** Delete an adapter */
        delete: operations["Adapter_delete"];
        options?: never;
        head?: never;
        /**
         * Update an adapter
         * @description description, enabled, fileset; omitted or null keeps the value.
         */
        patch: operations["Adapter_update"];
        trace?: never;
    };
    "/v2/workspaces/{workspace}/models/{model}/adapters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a model's adapters
         * @description Modelplane's; the model's `adapters` field holds the same. Filter fields: name, model (the base as workspace/name), description, fileset, finetuning_type, enabled, created_at, updated_at.
         */
        get: operations["ModelAdapter_list"];
        put?: never;
        /**
         * Add an adapter to a model
         * @description 404 when the model does not exist; 409 when the workspace has an adapter of that name.
         */
        post: operations["ModelAdapter_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/models/{model}/adapters/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a model's adapter
         * @description 404 when the model, or its adapter of that name, does not exist.
         */
        delete: operations["ModelAdapter_delete"];
        options?: never;
        head?: never;
        /**
         * Update a model's adapter
         * @description 404 when the model, or its adapter of that name, does not exist. Omitted or null fields keep their value.
         */
        patch: operations["ModelAdapter_update"];
        trace?: never;
    };
    "/v2/workspaces/{workspace}/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List model providers */
        get: operations["Provider_list"];
        put?: never;
        /**
         * Register a model provider
         * @description api_key_secret_name must name a secret of the same workspace.
         */
        post: operations["Provider_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/providers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a model provider */
        get: operations["Provider_get"];
        /**
         * Create or replace a model provider
         * @description Full replacement: omitted fields return to their defaults.
         */
        put: operations["Provider_upsert"];
        post?: never;
        /**
         * Delete a model provider
         * @description Also removes the provider from the model_providers of the models it served.
         */
        delete: operations["Provider_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/providers/{name}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Update a provider's status, served models or deployment link
         * @description A status without status_message sets the message to "".
         */
        put: operations["Provider_setStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployment-configs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deployment configs (latest version of each) */
        get: operations["DeploymentConfig_list"];
        put?: never;
        /**
         * Create a deployment config (version 1)
         * @description Configs are immutable: changing one creates a new version.
         */
        post: operations["DeploymentConfig_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployment-configs/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the latest version of a deployment config */
        get: operations["DeploymentConfig_get"];
        put?: never;
        /**
         * Create a new version of a deployment config
         * @description A full replacement without the name; the project is kept. Concurrent writers each get their own version number.
         */
        post: operations["DeploymentConfig_newVersion"];
        /**
         * Delete every version of a deployment config
         * @description Refused with 409 while a deployment that is not DELETED uses any version.
         */
        delete: operations["DeploymentConfig_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployment-configs/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List every version of a deployment config, newest first */
        get: operations["DeploymentConfig_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployment-configs/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one version of a deployment config */
        get: operations["DeploymentConfig_version"];
        put?: never;
        post?: never;
        /**
         * Delete one version of a deployment config
         * @description Refused with 409 while a deployment that is not DELETED uses it.
         */
        delete: operations["DeploymentConfig_deleteVersion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deployments (latest version of each) */
        get: operations["Deployment_list"];
        put?: never;
        /**
         * Create a deployment (version 1, CREATED)
         * @description 400 when the config or config version does not exist.
         */
        post: operations["Deployment_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the latest version of a deployment, optionally waiting for a status
         * @description With `wait_for` (comma-separated statuses, e.g. `READY,FAILED`) the request is held until the latest version reaches one of them or `timeout` seconds pass, then answers with the deployment as it is: a CI pipeline can block on one request instead of polling. Compare `status` with what you waited for. A deployment DELETED is removed (after DELETED_DEPLOYMENT_RETENTION_SECONDS, 0 by default: a plain GET is then 404); a wait it outlives, or a `wait_for=DELETED` after it, answers its final DELETED state from its record in the audit log.
         */
        get: operations["Deployment_get"];
        put?: never;
        /**
         * Create a new version of a deployment (PENDING)
         * @description Points the deployment at another config or config version. The previous version keeps serving until the new one is READY.
         */
        post: operations["Deployment_newVersion"];
        /**
         * Delete a deployment
         * @description Marks every version that is not DELETED as DELETING (202); the workers tear it down, mark it DELETED and remove its records after DELETED_DEPLOYMENT_RETENTION_SECONDS (0 by default, as NeMo), keeping its versions and status history in the audit log (`deployment.removed`). When all are already DELETED, removes the records at once (204).
         */
        delete: operations["Deployment_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The models a deployment serves
         * @description What the serving version's server listed on /v1/models, as model entities and the names they are served under (the reference answers an empty stub here).
         */
        get: operations["Deployment_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream status changes of a deployment (server-sent events)
         * @description A `text/event-stream`: an `event: status` with the deployment (as GET returns it) at once and on every status change of any version, and a comment every 15 s to keep proxies from closing it. With `until` (e.g. `READY,FAILED`) the stream ends after the latest version reaches one of those statuses. A deployment whose records are removed once DELETED ends the stream with its final DELETED state; with `until=DELETED`, one already removed is streamed so (from its record in the audit log) instead of 404.
         */
        get: operations["Deployment_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List every version of a deployment, newest first */
        get: operations["Deployment_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one version of a deployment */
        get: operations["Deployment_version"];
        put?: never;
        post?: never;
        /**
         * Delete one version of a deployment
         * @description DELETING (202) unless it is already DELETED, in which case it is removed (204).
         */
        delete: operations["Deployment_deleteVersion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/deployments/{name}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write a deployment status
         * @description Applies to the latest version unless `version` is given. Transitions follow the lifecycle table; an illegal one is a 409 naming both states. From DELETING only DELETED is allowed. Writing the stored status and message again changes nothing.
         */
        post: operations["Deployment_setStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/virtual-models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List virtual models */
        get: operations["VirtualModel_list"];
        put?: never;
        /**
         * Create a virtual model
         * @description A routing policy callers name as a model. 409 `virtual_model/name_taken` when a model entity of the workspace has the name: the gateway resolves a virtual model before an entity of the same name.
         */
        post: operations["VirtualModel_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/virtual-models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a virtual model */
        get: operations["VirtualModel_get"];
        put?: never;
        post?: never;
        /** Delete a virtual model */
        delete: operations["VirtualModel_delete"];
        options?: never;
        head?: never;
        /**
         * Update a virtual model
         * @description Partial update: a field that is present changes, null clears it (default_model_entity unset, lists emptied). Every write increments db_version.
         */
        patch: operations["VirtualModel_update"];
        trace?: never;
    };
    "/v2/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the audit log of every workspace, newest first
         * @description Every change (whatever its outcome) and every refused request (401, 403). Filter fields: principal, key_id, action, resource, outcome (success, denied, failed), status_code, method, at (a date-time: `filter[at][$gte]=2026-12-01T00:00:00Z`), workspace.
         */
        get: operations["AuditEvent_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a workspace's audit log, newest first
         * @description The workspace's events only: a `workspace` filter cannot widen the page. Filter fields: principal, key_id, action, resource, outcome (success, denied, failed), status_code, method, at (a date-time: `filter[at][$gte]=2026-12-01T00:00:00Z`).
         */
        get: operations["AuditEvent_listInWorkspace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A workspace's inference usage and cost
         * @description Requests, errors and tokens through the inference gateway, and their cost where the model entity has prices, summed per `group_by` over minutes whose start is in [start, end). The gateways write what they counted about once a second (GATEWAY_USAGE_FLUSH_INTERVAL_MS). `totals` sums the whole range. With `-` as the workspace: every workspace the caller may read usage of (group by `workspace`).
         */
        get: operations["Usage_query"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a workspace's members */
        get: operations["Member_list"];
        put?: never;
        /**
         * Add a member
         * @description Refused with 409 when the principal already holds a role there.
         */
        post: operations["Member_add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/workspaces/{workspace}/members/{principal}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a member's roles
         * @description Refused with 409 (`member/last_admin`) when the workspace would be left without an Admin binding.
         */
        put: operations["Member_update"];
        post?: never;
        /**
         * Remove a member (every role it holds in the workspace)
         * @description Refused with 409 (`member/last_admin`) when the workspace would be left without an Admin binding.
         */
        delete: operations["Member_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/role-bindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List role bindings
         * @description Filter fields: principal, role, workspace, granted_by, granted_at, id.
         */
        get: operations["RoleBinding_list"];
        put?: never;
        /**
         * Grant a role
         * @description Viewer, Editor and Admin need a workspace; PlatformAdmin takes none. Refused with 409 when the binding exists.
         */
        post: operations["RoleBinding_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/iam/role-bindings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role binding */
        get: operations["RoleBinding_get"];
        put?: never;
        post?: never;
        /**
         * Delete a role binding
         * @description Refused with 409 when it is its workspace's last Admin binding or the platform's last PlatformAdmin binding.
         */
        delete: operations["RoleBinding_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apis/auth/discovery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How to authenticate (NeMo CLI sign-in) */
        get: operations["AuthDiscovery_discover"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        HealthDto: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            /**
             * @example {
             *       "database": "ok",
             *       "migrations": "ok",
             *       "redis": "ok"
             *     }
             */
            checks: {
                [key: string]: string;
            };
        };
        CreateApiKeyDto: {
            /**
             * @description A label; need not be unique.
             * @example ci-pipeline
             */
            name: string;
            /**
             * @description Who the key acts as; the caller by default. Another principal needs PlatformAdmin. `service-account:NAME` is created on first use.
             * @example service-account:ci
             */
            principal?: string;
            /**
             * @description Restricts the key to this workspace.
             * @example team-a
             */
            workspace?: string;
            /**
             * @description What the key may do; never more than the caller's own credential.
             * @example [
             *       "read",
             *       "inference"
             *     ]
             */
            scopes: ("read" | "write" | "inference" | "admin" | "metrics")[];
            /**
             * Format: date-time
             * @description When the key stops working; in the future.
             */
            expires_at?: string;
        };
        IssuedApiKeyDto: {
            /** @example apikey-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example ci-pipeline */
            name: string;
            /** @example service-account:ci */
            principal: string;
            /** @example team-a */
            workspace?: string;
            /**
             * @example [
             *       "read",
             *       "inference"
             *     ]
             */
            scopes: ("read" | "write" | "inference" | "admin" | "metrics")[];
            /**
             * @description The key's public start, to recognise it.
             * @example mp_0f3c9a1b2c3d
             */
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** @example admin */
            created_by: string;
            /** Format: date-time */
            expires_at?: string;
            /**
             * Format: date-time
             * @description Accurate to about 5 s.
             */
            last_used_at?: string;
            /** Format: date-time */
            revoked_at?: string;
            /** @example admin */
            revoked_by?: string;
            /**
             * @description The key a rotation replaced it with.
             * @example apikey-1a2b3c4d5e6f7a8b9c0d
             */
            replaced_by?: string;
            /**
             * @description The API key. Shown this once; only its hash is stored.
             * @example mp_0f3c9a1b2c3d_q2VkZ…
             */
            key: string;
        };
        ErrorDto: {
            /** @example Deployment 'llama' was not found in workspace 'default' */
            detail: string;
            /**
             * @description Stable machine-readable error code.
             * @example deployment/not_found
             */
            code?: string;
        };
        ValidationIssueDto: {
            /** @example isInt */
            type: string;
            /**
             * @example [
             *       "body",
             *       "executor_config",
             *       "gpu"
             *     ]
             */
            loc: (string | number)[];
            /** @example gpu must be an integer number */
            msg: string;
        };
        ValidationErrorDto: {
            detail: components["schemas"]["ValidationIssueDto"][];
            /** @example validation/failed */
            code?: string;
        };
        PaginationDto: {
            /** @example 1 */
            page: number;
            /** @example 100 */
            page_size: number;
            /** @example 1 */
            current_page_size: number;
            /** @example 1 */
            total_pages: number;
            /** @example 1 */
            total_results: number;
        };
        ApiKeyDto: {
            /** @example apikey-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example ci-pipeline */
            name: string;
            /** @example service-account:ci */
            principal: string;
            /** @example team-a */
            workspace?: string;
            /**
             * @example [
             *       "read",
             *       "inference"
             *     ]
             */
            scopes: ("read" | "write" | "inference" | "admin" | "metrics")[];
            /**
             * @description The key's public start, to recognise it.
             * @example mp_0f3c9a1b2c3d
             */
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** @example admin */
            created_by: string;
            /** Format: date-time */
            expires_at?: string;
            /**
             * Format: date-time
             * @description Accurate to about 5 s.
             */
            last_used_at?: string;
            /** Format: date-time */
            revoked_at?: string;
            /** @example admin */
            revoked_by?: string;
            /**
             * @description The key a rotation replaced it with.
             * @example apikey-1a2b3c4d5e6f7a8b9c0d
             */
            replaced_by?: string;
        };
        RotateApiKeyDto: {
            /** @description How long the old key keeps working (never past its own expiry); default API_KEY_ROTATION_GRACE_SECONDS. */
            grace_period_seconds?: number;
        };
        WhoAmIDto: {
            /** @example alice@example.com */
            principal: string;
            /** @enum {string} */
            kind: "user" | "service_account";
            /** @example alice@example.com */
            email?: string;
            /**
             * @example [
             *       "ml-team"
             *     ]
             */
            groups: string[];
            /** @enum {string} */
            via: "api_key" | "oidc" | "anonymous";
            /** @example apikey-0f3c9a1b2c3d4e5f6a7b */
            key_id?: string;
            /** @example team-a */
            key_workspace?: string;
            scopes?: ("read" | "write" | "inference" | "admin" | "metrics")[];
            platform_admin: boolean;
            /**
             * @description The highest role held in each workspace (directly, through a group or `*`).
             * @example {
             *       "team-a": "Admin"
             *     }
             */
            roles: {
                [key: string]: "Viewer" | "Editor" | "Admin";
            };
        };
        CreateWorkspaceDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example team-a
             */
            name: string;
            /** @example Models for team A */
            description?: string | null;
        };
        WorkspaceDto: {
            /** @example workspace-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example team-a */
            name: string;
            /** @example Models for team A */
            description?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created it.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed it.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpdateWorkspaceDto: {
            /**
             * @description The workspace's name, if sent: it must be the path's.
             * @example team-a
             */
            name?: string;
            /** @example Models for team A */
            description?: string | null;
        };
        CreateSecretDto: {
            /**
             * @description Letters, digits, _, . and -; at most 255 characters.
             * @example nvidia-api-key
             */
            name: string;
            /** @example API key for build.nvidia.com */
            description?: string | null;
            /**
             * @description The secret value. Stored encrypted; never returned.
             * @example nvapi-example-key
             */
            value: string;
        };
        SecretDto: {
            /** @example secret-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example nvidia-api-key */
            name: string;
            /** @example default */
            workspace: string;
            description?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created it.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed it.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpdateSecretDto: {
            /** @example API key for build.nvidia.com, rotated */
            description?: string | null;
            /**
             * @description A new value. Stored encrypted; never returned.
             * @example nvapi-rotated-key
             */
            value?: string;
        };
        RotateSecretsResultDto: {
            /**
             * @description Secrets re-encrypted under the active key.
             * @example 3
             */
            rotated_secrets: number;
            /**
             * @description Secrets sealed under a key that is no longer configured.
             * @example 0
             */
            skipped_secrets: number;
            /**
             * @description False when any secret was skipped.
             * @example true
             */
            success: boolean;
            /** @example k2 */
            active_key_id: string;
        };
        ApiEndpointDto: {
            /** @example https://integrate.api.nvidia.com/v1 */
            url?: string | null;
            /** @example meta/llama-3.1-8b-instruct */
            model_id?: string | null;
            /** @example openai */
            format?: string | null;
        };
        PromptDto: {
            /** @example You are a helpful assistant. */
            system_prompt?: string | null;
            /** @example null */
            icl_few_shot_examples?: {
                [key: string]: unknown;
            }[] | null;
            /**
             * @example {
             *       "temperature": 0.2,
             *       "top_p": 0.7,
             *       "max_tokens": 1024
             *     }
             */
            inference_params?: {
                [key: string]: unknown;
            } | null;
            /** @example null */
            system_prompt_template?: string | null;
        };
        PricingDto: {
            /** @example 0.18 */
            input_per_million_tokens: number;
            /** @example 0.18 */
            output_per_million_tokens: number;
            /**
             * @description ISO 4217 code.
             * @default USD
             * @example USD
             */
            currency: string;
        };
        CreateModelDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example llama-3-1-8b-instruct
             */
            name: string;
            /** @example team-a */
            project?: string | null;
            /** @example Llama 3.1 8B Instruct */
            description?: string | null;
            /**
             * @description Model spec: architecture, context size, chat template, tool_call_config…
             * @example {
             *       "context_size": 131072,
             *       "is_chat": true
             *     }
             */
            spec?: {
                [key: string]: unknown;
            } | null;
            /**
             * @example null
             * @enum {string|null}
             */
            finetuning_type?: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo" | null;
            /**
             * @description Fileset holding the weights, as workspace/name.
             * @example null
             */
            fileset?: string | null;
            /** @default false */
            trust_remote_code: boolean | null;
            /** @example meta/llama-3.1-8b-instruct */
            base_model?: string | null;
            /** @description Where an external model is served. API keys belong in a secret named by a provider, not here. */
            api_endpoint?: components["schemas"]["ApiEndpointDto"] | null;
            /**
             * @description Unset means OPENAI_CHAT.
             * @example OPENAI_CHAT
             * @enum {string|null}
             */
            backend_format?: "OPENAI_CHAT" | "ANTHROPIC_MESSAGES" | null;
            prompt?: components["schemas"]["PromptDto"] | null;
            /**
             * @default {}
             * @example {
             *       "team": "eval"
             *     }
             */
            custom_fields: {
                [key: string]: unknown;
            } | null;
            /**
             * @example {
             *       "created_by": "alice@example.com"
             *     }
             */
            ownership?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Providers serving this model, as workspace/name.
             * @example []
             */
            model_providers?: string[] | null;
            /** @description Prices per million input and output tokens (the gateway's cost rule reads them). */
            pricing?: components["schemas"]["PricingDto"] | null;
        };
        LoraConfigDto: {
            /**
             * @description LoRA rank.
             * @example 16
             */
            rank: number;
            /**
             * @description Alpha scaling used for this adapter.
             * @example 32
             */
            alpha?: number;
        };
        AdapterDto: {
            /** @example adapter-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example support-bot-lora */
            name: string;
            /** @example default */
            workspace: string;
            description?: string;
            /** @description workspace/fileset; absent for an adapter found on a served model list (see `description`). */
            fileset?: string;
            /** @enum {string} */
            finetuning_type: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo";
            enabled: boolean;
            lora_config?: components["schemas"]["LoraConfigDto"];
            /**
             * @description The base model entity, as workspace/name.
             * @example default/llama-3-1-8b-instruct
             */
            model: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The principal that created it (`system` for one found by discovery). */
            created_by?: string;
            updated_by?: string;
        };
        ModelDto: {
            /** @example model-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /** @example llama-3-1-8b-instruct */
            name: string;
            /** @example default */
            workspace: string;
            project?: string;
            description?: string;
            /**
             * @example {
             *       "context_size": 131072,
             *       "is_chat": true
             *     }
             */
            spec?: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            finetuning_type?: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo";
            fileset?: string;
            trust_remote_code: boolean;
            base_model?: string;
            api_endpoint?: components["schemas"]["ApiEndpointDto"];
            /** @enum {string} */
            backend_format?: "OPENAI_CHAT" | "ANTHROPIC_MESSAGES";
            /** @description The adapters of this model in its workspace (from the adapters endpoints, and LoRA adapters discovery found), oldest first; absent when it has none. Read-only. */
            adapters?: components["schemas"]["AdapterDto"][];
            prompt?: components["schemas"]["PromptDto"];
            /**
             * @example {
             *       "team": "eval"
             *     }
             */
            custom_fields: {
                [key: string]: unknown;
            };
            /**
             * @example {
             *       "created_by": "alice@example.com"
             *     }
             */
            ownership?: {
                [key: string]: unknown;
            };
            model_providers: string[];
            pricing?: components["schemas"]["PricingDto"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created it.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed it.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpdateModelDto: {
            /** @example Llama 3.1 8B Instruct */
            description?: string | null;
            /**
             * @description Model spec: architecture, context size, chat template, tool_call_config…
             * @example {
             *       "context_size": 131072,
             *       "is_chat": true
             *     }
             */
            spec?: {
                [key: string]: unknown;
            } | null;
            /**
             * @example null
             * @enum {string|null}
             */
            finetuning_type?: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo" | null;
            /**
             * @description Fileset holding the weights, as workspace/name.
             * @example null
             */
            fileset?: string | null;
            /** @default false */
            trust_remote_code: boolean | null;
            /** @example meta/llama-3.1-8b-instruct */
            base_model?: string | null;
            /** @description Where an external model is served. API keys belong in a secret named by a provider, not here. */
            api_endpoint?: components["schemas"]["ApiEndpointDto"] | null;
            /**
             * @description Unset means OPENAI_CHAT.
             * @example OPENAI_CHAT
             * @enum {string|null}
             */
            backend_format?: "OPENAI_CHAT" | "ANTHROPIC_MESSAGES" | null;
            prompt?: components["schemas"]["PromptDto"] | null;
            /**
             * @default {}
             * @example {
             *       "team": "eval"
             *     }
             */
            custom_fields: {
                [key: string]: unknown;
            } | null;
            /**
             * @example {
             *       "created_by": "alice@example.com"
             *     }
             */
            ownership?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Providers serving this model, as workspace/name.
             * @example []
             */
            model_providers?: string[] | null;
            /** @description Prices per million input and output tokens (the gateway's cost rule reads them). */
            pricing?: components["schemas"]["PricingDto"] | null;
        };
        CreateAdapterDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example legal-tone-lora
             */
            name: string;
            /** @example Customer-support tone, trained on the Q3 tickets */
            description?: string | null;
            /**
             * @description Where the adapter files are stored, as workspace/fileset.
             * @example default/support-bot-lora
             */
            fileset: string;
            /**
             * @example lora
             * @enum {string}
             */
            finetuning_type: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo";
            /**
             * @description Whether the adapter is available for inference after training.
             * @default true
             */
            enabled: boolean;
            lora_config?: components["schemas"]["LoraConfigDto"];
            /**
             * @description The base model entity: `name` in the path workspace, or `workspace/name` in any workspace (reading a model of another workspace needs models.read there).
             * @example llama-3-1-8b-instruct
             */
            model: string;
        };
        UpdateAdapterDto: {
            /** @example Customer-support tone, retrained on Q4 */
            description?: string | null;
            /** @example false */
            enabled?: boolean | null;
            /** @example default/support-bot-lora-v2 */
            fileset?: string | null;
        };
        CreateModelAdapterDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example support-bot-lora
             */
            name: string;
            /** @example Customer-support tone, trained on the Q3 tickets */
            description?: string | null;
            /**
             * @description Where the adapter files are stored, as workspace/fileset.
             * @example default/support-bot-lora
             */
            fileset: string;
            /**
             * @example lora
             * @enum {string}
             */
            finetuning_type: "lora_merged" | "all_weights" | "last_layer" | "top_layers" | "gradual_unfreezing" | "bias_only" | "attention_only" | "lora" | "qlora" | "adalora" | "dora" | "lora_plus" | "prompt_tuning" | "prefix_tuning" | "p_tuning" | "p_tuning_v2" | "soft_prompt" | "ppo" | "dpo" | "cdpo" | "ipo" | "orpo" | "kto" | "rrhf" | "grpo";
            /**
             * @description Whether the adapter is available for inference after training.
             * @default true
             */
            enabled: boolean;
            lora_config?: components["schemas"]["LoraConfigDto"];
        };
        ServedModelDto: {
            /**
             * @description The model entity, as workspace/name.
             * @example default/llama-3-1-8b-instruct
             */
            model_entity_id: string;
            /**
             * @description The name the upstream serves it under.
             * @example meta/llama-3.1-8b-instruct
             */
            served_model_name: string;
        };
        CreateProviderDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example build-nvidia
             */
            name: string;
            /** @example team-a */
            project?: string | null;
            /** @example Hosted NIM endpoints on build.nvidia.com */
            description?: string | null;
            /** @example https://integrate.api.nvidia.com */
            host_url: string;
            /**
             * @description A secret in the same workspace holding the API key.
             * @example nvidia-api-key
             */
            api_key_secret_name?: string | null;
            /** @default [] */
            served_models: components["schemas"]["ServedModelDto"][] | null;
            /**
             * @description Upstream model ids to expose; null means all.
             * @example null
             */
            enabled_models?: string[] | null;
            /**
             * @default UNKNOWN
             * @enum {string|null}
             */
            status: "UNKNOWN" | "CREATED" | "PENDING" | "READY" | "ERROR" | "DELETING" | "DELETED" | "LOST" | null;
            /**
             * @default
             * @example
             */
            status_message: string | null;
            /**
             * @description Merged into request bodies where the client did not set the field.
             * @example {
             *       "max_tokens": 1024
             *     }
             */
            default_extra_body?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Added to requests that lack them.
             * @example {
             *       "X-Request-Source": "modelplane"
             *     }
             */
            default_extra_headers?: {
                [key: string]: string;
            } | null;
            /**
             * @description Merged into request bodies, overriding the client.
             * @example {
             *       "stream_options": {
             *         "include_usage": true
             *       }
             *     }
             */
            required_extra_body?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Set on every request, overriding the client.
             * @example {
             *       "X-Team": "eval"
             *     }
             */
            required_extra_headers?: {
                [key: string]: string;
            } | null;
            /**
             * @description Set on providers created for a deployment (as workspace/name); null on manual providers.
             * @example null
             */
            model_deployment_id?: string | null;
            /**
             * @description Accepted for NeMo clients and ignored: the server records the caller's own AuthContext ({principal_id, principal_email?, principal_groups?}).
             * @example null
             */
            auth_context?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description How the secret becomes a header: a template using {{ auth_secret }} exactly once that renders to "Name: value".
             * @example Authorization: Bearer {{ auth_secret }}
             */
            auth_header_format?: string | null;
        };
        ProviderDto: {
            /** @example modelprovider-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            name: string;
            workspace: string;
            project?: string;
            description?: string;
            host_url: string;
            api_key_secret_name?: string;
            served_models: components["schemas"]["ServedModelDto"][];
            enabled_models?: string[];
            /** @enum {string} */
            status: "UNKNOWN" | "CREATED" | "PENDING" | "READY" | "ERROR" | "DELETING" | "DELETED" | "LOST";
            status_message: string;
            /**
             * @example {
             *       "max_tokens": 1024
             *     }
             */
            default_extra_body?: {
                [key: string]: unknown;
            };
            default_extra_headers?: {
                [key: string]: string;
            };
            /**
             * @example {
             *       "stream_options": {
             *         "include_usage": true
             *       }
             *     }
             */
            required_extra_body?: {
                [key: string]: unknown;
            };
            required_extra_headers?: {
                [key: string]: string;
            };
            model_deployment_id?: string;
            /** @example null */
            auth_context?: {
                [key: string]: unknown;
            };
            auth_header_format?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created it.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed it.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpsertProviderDto: {
            /** @example team-a */
            project?: string | null;
            /** @example Hosted NIM endpoints on build.nvidia.com */
            description?: string | null;
            /** @example https://integrate.api.nvidia.com */
            host_url: string;
            /**
             * @description A secret in the same workspace holding the API key.
             * @example nvidia-api-key
             */
            api_key_secret_name?: string | null;
            /** @default [] */
            served_models: components["schemas"]["ServedModelDto"][] | null;
            /**
             * @description Upstream model ids to expose; null means all.
             * @example null
             */
            enabled_models?: string[] | null;
            /**
             * @default UNKNOWN
             * @enum {string|null}
             */
            status: "UNKNOWN" | "CREATED" | "PENDING" | "READY" | "ERROR" | "DELETING" | "DELETED" | "LOST" | null;
            /**
             * @default
             * @example
             */
            status_message: string | null;
            /**
             * @description Merged into request bodies where the client did not set the field.
             * @example {
             *       "max_tokens": 1024
             *     }
             */
            default_extra_body?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Added to requests that lack them.
             * @example {
             *       "X-Request-Source": "modelplane"
             *     }
             */
            default_extra_headers?: {
                [key: string]: string;
            } | null;
            /**
             * @description Merged into request bodies, overriding the client.
             * @example {
             *       "stream_options": {
             *         "include_usage": true
             *       }
             *     }
             */
            required_extra_body?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Set on every request, overriding the client.
             * @example {
             *       "X-Team": "eval"
             *     }
             */
            required_extra_headers?: {
                [key: string]: string;
            } | null;
            /**
             * @description Set on providers created for a deployment (as workspace/name); null on manual providers.
             * @example null
             */
            model_deployment_id?: string | null;
            /**
             * @description Accepted for NeMo clients and ignored: the server records the caller's own AuthContext ({principal_id, principal_email?, principal_groups?}).
             * @example null
             */
            auth_context?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description How the secret becomes a header: a template using {{ auth_secret }} exactly once that renders to "Name: value".
             * @example Authorization: Bearer {{ auth_secret }}
             */
            auth_header_format?: string | null;
        };
        ProviderStatusDto: {
            /** @default [] */
            served_models: components["schemas"]["ServedModelDto"][] | null;
            /**
             * @default UNKNOWN
             * @enum {string|null}
             */
            status: "UNKNOWN" | "CREATED" | "PENDING" | "READY" | "ERROR" | "DELETING" | "DELETED" | "LOST" | null;
            /**
             * @default
             * @example
             */
            status_message: string | null;
            /**
             * @description Set on providers created for a deployment (as workspace/name); null on manual providers.
             * @example null
             */
            model_deployment_id?: string | null;
        };
        ToolCallConfigDto: {
            /**
             * @description Sets NIM_TOOL_CALL_PARSER.
             * @example llama3_json
             */
            tool_call_parser?: string | null;
            /**
             * @description Path of a tool parser plugin; sets NIM_TOOL_PARSER_PLUGIN.
             * @example null
             */
            tool_call_plugin?: string | null;
            /**
             * @description Sets NIM_ENABLE_AUTO_TOOL_CHOICE to 1 or 0.
             * @example true
             */
            auto_tool_choice?: boolean | null;
        };
        ModelSpecDto: {
            /**
             * @example llm
             * @enum {string|null}
             */
            model_type?: "llm" | "embed" | "other" | null;
            /** @example meta */
            model_namespace?: string | null;
            /**
             * @description May end in @revision.
             * @example llama-3.1-8b-instruct
             */
            model_name?: string | null;
            /** @example null */
            model_revision?: string | null;
            /**
             * @description Jinja chat template; sets NIM_CHAT_TEMPLATE.
             * @example null
             */
            chat_template?: string | null;
            tool_call_config?: components["schemas"]["ToolCallConfigDto"] | null;
            /** @default false */
            lora_enabled: boolean | null;
        };
        K8sNimOperatorConfigDto: {
            /**
             * @example {
             *       "limits": {
             *         "memory": "64Gi"
             *       }
             *     }
             */
            resources?: {
                [key: string]: unknown;
            } | null;
            /**
             * @example [
             *       {
             *         "key": "nvidia.com/gpu",
             *         "operator": "Exists",
             *         "effect": "NoSchedule"
             *       }
             *     ]
             */
            tolerations?: {
                [key: string]: unknown;
            }[] | null;
            /**
             * @example {
             *       "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"
             *     }
             */
            node_selector?: {
                [key: string]: string;
            } | null;
            /**
             * @description How long the start-up probe allows before the container is restarted (default 1800: downloads are slow).
             * @example 1800
             */
            startup_probe_grace_seconds?: number | null;
            /**
             * @description Pods per deployment version.
             * @default 1
             */
            replicas: number | null;
            /**
             * @description A Kubernetes affinity, merged with the one node_selector makes.
             * @example null
             */
            affinity?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Size of the memory-backed /dev/shm.
             * @default 16Gi
             * @example 16Gi
             */
            shm_size: string | null;
            /**
             * @description Image pull secrets (names of Secrets in the runtime's namespace); the runtime's default when absent.
             * @example [
             *       "ngc-registry"
             *     ]
             */
            image_pull_secrets?: string[] | null;
            /**
             * @description Storage class of the model cache volume (disk_size).
             * @example fast-ssd
             */
            storage_class?: string | null;
        };
        ExecutorConfigDto: {
            /** @example 1 */
            gpu: number;
            /**
             * @default 50Gi
             * @example 50Gi
             */
            disk_size: string | null;
            /** @example nvcr.io/nim/meta/llama-3.1-8b-instruct */
            image_name?: string | null;
            /** @example 1.8.5 */
            image_tag?: string | null;
            /**
             * @description Readiness path; required for the generic engine.
             * @example /v1/health/ready
             */
            health_check_path?: string | null;
            /** @example 1000 */
            run_as_user?: number | null;
            /** @example 1000 */
            run_as_group?: number | null;
            /**
             * @example {
             *       "NIM_MAX_MODEL_LEN": "8192"
             *     }
             */
            additional_envs?: {
                [key: string]: string;
            } | null;
            /** @default [] */
            additional_args: string[] | null;
            k8s_nim_operator_config?: components["schemas"]["K8sNimOperatorConfigDto"] | null;
            /**
             * @description Raw overrides deep-merged into the compiled workload.
             * @example {
             *       "spec": {
             *         "template": {
             *           "metadata": {
             *             "annotations": {
             *               "prometheus.io/scrape": "true"
             *             }
             *           }
             *         }
             *       }
             *     }
             */
            override_config?: {
                [key: string]: unknown;
            } | null;
        };
        CreateDeploymentConfigDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example llama-3-1-8b-1gpu
             */
            name: string;
            /** @example team-a */
            project?: string | null;
            /** @example Llama 3.1 8B Instruct on one GPU */
            description?: string | null;
            /**
             * @example nim
             * @enum {string}
             */
            engine: "nim" | "vllm" | "generic";
            /**
             * @description The model entity deployed, as workspace/name.
             * @example default/llama-3-1-8b-instruct
             */
            model_entity_id?: string | null;
            model_spec: components["schemas"]["ModelSpecDto"];
            executor_config: components["schemas"]["ExecutorConfigDto"];
        };
        DeploymentConfigDto: {
            /** @example deploymentconfig-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            name: string;
            workspace: string;
            project?: string;
            /** @example 1 */
            entity_version: number;
            description?: string;
            /** @enum {string} */
            engine: "nim" | "vllm" | "generic";
            model_entity_id?: string;
            model_spec: components["schemas"]["ModelSpecDto"];
            executor_config: components["schemas"]["ExecutorConfigDto"];
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description Versions are immutable: equal to created_at.
             */
            updated_at: string;
            /**
             * @description The principal that created this version.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description Versions are immutable: equal to created_by.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpdateDeploymentConfigDto: {
            /** @example Llama 3.1 8B Instruct on one GPU */
            description?: string | null;
            /**
             * @example nim
             * @enum {string}
             */
            engine: "nim" | "vllm" | "generic";
            /**
             * @description The model entity deployed, as workspace/name.
             * @example default/llama-3-1-8b-instruct
             */
            model_entity_id?: string | null;
            model_spec: components["schemas"]["ModelSpecDto"];
            executor_config: components["schemas"]["ExecutorConfigDto"];
        };
        CreateDeploymentDto: {
            /**
             * @description Deployment config name (or workspace/name within this workspace).
             * @example llama-3-1-8b-1gpu
             */
            config: string;
            /**
             * @description Config version; null or 0 means the latest.
             * @example 1
             */
            config_version?: number | null;
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example llama-3-1-8b
             */
            name: string;
            /** @example team-a */
            project?: string | null;
        };
        StatusHistoryEntryDto: {
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            status: "CREATED" | "PENDING" | "READY" | "FAILED" | "DELETING" | "DELETED";
            status_message: string;
        };
        DeploymentDto: {
            /** @example deployment-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            name: string;
            workspace: string;
            project?: string;
            /** @example 1 */
            entity_version: number;
            /** @example llama-3-1-8b-1gpu */
            config: string;
            /** @example 1 */
            config_version: number;
            /** @enum {string} */
            status: "CREATED" | "PENDING" | "READY" | "FAILED" | "DELETING" | "DELETED";
            status_message: string;
            /** @description Oldest first; the last entry is the current status; at most 100. */
            status_history: components["schemas"]["StatusHistoryEntryDto"][];
            /**
             * @description Why the version is in its status, when there is a machine-readable cause: start_failed, crash_loop, health_timeout, pending_timeout, image_pull, oom_killed, drift, unhealthy, insufficient_capacity, make_room (stopped to free GPUs for a newer version).
             * @example crash_loop
             */
            status_reason?: string;
            /**
             * @description Where this version serves, once its instance is ready.
             * @example http://127.0.0.1:41234
             */
            endpoint?: string;
            /**
             * @description The deployment's version that serves traffic: its newest READY version, which its provider routes to. During a rollout, or after a new version failed, it is an older version than this one; absent while none is READY.
             * @example 1
             */
            serving_version?: number;
            /** @example default/llama-3-1-8b */
            model_provider_id?: string;
            /**
             * @description The creator's identity (principal_id, principal_email?, principal_groups?), set by the server.
             * @example {
             *       "principal_id": "alice@example.com",
             *       "principal_email": "alice@example.com"
             *     }
             */
            auth_context?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created this version.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed this version through the API (status update, delete).
             * @example alice@example.com
             */
            updated_by?: string;
        };
        ServedModelRefDto: {
            /** @example default/meta-llama-3.1-8b-instruct */
            model_entity_id: string;
            /** @example meta/llama-3.1-8b-instruct */
            served_model_name: string;
        };
        DeploymentModelsDto: {
            /** @example default */
            workspace: string;
            /** @example llama */
            name: string;
            /**
             * @description The provider publishing them, once a version is READY.
             * @example default/llama
             */
            model_provider_id?: string;
            models: components["schemas"]["ServedModelRefDto"][];
        };
        UpdateDeploymentDto: {
            /**
             * @description Deployment config name (or workspace/name within this workspace).
             * @example llama-3-1-8b-1gpu
             */
            config: string;
            /**
             * @description Config version; null or 0 means the latest.
             * @example 1
             */
            config_version?: number | null;
        };
        DeploymentStatusUpdateDto: {
            /**
             * @example READY
             * @enum {string}
             */
            status: "CREATED" | "PENDING" | "READY" | "FAILED" | "DELETING" | "DELETED";
            /**
             * @default
             * @example NIM is healthy
             */
            status_message: string | null;
            /** @example null */
            model_provider_id?: string | null;
        };
        VirtualModelTargetDto: {
            /**
             * @description a model entity of the virtual model's workspace, as name or workspace/name.
             * @example llama-3-1-8b-instruct
             */
            model: string;
            /**
             * @description Overrides the entity's backend_format for requests routed through this virtual model.
             * @example null
             * @enum {string|null}
             */
            backend_format?: "OPENAI_CHAT" | "ANTHROPIC_MESSAGES" | null;
        };
        MiddlewareCallDto: {
            /**
             * @description The plugin: the built-in one.
             * @example modelplane
             * @enum {string}
             */
            name: "modelplane";
            /**
             * @example weighted
             * @enum {string}
             */
            config_type: "weighted" | "rules" | "intent_classifier" | "embedding_router" | "fallback" | "escalation" | "shadow";
            /** @description The config, of config_type's schema. */
            config: {
                targets: {
                    model: string;
                    weight: number;
                }[];
                sticky?: {
                    header?: string | null;
                    user?: boolean | null;
                } | null;
            } | {
                rules: {
                    model: string;
                    when: {
                        has_images?: boolean | null;
                        has_tools?: boolean | null;
                        min_prompt_tokens?: number | null;
                        max_prompt_tokens?: number | null;
                        header?: {
                            name: string;
                            one_of: string[];
                        } | null;
                        metadata?: {
                            key: string;
                            one_of: string[];
                        } | null;
                    };
                }[];
                default_model?: string | null;
            } | {
                classifier_model: string;
                categories: {
                    name: string;
                    description?: string | null;
                    model: string;
                }[];
                default_model: string;
                /** @enum {string|null} */
                trigger?: "every_request" | "first_user_turn" | null;
                timeout_ms?: number | null;
            } | {
                embedding_model: string;
                targets: {
                    model: string;
                    threshold: number;
                    cost?: number | null;
                    centroid?: number[] | null;
                }[];
                classifier?: {
                    weights: number[][];
                    bias: number[];
                } | null;
                default_model: string;
                timeout_ms?: number | null;
            } | {
                models: string[];
                on?: ("connection" | "timeout" | "status_5xx" | "status_429" | "stream_break")[] | null;
                first_byte_timeout_ms?: number | null;
            } | {
                tiers: string[];
            } | {
                model: string;
                share: number;
            };
            /**
             * @description Not supported (stored configs): give `config` inline.
             * @example null
             */
            config_id?: string | null;
        };
        CreateVirtualModelDto: {
            /**
             * @description Name; must start with a lowercase letter and be 2-63 characters of a-z, 0-9, -, @, ., + and _, without "--" and not ending in "-".
             * @example llama-router
             */
            name: string;
            /** @example team-a */
            project?: string | null;
            /**
             * @description Where requests go unless middleware chooses: a model entity of the virtual model's workspace, as name or workspace/name (stored as workspace/name). Written into the request's `model` before the request middleware runs. On PATCH, null clears it.
             * @example llama-3-1-8b-instruct
             */
            default_model_entity?: string | null;
            /** @description Model entities this virtual model uses, each with an optional backend_format override. */
            models?: components["schemas"]["VirtualModelTargetDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `weighted`, `rules`, `intent_classifier`, `embedding_router`, `fallback`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "weighted",
             *         "config": {
             *           "targets": [
             *             {
             *               "model": "llama-3-1-8b-instruct",
             *               "weight": 9
             *             },
             *             {
             *               "model": "llama-3-1-70b-instruct",
             *               "weight": 1
             *             }
             *           ]
             *         }
             *       },
             *       {
             *         "name": "modelplane",
             *         "config_type": "fallback",
             *         "config": {
             *           "models": [
             *             "llama-3-1-8b-instruct"
             *           ]
             *         }
             *       }
             *     ]
             */
            request_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `escalation`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "escalation",
             *         "config": {
             *           "tiers": [
             *             "llama-3-1-70b-instruct"
             *           ]
             *         }
             *       }
             *     ]
             */
            response_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `shadow`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "shadow",
             *         "config": {
             *           "model": "llama-3-1-8b-instruct-v2",
             *           "share": 0.05
             *         }
             *       }
             *     ]
             */
            post_response_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description NeMo's mark of a controller-managed passthrough; stored and filterable (Modelplane creates none).
             * @example false
             */
            autoprovisioned?: boolean | null;
            /**
             * @description Not supported: Modelplane's gateway proxies every virtual model itself. Only null is accepted.
             * @example null
             */
            override_proxy?: string | null;
        };
        VirtualModelDto: {
            /** @example virtualmodel-0f3c9a1b2c3d4e5f6a7b */
            id: string;
            /**
             * @description The same as id (NeMo keeps both).
             * @example virtualmodel-0f3c9a1b2c3d4e5f6a7b
             */
            entity_id: string;
            /** @example llama-router */
            name: string;
            /** @example default */
            workspace: string;
            project?: string;
            /** @example default/llama-3-1-8b-instruct */
            default_model_entity?: string;
            models: components["schemas"]["VirtualModelTargetDto"][];
            request_middleware: components["schemas"]["MiddlewareCallDto"][];
            response_middleware: components["schemas"]["MiddlewareCallDto"][];
            post_response_middleware: components["schemas"]["MiddlewareCallDto"][];
            autoprovisioned: boolean;
            /**
             * @description Counts writes (1 on create). Send it back as `If-Match: "<db_version>"` to refuse a stale write.
             * @example 1
             */
            db_version: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description The principal that created it.
             * @example alice@example.com
             */
            created_by?: string;
            /**
             * @description The principal that last changed it.
             * @example alice@example.com
             */
            updated_by?: string;
        };
        UpdateVirtualModelDto: {
            /**
             * @description Where requests go unless middleware chooses: a model entity of the virtual model's workspace, as name or workspace/name (stored as workspace/name). Written into the request's `model` before the request middleware runs. On PATCH, null clears it.
             * @example llama-3-1-8b-instruct
             */
            default_model_entity?: string | null;
            /** @description Model entities this virtual model uses, each with an optional backend_format override. */
            models?: components["schemas"]["VirtualModelTargetDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `weighted`, `rules`, `intent_classifier`, `embedding_router`, `fallback`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "weighted",
             *         "config": {
             *           "targets": [
             *             {
             *               "model": "llama-3-1-8b-instruct",
             *               "weight": 9
             *             },
             *             {
             *               "model": "llama-3-1-70b-instruct",
             *               "weight": 1
             *             }
             *           ]
             *         }
             *       },
             *       {
             *         "name": "modelplane",
             *         "config_type": "fallback",
             *         "config": {
             *           "models": [
             *             "llama-3-1-8b-instruct"
             *           ]
             *         }
             *       }
             *     ]
             */
            request_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `escalation`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "escalation",
             *         "config": {
             *           "tiers": [
             *             "llama-3-1-70b-instruct"
             *           ]
             *         }
             *       }
             *     ]
             */
            response_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description Each entry is NeMo's MiddlewareCall `{name, config_type, config}` with `name: "modelplane"` (the built-in plugin) and the config inline (stored configs, `config_id`, are not supported). Models a config names are model entities of the virtual model's workspace, as `name` or `workspace/name`. Checked on write: a 422 names the field and the rule. Config types of this phase: `shadow`.
             * @example [
             *       {
             *         "name": "modelplane",
             *         "config_type": "shadow",
             *         "config": {
             *           "model": "llama-3-1-8b-instruct-v2",
             *           "share": 0.05
             *         }
             *       }
             *     ]
             */
            post_response_middleware?: components["schemas"]["MiddlewareCallDto"][] | null;
            /**
             * @description NeMo's mark of a controller-managed passthrough; stored and filterable (Modelplane creates none).
             * @example false
             */
            autoprovisioned?: boolean | null;
            /**
             * @description Not supported: Modelplane's gateway proxies every virtual model itself. Only null is accepted.
             * @example null
             */
            override_proxy?: string | null;
        };
        AuditEventDto: {
            /**
             * @description Increasing id (a 64-bit integer, as a string).
             * @example 1042
             */
            id: string;
            /** Format: date-time */
            at: string;
            /**
             * @description The caller; absent when it was not authenticated.
             * @example alice
             */
            principal?: string;
            /** @description The API key the caller used, if any. */
            key_id?: string;
            /** @description The workspace acted in; absent for platform-wide operations. */
            workspace?: string;
            /** @example deployment.create */
            action: string;
            /**
             * @description The name (or id) of the resource acted on.
             * @example llama-3
             */
            resource?: string;
            /**
             * @description The entity version the change wrote or named.
             * @example 2
             */
            version?: number;
            /** @enum {string} */
            outcome: "success" | "denied" | "failed";
            /**
             * @description The answer's status; absent for an event the system made itself.
             * @example 201
             */
            status_code?: number;
            /**
             * @description Absent for an event the system made itself.
             * @example POST
             */
            method?: string;
            /**
             * @description The route (its template, not the request URL); absent for an event the system made itself.
             * @example /v2/workspaces/:workspace/deployments
             */
            path?: string;
            request_id?: string;
            /** @example 10.0.0.7 */
            client_address?: string;
            /** @description Why it was refused or failed: an error code (or the refusal for a 401/403). */
            message?: string;
            /**
             * @description What the event keeps beyond the fields above. `deployment.removed` (a DELETED deployment removed by the workers, principal `system`, or by a DELETE): `{cause, deployment: {id, created_at, created_by, updated_by}, versions: [...]}`, each version with its config, statuses and `status_history`, newest first.
             * @example {
             *       "cause": "retention",
             *       "deployment": {
             *         "id": "deployment-0f3c9a1b2c3d4e5f6a7b"
             *       },
             *       "versions": []
             *     }
             */
            details?: {
                [key: string]: unknown;
            };
        };
        UsageRowDto: {
            /**
             * @description Requests through the gateway.
             * @example 1200
             */
            requests: number;
            /**
             * @description Requests that failed (an error status or a failure cause).
             * @example 3
             */
            errors: number;
            /** @example 350000 */
            input_tokens: number;
            /** @example 75000 */
            output_tokens: number;
            /**
             * @description input_tokens + output_tokens.
             * @example 425000
             */
            total_tokens: number;
            /**
             * @description Cost per currency (ISO 4217), for the models with prices; empty when none had prices.
             * @example {
             *       "USD": 0.0425
             *     }
             */
            cost: {
                [key: string]: number;
            };
            /**
             * @description The workspace (with `-` as the path workspace).
             * @example team-a
             */
            workspace?: string;
            /**
             * @description Model entity or virtual model.
             * @example llama-3-8b
             */
            model?: string | null;
            /**
             * @description The provider that answered.
             * @example default/nim-llama
             */
            provider?: string | null;
            /**
             * @description The API key used.
             * @example apikey-0f3c9a1b2c3d4e5f6a7b
             */
            key_id?: string | null;
            /**
             * @description The caller (null when access is off).
             * @example alice
             */
            principal?: string | null;
            /**
             * Format: date
             * @description The UTC day.
             * @example 2026-12-01
             */
            day?: string;
            /**
             * Format: date-time
             * @description The UTC hour.
             * @example 2026-12-01T13:00:00.000Z
             */
            hour?: string;
        };
        UsageTotalsDto: {
            /**
             * @description Requests through the gateway.
             * @example 1200
             */
            requests: number;
            /**
             * @description Requests that failed (an error status or a failure cause).
             * @example 3
             */
            errors: number;
            /** @example 350000 */
            input_tokens: number;
            /** @example 75000 */
            output_tokens: number;
            /**
             * @description input_tokens + output_tokens.
             * @example 425000
             */
            total_tokens: number;
            /**
             * @description Cost per currency (ISO 4217), for the models with prices; empty when none had prices.
             * @example {
             *       "USD": 0.0425
             *     }
             */
            cost: {
                [key: string]: number;
            };
        };
        UsagePageDto: {
            /**
             * Format: date-time
             * @example 2026-12-01T00:00:00.000Z
             */
            start: string;
            /**
             * Format: date-time
             * @example 2026-12-08T00:00:00.000Z
             */
            end: string;
            /**
             * @example [
             *       "model",
             *       "day"
             *     ]
             */
            group_by: ("workspace" | "model" | "provider" | "key" | "principal" | "day" | "hour")[];
            data: components["schemas"]["UsageRowDto"][];
            /** @description The sums over the whole range (every page, every group). */
            totals: components["schemas"]["UsageTotalsDto"];
            pagination: components["schemas"]["PaginationDto"];
        };
        MemberDto: {
            /** @example alice@example.com */
            principal: string;
            /**
             * @example [
             *       "Editor"
             *     ]
             */
            roles: ("Viewer" | "Editor" | "Admin")[];
            /**
             * Format: date-time
             * @description When its first role there was granted.
             */
            granted_at: string;
            /**
             * @description Who granted that role.
             * @example admin
             */
            granted_by: string;
        };
        MemberListDto: {
            data: components["schemas"]["MemberDto"][];
        };
        MemberInputDto: {
            /**
             * @description A user, `service-account:NAME`, `group:NAME` (an OIDC group) or `*` (every authenticated principal).
             * @example alice@example.com
             */
            principal: string;
            /**
             * @default [
             *       "Editor"
             *     ]
             * @example [
             *       "Editor"
             *     ]
             */
            roles: ("Viewer" | "Editor" | "Admin")[];
        };
        MemberUpdateDto: {
            /**
             * @example [
             *       "Editor"
             *     ]
             */
            roles: ("Viewer" | "Editor" | "Admin")[];
        };
        DeleteResponseDto: {
            /** @example Resource deleted successfully. */
            message: string;
            /**
             * @description What was deleted.
             * @example rb-0f3c9a1b2c3d4e5f6a7b8c9d
             */
            id: string;
            /** Format: date-time */
            deleted_at: string;
        };
        RoleBindingDto: {
            /**
             * @description Derived from workspace, principal and role.
             * @example rb-0f3c9a1b2c3d4e5f6a7b8c9d
             */
            id: string;
            /**
             * @description The same as id.
             * @example rb-0f3c9a1b2c3d4e5f6a7b8c9d
             */
            name: string;
            /** @example service-account:ci */
            principal: string;
            /** @example team-a */
            workspace: string | null;
            /**
             * @example Editor
             * @enum {string}
             */
            role: "Viewer" | "Editor" | "Admin" | "PlatformAdmin";
            /** @example admin */
            granted_by: string;
            /** Format: date-time */
            granted_at: string;
            /** @example null */
            revoked_at: string | null;
        };
        RoleBindingInputDto: {
            /**
             * @description A user, `service-account:NAME`, `group:NAME` (an OIDC group) or `*` (every authenticated principal).
             * @example service-account:ci
             */
            principal: string;
            /**
             * @description The workspace of a Viewer, Editor or Admin binding; absent for PlatformAdmin.
             * @example team-a
             */
            workspace?: string;
            /**
             * @example Editor
             * @enum {string}
             */
            role: "Viewer" | "Editor" | "Admin" | "PlatformAdmin";
        };
        OidcDiscoveryDto: {
            /** @example https://login.example.com/realms/acme */
            issuer: string;
            /** @example modelplane-cli */
            client_id: string;
            authorization_endpoint?: string;
            token_endpoint?: string;
            device_authorization_endpoint?: string;
            userinfo_endpoint?: string;
            /**
             * @example [
             *       "openid",
             *       "profile",
             *       "email",
             *       "offline_access"
             *     ]
             */
            default_scopes: string[];
            /** @example api://modelplane/ */
            scope_prefix?: string;
        };
        AuthDiscoveryDto: {
            auth_enabled: boolean;
            /** @description Present when OIDC tokens are accepted. */
            oidc?: components["schemas"]["OidcDiscoveryDto"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    Metrics_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4; charset=utf-8": string;
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Health_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
        };
    };
    Health_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
        };
    };
    ApiKey_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKeyDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ApiKey_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKeyDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ApiKey_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ApiKey_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ApiKey_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKeyDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ApiKey_whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmIDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Workspace_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WorkspaceDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Workspace_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWorkspaceDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Workspace_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Workspace_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWorkspaceDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkspaceDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Workspace_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Secret_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SecretDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Secret_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSecretDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Secret_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Secret_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Secret_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSecretDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    SecretAdmin_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotateSecretsResultDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Model_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ModelDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Model_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateModelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Model_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Model_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Model_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateModelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Adapter_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AdapterDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Adapter_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAdapterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdapterDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Adapter_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdapterDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Adapter_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Adapter_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAdapterDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdapterDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ModelAdapter_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AdapterDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ModelAdapter_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateModelAdapterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdapterDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ModelAdapter_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                model: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    ModelAdapter_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                model: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAdapterDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdapterDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ProviderDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProviderDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_upsert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpsertProviderDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Provider_setStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderStatusDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
                /** @description List every version instead of the latest of each. */
                all_versions?: boolean;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeploymentConfigDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDeploymentConfigDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConfigDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConfigDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_newVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDeploymentConfigDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConfigDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConfigDto"][];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConfigDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    DeploymentConfig_deleteVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
                /** @description List every version instead of the latest of each. */
                all_versions?: boolean;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeploymentDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDeploymentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_get: {
        parameters: {
            query?: {
                /** @description Statuses to wait for. */
                wait_for?: string;
                /** @description Seconds to wait at most (default 60). */
                timeout?: number;
            };
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_newVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDeploymentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked DELETING; the workers tear it down. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_models: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentModelsDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_events: {
        parameters: {
            query?: {
                until?: string;
            };
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"][];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_deleteVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked DELETING. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Deployment_setStatus: {
        parameters: {
            query?: {
                version?: number;
            };
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeploymentStatusUpdateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"] | components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    VirtualModel_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
                /** @description false leaves out autoprovisioned (controller-managed) virtual models; default true. */
                include_autoprovisioned?: boolean;
                /** @description NeMo's spelling of the same choice: true leaves them out; default false. Not both at once. */
                exclude_autoprovisioned?: boolean;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VirtualModelDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    VirtualModel_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateVirtualModelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description The db_version, as an entity tag If-Match accepts. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VirtualModelDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    VirtualModel_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description The db_version, as an entity tag If-Match accepts. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VirtualModelDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    VirtualModel_delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optimistic locking: `"<db_version>"` as last read (or its ETag); 412 when it is no longer current. */
                "If-Match"?: string;
            };
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Precondition failed: `If-Match` names a db_version that is no longer current; read the resource again. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    VirtualModel_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optimistic locking: `"<db_version>"` as last read (or its ETag); 412 when it is no longer current. */
                "If-Match"?: string;
            };
            path: {
                workspace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateVirtualModelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description The db_version, as an entity tag If-Match accepts. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VirtualModelDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Precondition failed: `If-Match` names a db_version that is no longer current; read the resource again. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Request body too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    AuditEvent_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by (`at` or `id`); prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEventDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    AuditEvent_listInWorkspace: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Field to sort by (`at` or `id`); prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEventDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Usage_query: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description Start of the range (RFC 3339, inclusive); default: 7 days before `end`. */
                start?: string;
                /** @description End of the range (RFC 3339, exclusive); default: now. */
                end?: string;
                /** @description Comma-separated: any of workspace, model, provider, key, principal, day, hour (day and hour in UTC). Without it, one row sums the whole range. `workspace` groups a query across workspaces (`-` in the path). */
                group_by?: string;
                /** @description Only this model entity or virtual model (as the gateway named it). */
                model?: string;
            };
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePageDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Member_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberListDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Member_add: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberInputDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Member_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                principal: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberUpdateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    Member_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace: string;
                principal: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteResponseDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    RoleBinding_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                page_size?: number;
                /** @description granted_at, principal, role, workspace or id; prefix with - for descending. */
                sort?: string;
                /** @description Filter, as brackets (`filter[status]=READY`, `filter[name][$like]=llama`, `filter[name][]=a&filter[name][]=b`), JSON (`filter={"name":{"$like":"llama"}}`) or text (`filter=name~llama AND status IN (READY, PENDING)`). Operators: $eq $ne $like $in $nin $lt $lte $gt $gte, and $and $or $not; in text: `:` `~` `>` `>=` `<` `<=` `IN (…)` `NOT IN (…)`, AND (binds tighter), OR, NOT or `-`, parentheses. $like is a case-insensitive substring match in which `%` and `_` are wildcards and `\` escapes. A top-level `workspace` condition overrides the path workspace. */
                filter?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RoleBindingDto"][];
                        pagination: components["schemas"]["PaginationDto"];
                        /** @example created_at */
                        sort: string;
                        /**
                         * @description The filter the request sent, parsed (present only when it sent one).
                         * @example {
                         *       "name": {
                         *         "$like": "llama"
                         *       }
                         *     }
                         */
                        filter?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    RoleBinding_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBindingInputDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBindingDto"];
                };
            };
            /** @description Bad request: a referenced resource is unusable, a malformed filter or version, or invalid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Unsupported media type: request bodies are JSON (`content-type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Validation failed: each item names the field (`loc`) and the rule (`msg`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    RoleBinding_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBindingDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    RoleBinding_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteResponseDto"];
                };
            };
            /** @description Unauthenticated: no credential, or one that is unknown, expired or revoked (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Forbidden: the caller's role or key lacks the operation's permission (x-modelplane-permission) in the workspace. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Not found: the workspace or the named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Conflict: a duplicate name, a resource in use, an illegal status transition, or a concurrent modification. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
            /** @description Too many failed authentications from this address (`Retry-After`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDto"];
                };
            };
        };
    };
    AuthDiscovery_discover: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthDiscoveryDto"];
                };
            };
        };
    };
}
