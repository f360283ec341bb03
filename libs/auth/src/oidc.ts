import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';

/**
 * Verification of OIDC bearer tokens (ID or access tokens in JWT form) issued by one identity provider.
 * Every cryptographic and claim check is jose's; this file adds what the gateway needs around it:
 * discovery, a bounded cache of verified identities (a repeated token costs a SHA-256 and a map
 * lookup), one verification shared by concurrent requests carrying the same new token, and failures
 * sorted into three reasons a caller can act on (401 for 'expired'/'invalid', 503 for 'unavailable').
 */

export interface OidcSettings {
  /** Compared exactly with the token's `iss`. */
  issuer: string;
  /** Accepted `aud` values; a token naming any one of them passes. */
  audience: string[];
  /** Else `jwks_uri` from `${issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Default 'groups': an array of strings, or one string. A dotted path ('realm_access.roles') reaches nested claims. */
  groupsClaim?: string;
  /** Default 'email'. An email whose `email_verified` is false is dropped. */
  emailClaim?: string;
  /** Default 30. */
  clockToleranceSeconds?: number;
  /** Default: every asymmetric JWS algorithm. 'none' and HS* are refused at construction. */
  algorithms?: string[];
  /** JWKS and discovery fetch timeout, default 5000. */
  fetchTimeoutMs?: number;
}

export interface OidcIdentity {
  subject: string;
  email: string | null;
  groups: string[];
  /** The token's `exp`, epoch seconds. */
  expiresAt: number;
}

/** The parts of the issuer's openid-configuration that Modelplane uses (CLI login, device flow). */
export interface OidcProviderMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  device_authorization_endpoint?: string;
  userinfo_endpoint?: string;
}

export interface OidcVerifierOptions {
  /** Verified identities kept in memory (least recently used evicted first). Default 10 000. */
  cacheSize?: number;
  /**
   * The clock, epoch milliseconds (default Date.now). It drives exp/nbf checks, the identity cache and the
   * metadata refresh; jose's JWKS cooldown and cache age run on Date.now whatever this says.
   */
  now?: () => number;
  /** jose's `cooldownDuration`: how soon after a JWKS fetch an unknown kid may cause another one. Default 30 000. */
  jwksCooldownMs?: number;
  /** jose's `cacheMaxAge`: how long a fetched JWKS is used before it is fetched again. Default 600 000. */
  jwksMaxAgeMs?: number;
}

export const OIDC_FAILURE_REASONS = ['expired', 'invalid', 'unavailable'] as const;
export type OidcFailureReason = (typeof OIDC_FAILURE_REASONS)[number];

/** Why a token was refused, in one line. The message never contains the token. */
export class OidcTokenError extends Error {
  override readonly name = 'OidcTokenError';
  constructor(
    readonly reason: OidcFailureReason,
    message: string,
  ) {
    super(message.replace(/\s+/g, ' '));
  }
}

export const OIDC_ASYMMETRIC_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const DEFAULT_CACHE_SIZE = 10_000;
const METADATA_TTL_MS = 60 * 60 * 1000;
/** Far above any real token; it keeps a hostile header from costing a hash of megabytes. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Header JSON starts with '{"' or '{ ', which base64url-encodes to 'ey'. */
const JWT_SHAPE = /^ey[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class OidcVerifier {
  private readonly issuer: string;
  private readonly verifyOptions: Omit<JWTVerifyOptions, 'currentDate'>;
  private readonly groupsClaim: string;
  private readonly emailClaim: string;
  private readonly fetchTimeoutMs: number;
  private readonly cacheSize: number;
  private readonly now: () => number;
  /** Insertion order is recency order: a hit is moved to the end, eviction takes the first. */
  private readonly cache = new Map<string, OidcIdentity>();
  private readonly inFlight = new Map<string, Promise<OidcIdentity>>();
  private keys: Promise<JWTVerifyGetKey> | null = null;
  private discovered: { metadata: OidcProviderMetadata; fetchedAt: number } | null = null;
  private discovering: Promise<OidcProviderMetadata> | null = null;

  constructor(
    private readonly settings: OidcSettings,
    private readonly options: OidcVerifierOptions = {},
  ) {
    const problem = settingsProblem(settings);
    if (problem) throw new TypeError(`OIDC settings: ${problem}`);
    this.issuer = settings.issuer;
    this.verifyOptions = {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: settings.algorithms ?? [...OIDC_ASYMMETRIC_ALGORITHMS],
      clockTolerance: settings.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
    };
    this.groupsClaim = settings.groupsClaim ?? 'groups';
    this.emailClaim = settings.emailClaim ?? 'email';
    this.fetchTimeoutMs = settings.fetchTimeoutMs ?? 5000;
    this.cacheSize = Math.max(0, options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.now = options.now ?? Date.now;
  }

  /** Cheap shape test telling a JWT from an opaque API key; it proves nothing about the token. */
  static looksLikeJwt(token: string): boolean {
    return token.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(token);
  }

  verify(token: string): Promise<OidcIdentity> {
    if (token.length > MAX_TOKEN_LENGTH) {
      return Promise.reject(new OidcTokenError('invalid', `token longer than ${MAX_TOKEN_LENGTH} characters`));
    }
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      // Past exp the token goes back through jose, which applies the clock tolerance and says 'expired'.
      if (hit.expiresAt * 1000 > this.now()) {
        this.cache.set(key, hit);
        return Promise.resolve(hit);
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const verification = this.verifyUncached(token).then(
      (identity) => {
        this.inFlight.delete(key);
        this.remember(key, identity);
        return identity;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, verification);
    return verification;
  }

  /** The issuer's openid-configuration, fetched at most hourly; the last good copy while the issuer is down, else null. */
  async metadata(): Promise<OidcProviderMetadata | null> {
    try {
      return await this.loadMetadata();
    } catch {
      return this.discovered?.metadata ?? null;
    }
  }

  private remember(key: string, identity: OidcIdentity): void {
    if (this.cacheSize === 0 || identity.expiresAt * 1000 <= this.now()) return;
    this.cache.set(key, identity);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async verifyUncached(token: string): Promise<OidcIdentity> {
    const getKey = await this.keyResolver();
    const options: JWTVerifyOptions = { ...this.verifyOptions, currentDate: new Date(this.now()) };
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, getKey, options)).payload;
    } catch (error) {
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw tokenError(error);
      payload = await this.verifyWithCandidates(token, error, options);
    }
    return this.identity(payload);
  }

  /** A token without `kid` against a JWKS holding several keys of its type: the first key whose signature matches wins. */
  private async verifyWithCandidates(
    token: string,
    candidates: errors.JWKSMultipleMatchingKeys,
    options: JWTVerifyOptions,
  ): Promise<JWTPayload> {
    for await (const key of candidates) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw tokenError(error);
      }
    }
    throw new OidcTokenError('invalid', 'signature verification failed');
  }

  private identity(payload: JWTPayload): OidcIdentity {
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new OidcTokenError('invalid', '"sub" claim must be a non-empty string');
    }
    const email = claim(payload, this.emailClaim);
    const groups = claim(payload, this.groupsClaim);
    const list = Array.isArray(groups) ? groups : [groups];
    return Object.freeze({
      subject: payload.sub,
      email: typeof email === 'string' && email !== '' && payload.email_verified !== false ? email : null,
      groups: Object.freeze(list.filter((g): g is string => typeof g === 'string' && g !== '')) as string[],
      expiresAt: payload.exp as number,
    });
  }

  /**
   * jose's remote JWKS (it caches keys and refetches on an unknown kid after its cooldown), wrapped so
   * that a JWKS that cannot be had is 'unavailable' rather than a verdict on the token.
   */
  private keyResolver(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.jwksUrl().then(
      (url) => {
        const remote = createRemoteJWKSet(url, {
          timeoutDuration: this.fetchTimeoutMs,
          cooldownDuration: this.options.jwksCooldownMs,
          cacheMaxAge: this.options.jwksMaxAgeMs,
        });
        return wrapResolver(remote, url);
      },
      (error: unknown) => {
        this.keys = null; // discovery is retried by the next verification
        throw error;
      },
    );
    return this.keys;
  }

  private async jwksUrl(): Promise<URL> {
    if (this.settings.jwksUri) return new URL(this.settings.jwksUri);
    try {
      return new URL((await this.loadMetadata()).jwks_uri);
    } catch (error) {
      throw new OidcTokenError('unavailable', `OIDC discovery for ${this.issuer} failed: ${describe(error)}`);
    }
  }

  private loadMetadata(): Promise<OidcProviderMetadata> {
    if (this.discovered && this.now() - this.discovered.fetchedAt < METADATA_TTL_MS) {
      return Promise.resolve(this.discovered.metadata);
    }
    this.discovering ??= this.fetchMetadata()
      .then((metadata) => {
        this.discovered = { metadata, fetchedAt: this.now() };
        return metadata;
      })
      .finally(() => {
        this.discovering = null;
      });
    return this.discovering;
  }

  private async fetchMetadata(): Promise<OidcProviderMetadata> {
    const url = `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(this.fetchTimeoutMs),
    });
    if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
    const doc = (await response.json()) as Record<string, unknown>;
    if (typeof doc !== 'object' || doc === null) throw new Error(`${url} is not a JSON object`);
    // OpenID Connect Discovery 1.0 §4.3: a document naming another issuer must not be used.
    if (doc.issuer !== this.issuer) throw new Error(`${url} names a different issuer`);
    const jwksUri = httpUrl(doc.jwks_uri) ?? this.settings.jwksUri;
    if (!jwksUri) throw new Error(`${url} has no usable jwks_uri`);
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      authorization_endpoint: httpUrl(doc.authorization_endpoint),
      token_endpoint: httpUrl(doc.token_endpoint),
      device_authorization_endpoint: httpUrl(doc.device_authorization_endpoint),
      userinfo_endpoint: httpUrl(doc.userinfo_endpoint),
    };
  }
}

function wrapResolver(remote: RemoteJWKSet, url: URL): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // These say the token does not fit the key set; everything else says the key set could not be had.
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      throw new OidcTokenError('unavailable', `JWKS ${url.origin}${url.pathname} unavailable: ${describe(error)}`);
    }
  };
}

function tokenError(error: unknown): OidcTokenError {
  if (error instanceof OidcTokenError) return error;
  if (error instanceof errors.JWTExpired) return new OidcTokenError('expired', 'token expired');
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new OidcTokenError('invalid', "no key in the issuer's JWKS matches the token's kid and alg");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new OidcTokenError('invalid', 'signature verification failed');
  }
  // jose's messages are fixed texts naming a claim or header parameter, never its value.
  if (error instanceof errors.JOSEError) return new OidcTokenError('invalid', error.message);
  return new OidcTokenError('invalid', `token could not be verified (${(error as Error)?.name ?? 'error'})`);
}

function describe(error: unknown): string {
  if (error instanceof errors.JWKSTimeout || (error as Error)?.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause === 'string' ? `${message} (${cause})` : message;
}

/** `name` as a top-level claim, else as a dotted path into nested objects. */
function claim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

function settingsProblem(s: OidcSettings): string | null {
  if (!httpUrl(s.issuer)) return 'issuer must be an http(s) URL';
  if (!Array.isArray(s.audience) || s.audience.length === 0 || s.audience.some((a) => typeof a !== 'string' || !a)) {
    return 'audience must list at least one non-empty value';
  }
  if (s.jwksUri !== undefined && !httpUrl(s.jwksUri)) return 'jwksUri must be an http(s) URL';
  if (s.algorithms !== undefined) {
    if (s.algorithms.length === 0) return 'algorithms must not be empty';
    const refused = s.algorithms.filter((a) => !OIDC_ASYMMETRIC_ALGORITHMS.includes(a));
    if (refused.length) return `algorithms ${refused.join(', ')} not allowed (asymmetric only: no 'none', no HS*)`;
  }
  const tolerance = s.clockToleranceSeconds;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) {
    return 'clockToleranceSeconds must be a non-negative number';
  }
  if (s.fetchTimeoutMs !== undefined && !(Number.isInteger(s.fetchTimeoutMs) && s.fetchTimeoutMs > 0)) {
    return 'fetchTimeoutMs must be a positive integer';
  }
  return null;
}
