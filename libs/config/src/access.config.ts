import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { PlatformConfig } from './platform.config.js';
import { toBool } from './env.js';

/**
 * Who may call: read by every process that authenticates requests (the API and the gateway). Keys and
 * role bindings live in the database; these settings say how callers prove who they are.
 */
export class AccessConfig extends PlatformConfig {
  /**
   * Authentication and authorization on every route but health, discovery and the docs. Turning it off
   * makes every caller a PlatformAdmin (a single trusted laptop only); a warning is logged at every start.
   */
  @Transform(toBool)
  @IsBoolean()
  AUTH_ENABLED: boolean = true;

  /**
   * The PlatformAdmin's key, from a secret store (at least 32 characters): only its hash is stored, and it
   * replaces the previous bootstrap key. Unset: on first start with no principals, the API creates a key
   * and writes it to MODELPLANE_ADMIN_KEY_FILE.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'MODELPLANE_BOOTSTRAP_ADMIN_KEY must be at least 32 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'MODELPLANE_BOOTSTRAP_ADMIN_KEY must be printable ASCII without spaces' })
  MODELPLANE_BOOTSTRAP_ADMIN_KEY?: string;

  /** Where the API writes the PlatformAdmin key it creates on first start (mode 0600; never printed). */
  @IsString()
  MODELPLANE_ADMIN_KEY_FILE: string = '.modelplane/admin-key';

  /** OIDC issuer whose tokens are accepted (`iss`, exact). Unset: OIDC is off and only API keys are accepted. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  OIDC_ISSUER?: string;

  /** Accepted `aud` values, comma-separated (required with OIDC_ISSUER). */
  @IsOptional()
  @Matches(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, { message: 'OIDC_AUDIENCE must be comma-separated audience values' })
  OIDC_AUDIENCE?: string;

  /** The issuer's JWKS; unset: read from the issuer's `/.well-known/openid-configuration`. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  OIDC_JWKS_URI?: string;

  /** The claim holding the caller's groups (an array of strings); a role can be bound to `group:NAME`. */
  @Matches(/^[A-Za-z0-9_:./-]{1,128}$/, { message: 'OIDC_GROUPS_CLAIM must be a claim name' })
  OIDC_GROUPS_CLAIM: string = 'groups';

  /** The public client NeMo's CLI signs in with, published by `GET /apis/auth/discovery`. */
  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  /** Scopes a client asks for at sign-in (space-separated), published by discovery. */
  @IsString()
  OIDC_DEFAULT_SCOPES: string = 'openid profile email offline_access';

  /** Prefix of custom scopes at the identity provider (e.g. `api://modelplane/`), published by discovery. */
  @IsOptional()
  @IsString()
  OIDC_SCOPE_PREFIX?: string;

  /** Failed authentications (401) from one client address per minute before it is answered 429. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURE_LIMIT: number = 30;

  /** How long a rotated API key keeps working beside its replacement, unless the rotation says otherwise. */
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  API_KEY_ROTATION_GRACE_SECONDS: number = 24 * 3600;

  /** A full reload of keys and role bindings at this interval, whatever notifications say (the safety net). */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  AUTH_REFRESH_INTERVAL_MS: number = 60_000;
}
