import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_MAX_JSON_DEPTH } from '#domain';
import { AccessConfig } from './access.config.js';
import { toBool } from './env.js';

export class ApiConfig extends AccessConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 8080;

  @IsString()
  HOST: string = '0.0.0.0';

  /** Apply pending migrations when the service starts. */
  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START: boolean = true;

  /** Largest accepted request body, in bytes. */
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  MAX_BODY_BYTES: number = 1024 * 1024;

  /**
   * Deepest nesting of arrays and objects accepted in a JSON body, checked on the raw text before parsing:
   * recursive parsers, validators and serialisers overflow their stacks a few thousand levels down.
   */
  @IsInt()
  @Min(8)
  @Max(512)
  MAX_JSON_DEPTH: number = DEFAULT_MAX_JSON_DEPTH;

  /**
   * Serve the inference gateway's routes on the API's port too, so a client with one base URL (as NeMo's
   * SDK has) reaches both. The gateway's own settings (GATEWAY_*) apply. Turn off where an ingress sends the
   * gateway paths to the gateway app.
   */
  @Transform(toBool)
  @IsBoolean()
  API_SERVES_GATEWAY: boolean = true;

  /**
   * Environment variables a deployment config may set although they load code into the server
   * (NODE_OPTIONS, LD_PRELOAD, PYTHONPATH, …; see libs/domain env-names): comma-separated exact names.
   */
  @Matches(/^\s*([A-Za-z_][A-Za-z0-9_]*\s*(,\s*[A-Za-z_][A-Za-z0-9_]*\s*)*)?$/, {
    message: 'CONFIG_ENV_ALLOW must be comma-separated environment variable names',
  })
  CONFIG_ENV_ALLOW: string = '';

  /** Longest a `wait_for` long-poll may hold a request, in seconds. */
  @IsInt()
  @Min(1)
  @Max(3600)
  MAX_WAIT_SECONDS: number = 900;
}
