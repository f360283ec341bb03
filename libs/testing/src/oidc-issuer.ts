import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A tiny OpenID provider for tests: a real HTTP server on 127.0.0.1 serving
 * `/.well-known/openid-configuration` and `/jwks`, holding signing keys, signing tokens, and
 * counting how often each document was fetched (which is how tests see whether a verifier went
 * back to the issuer). It is a test double for the identity provider, not for our own code.
 */

export interface OidcTestIssuerOptions {
  /** Signing algorithm of the keys it generates. Default 'RS256'. */
  alg?: string;
  /** Default `aud` of signed tokens. Default 'modelplane'. */
  audience?: string;
}

export interface SignOptions {
  /** Sign with this published key (default: the newest). */
  kid?: string;
  /** Token lifetime in seconds from now, for the default `exp`. Default 300. */
  ttlSeconds?: number;
}

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  published: boolean;
}

export class OidcTestIssuer {
  /** GET /jwks answered since start (or the last resetCounts). */
  jwksFetches = 0;
  /** GET /.well-known/openid-configuration answered. */
  metadataFetches = 0;
  /** When set, every route answers this status with an empty JSON object (an issuer in trouble). */
  failWithStatus: number | null = null;
  /** Delays every answer, to exercise fetch timeouts. */
  delayMs = 0;

  private readonly keys: TestKey[] = [];

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly alg: string,
    readonly audience: string,
  ) {}

  static async start(options: OidcTestIssuerOptions = {}): Promise<OidcTestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const issuer = new OidcTestIssuer(
      server,
      `http://127.0.0.1:${port}`,
      options.alg ?? 'RS256',
      options.audience ?? 'modelplane',
    );
    server.on('request', (req, res) => issuer.answer(req, res));
    await issuer.rotate();
    return issuer;
  }

  get jwksUri(): string {
    return `${this.issuer}/jwks`;
  }

  /** The kid that `sign` uses by default. */
  get currentKid(): string {
    return this.keys.filter((k) => k.published).at(-1)!.kid;
  }

  /** Adds a new published key (older keys stay in the JWKS) and makes it the default signer; returns its kid. */
  async rotate(): Promise<string> {
    const key = await this.newKey(true);
    return key.kid;
  }

  /** Removes a key from the JWKS (as when an issuer retires it). */
  unpublish(kid: string): void {
    this.key(kid).published = false;
  }

  /**
   * Signs `claims` over defaults (iss, aud, sub 'user-1', iat, exp = now + ttl). A claim set to
   * undefined is left out, e.g. `{ exp: undefined }` for a token without expiry.
   */
  async sign(claims: JWTPayload = {}, options: SignOptions = {}): Promise<string> {
    const key = this.key(options.kid ?? this.currentKid);
    return signWith(key.privateKey, { kid: key.kid, alg: this.alg }, this.claims(claims, options));
  }

  /** Signs with a fresh key that is not in the JWKS, under that key's own new kid. */
  async signWithUnknownKey(claims: JWTPayload = {}): Promise<{ token: string; kid: string; publish: () => void }> {
    const key = await this.newKey(false);
    const token = await signWith(key.privateKey, { kid: key.kid, alg: this.alg }, this.claims(claims, {}));
    return { token, kid: key.kid, publish: () => void (key.published = true) };
  }

  /** A forgery: signed by a stranger's key while claiming the current published kid. */
  async forge(claims: JWTPayload = {}): Promise<string> {
    const { privateKey } = await generateKeyPair(this.alg);
    return signWith(privateKey, { kid: this.currentKid, alg: this.alg }, this.claims(claims, {}));
  }

  resetCounts(): void {
    this.jwksFetches = 0;
    this.metadataFetches = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // fetch keeps connections alive; without this close() waits for them to idle out.
      this.server.closeAllConnections();
    });
  }

  private claims(claims: JWTPayload, options: SignOptions): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    const merged: JWTPayload = {
      iss: this.issuer,
      aud: this.audience,
      sub: 'user-1',
      iat: now,
      exp: now + (options.ttlSeconds ?? 300),
      ...claims,
    };
    for (const name of Object.keys(merged)) if (merged[name] === undefined) delete merged[name];
    return merged;
  }

  private key(kid: string): TestKey {
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`OidcTestIssuer has no key '${kid}'`);
    return key;
  }

  private async newKey(published: boolean): Promise<TestKey> {
    const { privateKey, publicKey } = await generateKeyPair(this.alg);
    const kid = `k-${randomBytes(4).toString('hex')}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: this.alg, use: 'sig' };
    const key = { kid, privateKey, jwk, published };
    this.keys.push(key);
    return key;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    let body: unknown;
    if (path === '/.well-known/openid-configuration') {
      this.metadataFetches++;
      body = {
        issuer: this.issuer,
        jwks_uri: this.jwksUri,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        device_authorization_endpoint: `${this.issuer}/device/code`,
        userinfo_endpoint: `${this.issuer}/userinfo`,
        id_token_signing_alg_values_supported: [this.alg],
      };
    } else if (path === '/jwks') {
      this.jwksFetches++;
      body = { keys: this.keys.filter((k) => k.published).map((k) => k.jwk) };
    }
    const status = body === undefined ? 404 : (this.failWithStatus ?? 200);
    const send = () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? body : {}));
    };
    if (this.delayMs > 0) setTimeout(send, this.delayMs);
    else send();
  }
}

function signWith(key: CryptoKey, header: { kid: string; alg: string }, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ...header, typ: 'JWT' }).sign(key);
}
