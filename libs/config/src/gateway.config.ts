import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, Min } from 'class-validator';
import { DEFAULT_MAX_JSON_DEPTH } from '#domain';
import { AccessConfig } from './access.config.js';
import { toBool } from './env.js';

/**
 * The inference gateway. It reads the database (the routing table) and the
 * secret keys (provider keys); REDIS_URL and the queue settings it inherits
 * are not used.
 */
export class GatewayConfig extends AccessConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT: number = 8081;

  @IsString()
  GATEWAY_HOST: string = '0.0.0.0';

  /** Opening a connection to a provider. */
  @IsInt()
  @Min(100)
  GATEWAY_CONNECT_TIMEOUT_MS: number = 5_000;

  /**
   * From the request sent to the provider's response headers. A completion that is not streamed arrives
   * whole, after the model generated all of it: keep this long.
   */
  @IsInt()
  @Min(100)
  GATEWAY_FIRST_BYTE_TIMEOUT_MS: number = 300_000;

  /** Between two pieces of a provider's response body (a stalled stream ends with an error event). */
  @IsInt()
  @Min(100)
  GATEWAY_IDLE_TIMEOUT_MS: number = 60_000;

  /** Largest request body accepted, in bytes (413 beyond). */
  @IsInt()
  @Min(1024)
  @Max(256 * 1024 * 1024)
  GATEWAY_MAX_BODY_BYTES: number = 10 * 1024 * 1024;

  /**
   * Deepest JSON nesting of a request body on the model and OpenAI routes (400 beyond), checked before the
   * body is parsed: JSON.stringify overflows the stack some thousands of levels down.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  GATEWAY_MAX_JSON_DEPTH: number = DEFAULT_MAX_JSON_DEPTH;

  /** Providers tried per request on the model and OpenAI routes, after connection failures and 5xx answers. */
  @IsInt()
  @Min(1)
  @Max(10)
  GATEWAY_MAX_ATTEMPTS: number = 3;

  /** The longest Retry-After honoured by waiting before trying the same provider again. */
  @IsInt()
  @Min(0)
  GATEWAY_RETRY_AFTER_MAX_MS: number = 2_000;

  /** The routing table is reloaded on every change the database announces, and at this interval in any case. */
  @IsInt()
  @Min(1000)
  GATEWAY_REFRESH_INTERVAL_MS: number = 30_000;

  /** Count every request per workspace, principal, key, model and provider in PostgreSQL (GET …/usage). */
  @Transform(toBool)
  @IsBoolean()
  GATEWAY_USAGE_ACCOUNTING: boolean = true;

  /** How often the usage counted in memory is added to PostgreSQL (one statement each time, if any). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  GATEWAY_USAGE_FLUSH_INTERVAL_MS: number = 1_000;
}
