import { SignJWT, UnsecuredJWT } from 'jose';
import { OidcTestIssuer } from '../../testing/src/oidc-issuer.js';
import {
  OidcTokenError,
  OidcVerifier,
  type OidcFailureReason,
  type OidcSettings,
  type OidcVerifierOptions,
} from './oidc.js';

const AUDIENCE = 'modelplane';
let issuer: OidcTestIssuer;

beforeAll(async () => {
  issuer = await OidcTestIssuer.start({ audience: AUDIENCE });
});
afterAll(() => issuer.stop());
beforeEach(() => {
  issuer.failWithStatus = null;
  issuer.delayMs = 0;
  issuer.resetCounts();
});

function verifier(settings: Partial<OidcSettings> = {}, options: OidcVerifierOptions = {}): OidcVerifier {
  return new OidcVerifier(
    { issuer: issuer.issuer, audience: [AUDIENCE], jwksUri: issuer.jwksUri, ...settings },
    options,
  );
}

/** The failure, checked to be an OidcTokenError with the given reason that does not quote the token. */
async function refusal(v: OidcVerifier, token: string, reason: OidcFailureReason): Promise<OidcTokenError> {
  const error = await v.verify(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcTokenError);
  const failure = error as OidcTokenError;
  expect({ reason: failure.reason, message: failure.message }).toEqual({ reason, message: expect.any(String) });
  expect(failure.message).not.toContain(token);
  expect(failure.message).not.toContain(token.split('.')[1]);
  expect(failure.message).not.toMatch(/\n/);
  return failure;
}

describe('OidcVerifier: accepted tokens', () => {
  it('returns subject, email, groups and expiry of a valid token', async () => {
    const token = await issuer.sign({ sub: 'alice', email: 'alice@example.com', groups: ['ml-team', 'admins'] });
    const identity = await verifier().verify(token);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    expect(identity).toEqual({
      subject: 'alice',
      email: 'alice@example.com',
      groups: ['ml-team', 'admins'],
      expiresAt: exp,
    });
  });

  it('reads a single-string group, a nested groups claim and a custom email claim', async () => {
    const single = await issuer.sign({ groups: 'ops' });
    expect((await verifier().verify(single)).groups).toEqual(['ops']);

    const nested = await issuer.sign({ realm_access: { roles: ['a', 7, 'b'] }, upn: 'bob@corp' });
    const identity = await verifier({ groupsClaim: 'realm_access.roles', emailClaim: 'upn' }).verify(nested);
    expect({ email: identity.email, groups: identity.groups }).toEqual({ email: 'bob@corp', groups: ['a', 'b'] });
  });

  it('has no email when the claim is missing or email_verified is false, and no groups when absent', async () => {
    const none = await verifier().verify(await issuer.sign({}));
    expect({ email: none.email, groups: none.groups }).toEqual({ email: null, groups: [] });
    const unverified = await issuer.sign({ email: 'mallory@example.com', email_verified: false });
    expect((await verifier().verify(unverified)).email).toBeNull();
  });

  it('accepts any of the configured audiences, and a token naming several audiences', async () => {
    const v = verifier({ audience: ['other', AUDIENCE] });
    await expect(v.verify(await issuer.sign({ aud: AUDIENCE }))).resolves.toMatchObject({ subject: 'user-1' });
    await expect(v.verify(await issuer.sign({ aud: ['x', 'other'] }))).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('verifies ES256 and EdDSA issuers with the default algorithms', async () => {
    for (const alg of ['ES256', 'EdDSA']) {
      const other = await OidcTestIssuer.start({ alg, audience: AUDIENCE });
      try {
        const v = new OidcVerifier({ issuer: other.issuer, audience: [AUDIENCE], jwksUri: other.jwksUri });
        await expect(v.verify(await other.sign({ sub: alg }))).resolves.toMatchObject({ subject: alg });
      } finally {
        await other.stop();
      }
    }
  });
});

describe('OidcVerifier: refused tokens', () => {
  it('refuses a wrong issuer and a wrong audience', async () => {
    const v = verifier();
    expect((await refusal(v, await issuer.sign({ iss: 'https://evil.example' }), 'invalid')).message).toMatch(/iss/);
    expect((await refusal(v, await issuer.sign({ aud: 'someone-else' }), 'invalid')).message).toMatch(/aud/);
  });

  it('says expired past exp + clock tolerance, and accepts within the tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refusal(verifier(), await issuer.sign({ exp: now - 31 }), 'expired');
    await expect(verifier().verify(await issuer.sign({ exp: now - 20 }))).resolves.toMatchObject({ subject: 'user-1' });
    await refusal(verifier({ clockToleranceSeconds: 0 }), await issuer.sign({ exp: now - 20 }), 'expired');
  });

  it('refuses a token whose nbf is in the future', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 120;
    expect((await refusal(verifier(), await issuer.sign({ nbf }), 'invalid')).message).toMatch(/nbf/);
  });

  it('refuses tokens without exp or without sub', async () => {
    expect((await refusal(verifier(), await issuer.sign({ exp: undefined }), 'invalid')).message).toMatch(/exp/);
    expect((await refusal(verifier(), await issuer.sign({ sub: undefined }), 'invalid')).message).toMatch(/sub/);
    expect((await refusal(verifier(), await issuer.sign({ sub: '' }), 'invalid')).message).toMatch(/sub/);
  });

  it("refuses alg 'none' and an HS256 token under a published kid", async () => {
    const claims = { iss: issuer.issuer, aud: AUDIENCE, sub: 'root', exp: Math.floor(Date.now() / 1000) + 60 };
    await refusal(verifier(), new UnsecuredJWT(claims).encode(), 'invalid');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid })
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long'));
    expect((await refusal(verifier(), hs, 'invalid')).message).toMatch(/alg/);
  });

  it('refuses a signature by a stranger key under our kid, and a payload edited after signing', async () => {
    const v = verifier();
    expect((await refusal(v, await issuer.forge({ sub: 'admin' }), 'invalid')).message).toMatch(/signature/);
    const [header, , signature] = (await issuer.sign({ sub: 'user-1' })).split('.');
    const edited = Buffer.from(JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, sub: 'admin', exp: 2e9 }));
    await refusal(v, `${header}.${edited.toString('base64url')}.${signature}`, 'invalid');
    await refusal(v, 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln', 'invalid');
  });

  it('refuses a token longer than any real one without hashing it', async () => {
    await refusal(verifier(), `ey${'a'.repeat(20_000)}.b.c`, 'invalid');
  });

  it('rejects settings that would allow none or HS* or lack an audience', () => {
    expect(() => verifier({ algorithms: ['RS256', 'HS256'] })).toThrow(/HS256/);
    expect(() => verifier({ algorithms: ['none'] })).toThrow(/none/);
    expect(() => verifier({ audience: [] })).toThrow(/audience/);
  });
});

describe('OidcVerifier: key rotation', () => {
  it('fetches the JWKS once more for an unknown kid, then accepts the rotated key', async () => {
    const v = verifier({}, { jwksCooldownMs: 0 });
    const oldKid = issuer.currentKid;
    await v.verify(await issuer.sign());
    expect(issuer.jwksFetches).toBe(1);
    const kid = await issuer.rotate();
    await expect(v.verify(await issuer.sign({ sub: 'after-rotation' }, { kid }))).resolves.toMatchObject({
      subject: 'after-rotation',
    });
    expect(issuer.jwksFetches).toBe(2);
    // The old key is still published, so its tokens still pass without another fetch.
    await v.verify(await issuer.sign({ sub: 'old-key' }, { kid: oldKid }));
    expect(issuer.jwksFetches).toBe(2);
  });

  it('refuses a kid still unknown after one refetch', async () => {
    const v = verifier({}, { jwksCooldownMs: 0 });
    await v.verify(await issuer.sign());
    const unknown = await issuer.signWithUnknownKey();
    expect((await refusal(v, unknown.token, 'invalid')).message).toMatch(/kid/);
    expect(issuer.jwksFetches).toBe(2);
  });

  it("does not refetch within jose's cooldown: an unknown kid right after a fetch is invalid", async () => {
    const v = verifier();
    await v.verify(await issuer.sign());
    const unknown = await issuer.signWithUnknownKey();
    unknown.publish();
    await refusal(v, unknown.token, 'invalid');
    expect(issuer.jwksFetches).toBe(1);
  });
});

describe('OidcVerifier: identity cache', () => {
  // jwksMaxAgeMs 0 makes every verification by jose fetch the JWKS, so the fetch count counts verifications.
  const everyVerificationFetches: OidcVerifierOptions = { jwksMaxAgeMs: 0 };

  it('answers a repeated token from the cache without verifying it again', async () => {
    const v = verifier({}, everyVerificationFetches);
    const token = await issuer.sign({ sub: 'cached' });
    const first = await v.verify(token);
    for (let i = 0; i < 5; i++) expect(await v.verify(token)).toBe(first);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('shares one verification between concurrent requests with the same new token', async () => {
    const v = verifier({}, everyVerificationFetches);
    const token = await issuer.sign({ sub: 'burst' });
    const identities = await Promise.all(Array.from({ length: 8 }, () => v.verify(token)));
    expect(new Set(identities).size).toBe(1);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('drops a cached identity at exp: the token is verified again and found expired', async () => {
    let now = Date.now();
    const v = verifier({ clockToleranceSeconds: 0 }, { ...everyVerificationFetches, now: () => now });
    const token = await issuer.sign({}, { ttlSeconds: 60 });
    await v.verify(token);
    now += 30_000;
    await v.verify(token);
    expect(issuer.jwksFetches).toBe(1);
    now += 31_000;
    await refusal(v, token, 'expired');
    expect(issuer.jwksFetches).toBe(2);
  });

  it('is bounded: the least recently used identity is evicted', async () => {
    const v = verifier({}, { ...everyVerificationFetches, cacheSize: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => issuer.sign({ sub })));
    for (const token of [a, b, a, c]) await v.verify(token); // c evicts b, the least recently used
    expect(issuer.jwksFetches).toBe(3);
    await v.verify(a);
    expect(issuer.jwksFetches).toBe(3);
    await v.verify(b);
    expect(issuer.jwksFetches).toBe(4);
  });
});

describe('OidcVerifier: issuer trouble', () => {
  it('is unavailable when the JWKS answers an error or too slowly, and recovers', async () => {
    const v = verifier({ fetchTimeoutMs: 200 });
    const token = await issuer.sign();
    issuer.failWithStatus = 503;
    await refusal(v, token, 'unavailable');
    issuer.failWithStatus = null;
    issuer.delayMs = 1000;
    expect((await refusal(v, token, 'unavailable')).message).toMatch(/timed out/);
    issuer.delayMs = 0;
    await expect(v.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('is unavailable when the issuer is down, via discovery or the JWKS', async () => {
    const down = await OidcTestIssuer.start({ audience: AUDIENCE });
    const token = await down.sign();
    await down.stop();
    const viaDiscovery = new OidcVerifier({ issuer: down.issuer, audience: [AUDIENCE] });
    expect((await refusal(viaDiscovery, token, 'unavailable')).message).toMatch(/discovery/);
    expect(await viaDiscovery.metadata()).toBeNull();
    const direct = new OidcVerifier({ issuer: down.issuer, audience: [AUDIENCE], jwksUri: down.jwksUri });
    expect((await refusal(direct, token, 'unavailable')).message).toMatch(/JWKS/);
  });
});

describe('OidcVerifier: discovery', () => {
  it('finds the JWKS through openid-configuration and serves its endpoints, refreshed hourly', async () => {
    let now = Date.now();
    const v = verifier({ jwksUri: undefined }, { now: () => now });
    await v.verify(await issuer.sign());
    expect({ metadata: issuer.metadataFetches, jwks: issuer.jwksFetches }).toEqual({ metadata: 1, jwks: 1 });
    expect(await v.metadata()).toEqual({
      issuer: issuer.issuer,
      jwks_uri: issuer.jwksUri,
      authorization_endpoint: `${issuer.issuer}/authorize`,
      token_endpoint: `${issuer.issuer}/token`,
      device_authorization_endpoint: `${issuer.issuer}/device/code`,
      userinfo_endpoint: `${issuer.issuer}/userinfo`,
    });
    expect(issuer.metadataFetches).toBe(1);
    now += 61 * 60 * 1000;
    issuer.failWithStatus = 500;
    expect((await v.metadata())?.token_endpoint).toBe(`${issuer.issuer}/token`); // the last good copy
    expect(issuer.metadataFetches).toBe(2);
  });

  it('refuses a discovery document naming another issuer', async () => {
    const v = new OidcVerifier({ issuer: `${issuer.issuer}/`, audience: [AUDIENCE] });
    expect((await refusal(v, await issuer.sign(), 'unavailable')).message).toMatch(/different issuer/);
  });
});

describe('OidcVerifier.looksLikeJwt', () => {
  it('tells a JWT from other bearer tokens', async () => {
    expect(OidcVerifier.looksLikeJwt(await issuer.sign())).toBe(true);
    expect(OidcVerifier.looksLikeJwt(new UnsecuredJWT({}).encode())).toBe(true);
    for (const other of ['mp_live_0123456789abcdef', 'a.b.c', 'eyJ.x', 'eyJhbGc.e30.sig=', '', 'eyJ a.b.c']) {
      expect(OidcVerifier.looksLikeJwt(other)).toBe(false);
    }
  });
});
