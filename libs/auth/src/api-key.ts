import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `mp_{prefix}_{secret}`, a 12-hex-character public prefix (which finds the key's row and is
 * shown in listings, so a leaked key can be recognised and traced) and 32 random bytes in base64url.
 * Secret scanners can match `mp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}`. Only the SHA-256 of the whole key is
 * stored (a key has 256 bits of entropy: a slow hash adds nothing), compared in constant time.
 */
export const API_KEY_PATTERN = /^mp_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
/** The prefix of the key given by MODELPLANE_BOOTSTRAP_ADMIN_KEY (any string, not of the format above). */
export const BOOTSTRAP_PREFIX = 'bootstrap';

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `mp_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The prefix of a token of the API key format; null for anything else. */
export function apiKeyPrefix(token: string): string | null {
  return API_KEY_PATTERN.exec(token)?.[1] ?? null;
}

/** Whether `token` hashes to `stored`, in time that does not depend on where they differ. */
export function apiKeyMatches(token: string, stored: Buffer): boolean {
  const hash = hashApiKey(token);
  return stored.length === hash.length && timingSafeEqual(hash, stored);
}
