import { randomBytes } from 'node:crypto';
import { SecretCipher, secretAad, type SealedSecret } from './secret-cipher.js';

const key = () => randomBytes(32).toString('base64');
const K1 = key();
const K2 = key();
const K3 = key();

/** The message of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const copy = (s: SealedSecret): SealedSecret => ({
  ciphertext: new Uint8Array(s.ciphertext),
  nonce: new Uint8Array(s.nonce),
  authTag: new Uint8Array(s.authTag),
  keyId: s.keyId,
});

describe('SecretCipher', () => {
  const aad = secretAad('team-a', 'openai-key');

  it('round-trips values, including empty, unicode and long ones', () => {
    const cipher = new SecretCipher(`k1:${K1}`);
    for (const value of ['sk-abc123', '', 'ключ 🔑 鍵', 'x'.repeat(65536), 'a\u0000b']) {
      const sealed = cipher.seal(value, aad);
      expect(cipher.open(sealed, aad)).toBe(value);
    }
  });

  it('seals under the first key, with a 12-byte nonce and a 16-byte tag, never in plaintext', () => {
    const cipher = new SecretCipher(`k1:${K1},k2:${K2}`);
    expect(cipher.activeKeyId).toBe('k1');
    const value = 'sk-plaintext-must-not-show';
    const sealed = cipher.seal(value, aad);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.nonce).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.ciphertext).toHaveLength(Buffer.byteLength(value));
    expect(Buffer.from(sealed.ciphertext).toString('utf8')).not.toBe(value);
    expect(Buffer.from(sealed.ciphertext).includes(Buffer.from('plaintext'))).toBe(false);
  });

  it('uses a fresh nonce each time, so equal values give different ciphertexts', () => {
    const cipher = new SecretCipher(`k1:${K1}`);
    const a = cipher.seal('same', aad);
    const b = cipher.seal('same', aad);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  describe('AAD binding to workspace/name', () => {
    const cipher = new SecretCipher(`k1:${K1}`);
    const sealed = cipher.seal('sk-bound', secretAad('team-a', 'openai-key'));

    it.each([
      ['another workspace', secretAad('team-b', 'openai-key')],
      ['another name', secretAad('team-a', 'anthropic-key')],
      ['a shifted split of the same characters', secretAad('team-a/openai', 'key')],
      ['an empty AAD', ''],
    ])('fails to open under %s', (_label, otherAad) => {
      expect(() => cipher.open(sealed, otherAad)).toThrow();
    });

    it('opens under its own workspace/name', () => {
      expect(cipher.open(sealed, secretAad('team-a', 'openai-key'))).toBe('sk-bound');
    });

    it('the AAD names both parts', () => {
      expect(secretAad('ws', 'n')).toBe('modelplane/secret/ws/n');
    });
  });

  describe('tampering', () => {
    const cipher = new SecretCipher(`k1:${K1}`);
    const sealed = cipher.seal('sk-do-not-touch', aad);

    it('fails when a ciphertext byte is flipped', () => {
      const bad = copy(sealed);
      bad.ciphertext[0] ^= 0x01;
      expect(() => cipher.open(bad, aad)).toThrow();
    });

    it('fails when the tag is altered or truncated', () => {
      const bad = copy(sealed);
      bad.authTag[15] ^= 0x80;
      expect(() => cipher.open(bad, aad)).toThrow();
      const short = copy(sealed);
      short.authTag = short.authTag.slice(0, 8);
      expect(() => cipher.open(short, aad)).toThrow();
    });

    it('fails when the nonce is altered', () => {
      const bad = copy(sealed);
      bad.nonce[0] ^= 0x01;
      expect(() => cipher.open(bad, aad)).toThrow();
    });

    it('fails when the ciphertext is truncated or extended', () => {
      const short = copy(sealed);
      short.ciphertext = short.ciphertext.slice(0, -1);
      expect(() => cipher.open(short, aad)).toThrow();
      const long = copy(sealed);
      long.ciphertext = new Uint8Array([...long.ciphertext, 0]);
      expect(() => cipher.open(long, aad)).toThrow();
    });

    it("fails when another row's ciphertext is swapped in", () => {
      const other = cipher.seal('sk-other', secretAad('team-a', 'other'));
      expect(() => cipher.open({ ...copy(sealed), ciphertext: other.ciphertext }, aad)).toThrow();
      expect(() => cipher.open(other, aad)).toThrow();
    });

    it('still opens the untouched original', () => {
      expect(cipher.open(sealed, aad)).toBe('sk-do-not-touch');
    });
  });

  describe('key rotation', () => {
    const before = new SecretCipher(`old:${K1}`);
    const sealedOld = before.seal('sk-rotated', aad);

    it('opens a value sealed under an old key once a new key is put first', () => {
      const after = new SecretCipher(`new:${K2},old:${K1}`);
      expect(after.activeKeyId).toBe('new');
      expect(after.hasKey('old')).toBe(true);
      expect(after.open(sealedOld, aad)).toBe('sk-rotated');
    });

    it('re-seals under the new key, which the old configuration cannot open', () => {
      const after = new SecretCipher(`new:${K2},old:${K1}`);
      const resealed = after.seal(after.open(sealedOld, aad), aad);
      expect(resealed.keyId).toBe('new');
      expect(after.open(resealed, aad)).toBe('sk-rotated');
      expect(() => before.open(resealed, aad)).toThrow(/No secret key with id 'new'/);
      // Once the old key is removed, the re-sealed value still opens.
      expect(new SecretCipher(`new:${K2}`).open(resealed, aad)).toBe('sk-rotated');
    });

    it('does not confuse keys: a value claiming the wrong key id fails', () => {
      const after = new SecretCipher(`new:${K2},old:${K1}`);
      expect(() => after.open({ ...sealedOld, keyId: 'new' }, aad)).toThrow();
    });

    it('an unknown key id fails with a message naming only the id, never key material', () => {
      const unrelated = new SecretCipher(`new:${K2},spare:${K3}`);
      expect(unrelated.hasKey('old')).toBe(false);
      const message = thrown(() => unrelated.open(sealedOld, aad));
      expect(message).toBe("No secret key with id 'old' is configured");
      for (const k of [K1, K2, K3]) {
        expect(message).not.toContain(k);
        expect(message).not.toContain(Buffer.from(k, 'base64').toString('hex'));
        expect(message).not.toContain(k.slice(0, 12));
      }
    });
  });

  describe('configuration', () => {
    it('refuses a key that is not 32 bytes, naming the id but not the key', () => {
      const short = randomBytes(16).toString('base64');
      const message = thrown(() => new SecretCipher(`k1:${K1},weak:${short}`));
      expect(message).toBe("Secret key 'weak' is not 32 bytes");
      expect(message).not.toContain(short);
      expect(message).not.toContain(K1);
    });

    it('does not expose key material through its enumerable properties or JSON', () => {
      const cipher = new SecretCipher(`k1:${K1}`);
      const json = JSON.stringify(cipher);
      expect(json).not.toContain(K1);
      expect(json).not.toContain(Buffer.from(K1, 'base64').toString('hex'));
    });
  });
});
