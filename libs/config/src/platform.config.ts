import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { toBool } from './env.js';
import { egressAllowProblem } from '#egress';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A development-only key; refused when MODELPLANE_ENV=production. */
export const DEV_SECRET_KEY = 'dev:bW9kZWxwbGFuZS1kZXZlbG9wbWVudC1rZXktMzJieXQ=';

/** Shared by every process that talks to the database. */
export class DatabaseConfig {
  /** PostgreSQL connection string. */
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL: string = 'postgresql://postgres@127.0.0.1:5432/modelplane';

  /** Connections in this process's pool. */
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;
}

/** Where the job queues live: `redis` (REDIS_URL) or `postgres` (a schema of its own in DATABASE_URL's database). */
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendKind = (typeof QUEUE_BACKENDS)[number];

/** Shared by every process that uses the job queues. */
export class QueueConfig extends DatabaseConfig {
  /**
   * `redis`: the job queues live in Redis (REDIS_URL). `postgres`: BullMQ's PostgreSQL backend keeps them in
   * DATABASE_URL's database, in a schema of their own named after QUEUE_PREFIX; REDIS_URL is not used and no
   * process opens a Redis connection (what `npm start` picks when REDIS_URL is not set: one machine).
   */
  @IsIn(QUEUE_BACKENDS)
  QUEUE_BACKEND: QueueBackendKind = 'redis';

  /** Redis, for the job queues (QUEUE_BACKEND=redis). */
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /**
   * Prefix of every queue key in Redis, or (QUEUE_BACKEND=postgres) the name of the queues' schema:
   * `<prefix>_queue` with every character other than A-Z a-z 0-9 _ made `_`. Processes that share a prefix
   * share queues.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_:.-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 characters of A-Z a-z 0-9 _ : . -' })
  QUEUE_PREFIX: string = 'modelplane';

  /**
   * Longest an enqueue (and a readiness ping) waits for the queue (Redis, or PostgreSQL with
   * QUEUE_BACKEND=postgres). The write it follows is already stored, so a queue that hangs or is gone delays
   * the answer by at most this; the worker's resync enqueues it later.
   */
  @IsInt()
  @Min(100)
  @Max(60_000)
  QUEUE_ENQUEUE_TIMEOUT_MS: number = 2000;
}

/** What every Modelplane process (API, worker) shares. */
export class PlatformConfig extends QueueConfig {
  @IsIn(['development', 'test', 'production'])
  MODELPLANE_ENV: 'development' | 'test' | 'production' = 'development';

  /** Where deployments run: `local` processes, `kubernetes`, or `none` (registry only; deployment writes are refused). */
  @IsIn(['local', 'kubernetes', 'none'])
  MODELPLANE_RUNTIME: 'local' | 'kubernetes' | 'none' = 'local';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'log';

  /**
   * `json`: one JSON object per line (for log collectors and files); `pretty`: readable lines; `auto`:
   * pretty on a terminal, JSON otherwise. Either way credentials and secret values are redacted.
   */
  @IsIn(['json', 'pretty', 'auto'])
  LOG_FORMAT: 'json' | 'pretty' | 'auto' = 'auto';

  /**
   * The longest one readiness check (`/health/ready`: the database, Redis, the runtime) or one scrape-time
   * metric query (queue counts, deployments by status) may take: a dependency that hangs reads as down.
   */
  @IsInt()
  @Min(50)
  @Max(60_000)
  HEALTH_CHECK_TIMEOUT_MS: number = 2000;

  /** Prometheus metrics at `/metrics` (the worker: on its health port); off, the route answers 404 and nothing is counted. */
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED: boolean = true;

  /**
   * OpenTelemetry traces, sent by OTLP/HTTP to this endpoint's `/v1/traces` (`http://otel-collector:4318`).
   * Unset: no traces.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Share of new traces recorded, 0 to 1; a request arriving with a sampled `traceparent` is always recorded. */
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLE_RATIO: number = 1;

  /**
   * Secret encryption keys: comma-separated `keyId:base64key` pairs, each key
   * 32 bytes. The first is used to encrypt; all are used to decrypt, so a new
   * key goes first and old ones stay until secrets are rotated.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'MODELPLANE_SECRET_KEYS must be comma-separated keyId:base64(32-byte key) pairs',
  })
  MODELPLANE_SECRET_KEYS?: string;

  /**
   * What providers registered by hand may reach besides public addresses: comma-separated addresses,
   * CIDR ranges and host names (`*.corp.example` for every name under it), e.g. a corporate endpoint.
   * Read by the API (on write), the worker (discovery) and the gateway (at connect time).
   */
  @ValidateBy({
    name: 'isEgressAllowList',
    validator: {
      validate: (value) => typeof value === 'string' && egressAllowProblem(value) === null,
      defaultMessage: (args) =>
        `PROVIDER_EGRESS_ALLOW: ${typeof args?.value === 'string' ? egressAllowProblem(args.value) : 'must be a string'}`,
    },
  })
  PROVIDER_EGRESS_ALLOW: string = '';
}

/** The configured secret keys; outside production, a fixed development key when none is set. */
export function secretKeys(config: PlatformConfig): string {
  if (config.MODELPLANE_SECRET_KEYS) return config.MODELPLANE_SECRET_KEYS;
  if (config.MODELPLANE_ENV === 'production') {
    throw new Error('MODELPLANE_SECRET_KEYS is required when MODELPLANE_ENV=production');
  }
  return DEV_SECRET_KEY;
}
