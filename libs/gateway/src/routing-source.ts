import pg from 'pg';
import {
  authHeaderFormatProblem,
  CoalescedTask,
  DEFAULT_AUTH_HEADER_FORMAT,
  parseModelPricing,
  renderAuthHeader,
  secretHeaderValueProblem,
} from '#domain';
import type { PgNotifications } from '#db/notifications';
import { loadVirtualModelRoutes } from '#db/virtual-model-routes';
import { secretAad, type SecretCipher } from '#db/secret-cipher';
import { buildRoutingTable, EMPTY_TABLE, type Pricing, type ProviderRow, type RoutingTable } from './routing-table.js';

/** Where the database announces a change to providers, models, secrets or virtual models (the routing_notify migrations). */
export const ROUTING_CHANNEL = 'routing_changed';

export interface RoutingSourceLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RoutingSourceOptions {
  databaseUrl: string;
  /** The application's shared LISTEN connection (NotificationsModule). */
  notifications: PgNotifications;
  cipher: SecretCipher;
  logger: RoutingSourceLogger;
  /** A full reload at this interval whatever the notifications say (the safety net). */
  refreshIntervalMs: number;
  /** Notifications within this window share one reload. */
  debounceMs?: number;
}

interface Row {
  id: string;
  workspace: string;
  name: string;
  host_url: string;
  status: string;
  status_message: string;
  served_models: unknown;
  default_extra_headers: unknown;
  required_extra_headers: unknown;
  default_extra_body: unknown;
  required_extra_body: unknown;
  auth_header_format: string | null;
  api_key_secret_name: string | null;
  ciphertext: Uint8Array<ArrayBuffer> | null;
  nonce: Uint8Array<ArrayBuffer> | null;
  auth_tag: Uint8Array<ArrayBuffer> | null;
  key_id: string | null;
  deployment_backed: boolean;
}

/**
 * Keeps the routing table in memory: loads every provider (with its key
 * decrypted once, here) and the model entities they serve, then listens on
 * ROUTING_CHANNEL and reloads when the database says something changed, when
 * the notification connection comes back (changes may have been missed),
 * and every `refreshIntervalMs` in any case. A request never waits on the
 * database. A reload that fails keeps the last table and is retried.
 */
export class RoutingSource {
  private table: RoutingTable = EMPTY_TABLE;
  private entities = new Set<string>();
  private readonly pool: pg.Pool;
  private unsubscribe: (() => void) | null = null;
  private readonly reloads = new CoalescedTask(
    () => this.load(),
    () => this.closed,
  );
  private debounce: NodeJS.Timeout | null = null;
  private interval: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly changeListeners = new Set<(table: RoutingTable) => void>();

  constructor(private readonly options: RoutingSourceOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    // An idle connection the server ends would otherwise be an unheard 'error' that ends the process.
    this.pool.on('error', (error) =>
      options.logger.warn(`Routing table: an idle database connection ended (${error.message})`),
    );
  }

  get current(): RoutingTable {
    return this.table;
  }

  /** Whether a model entity exists (routable or not), to tell "no such entity" from "no provider serves it". */
  hasEntity(ref: string): boolean {
    return this.entities.has(ref);
  }

  onChange(listener: (table: RoutingTable) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Loads the table and starts listening; resolves once the first table is in. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.notifications.subscribe(ROUTING_CHANNEL, {
      notify: () => this.changed(),
      reconnected: () => this.changed(),
    });
    // Listening before loading, so no change falls in between. When the database cannot be reached the load
    // below fails anyway; should only listening fail, PgNotifications retries and `reconnected` reloads.
    await this.options.notifications.start().catch(() => undefined);
    await this.reload();
    this.interval = setInterval(() => void this.reload().catch(() => undefined), this.options.refreshIntervalMs);
    this.interval.unref();
  }

  /** Reloads now (coalescing with a reload under way: one more runs after it). */
  reload(): Promise<void> {
    return this.reloads.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    for (const timer of [this.debounce, this.interval]) if (timer) clearTimeout(timer);
    await this.reloads.pending?.catch(() => undefined);
    await this.pool.end();
  }

  private async load(): Promise<void> {
    const [providers, entities, virtualModels] = await Promise.all([
      this.pool.query<Row>(
        `SELECT p.id, p.workspace, p.name, p.host_url, p.status::text AS status, p.status_message, p.served_models,
           p.default_extra_headers, p.required_extra_headers, p.default_extra_body, p.required_extra_body,
           p.auth_header_format, p.api_key_secret_name, s.ciphertext, s.nonce, s.auth_tag, s.key_id,
           -- The control plane's own: linked to a deployment of its workspace, at an endpoint it recorded.
           -- A link alone can be written through the API; the endpoint match cannot be forged.
           EXISTS (SELECT 1 FROM deployment_versions v
                   WHERE v.workspace = p.workspace AND p.model_deployment_id = v.workspace || '/' || v.name
                     AND v.endpoint = p.host_url) AS deployment_backed
         FROM model_providers p
         LEFT JOIN secrets s ON s.workspace = p.workspace AND s.name = p.api_key_secret_name`,
      ),
      this.pool.query<{ ref: string; pricing: unknown }>(`SELECT workspace || '/' || name AS ref, pricing FROM models`),
      loadVirtualModelRoutes(this.pool),
    ]);
    const rows = providers.rows.map((row) => this.toProviderRow(row));
    const prices = new Map<string, Pricing>();
    for (const { ref, pricing } of entities.rows) {
      const price = parseModelPricing(pricing);
      if (price) prices.set(ref, price);
    }
    this.table = buildRoutingTable(rows, Date.now(), { virtualModels, prices });
    this.entities = new Set(entities.rows.map((r) => r.ref));
    for (const listener of this.changeListeners) listener(this.table);
  }

  /** The provider's key, decrypted and rendered into its header; a provider whose key cannot be used says why. */
  private toProviderRow(row: Row): ProviderRow {
    let authHeader: ProviderRow['authHeader'] = null;
    let secret: string | null = null;
    let keyError: string | null = null;
    if (row.api_key_secret_name) {
      const secretRef = `${row.workspace}/${row.api_key_secret_name}`;
      if (!row.ciphertext || !row.nonce || !row.auth_tag || !row.key_id) {
        keyError = `Could not fetch secret for provider ${row.workspace}/${row.name}; secret not found or unreachable`;
      } else {
        try {
          const value = this.options.cipher.open(
            { ciphertext: row.ciphertext, nonce: row.nonce, authTag: row.auth_tag, keyId: row.key_id },
            secretAad(row.workspace, row.api_key_secret_name),
          );
          secret = value;
          const format = row.auth_header_format ?? DEFAULT_AUTH_HEADER_FORMAT;
          const valueProblem = secretHeaderValueProblem(value);
          authHeader = authHeaderFormatProblem(format) === null ? renderAuthHeader(format, value) : null;
          if (valueProblem !== null)
            keyError = `Secret ${secretRef} of provider ${row.workspace}/${row.name} ${valueProblem}`;
          else if (authHeader === null)
            keyError = `Provider ${row.workspace}/${row.name} has an unusable auth_header_format`;
        } catch {
          // The message names the secret, never its value or the key material.
          keyError = `Could not fetch secret for provider ${row.workspace}/${row.name}; secret ${secretRef} cannot be decrypted with the configured keys`;
        }
      }
    }
    return {
      id: row.id,
      workspace: row.workspace,
      name: row.name,
      hostUrl: row.host_url,
      status: row.status,
      statusMessage: row.status_message,
      servedModels: row.served_models,
      defaultExtraHeaders: row.default_extra_headers,
      requiredExtraHeaders: row.required_extra_headers,
      defaultExtraBody: row.default_extra_body,
      requiredExtraBody: row.required_extra_body,
      authHeader,
      secret,
      keyError,
      egressChecked: !row.deployment_backed,
    };
  }

  private changed(): void {
    if (this.debounce !== null || this.closed) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.reload().catch((error: Error) =>
        this.options.logger.error(`Routing table: reload failed (${error.message}); keeping the last one`),
      );
    }, this.options.debounceMs ?? 20);
    this.debounce.unref();
  }
}
