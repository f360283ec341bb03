import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  keyId: string;
}

/**
 * AES-256-GCM for secret values at rest. Each value gets a fresh 96-bit nonce;
 * the additional authenticated data binds the ciphertext to its
 * `workspace/name`, so a row's ciphertext copied onto another row fails to
 * open. Keys are named; the first key seals, every key opens, which is what
 * rotation needs.
 */
export class SecretCipher {
  private readonly keys: Map<string, Buffer>;
  readonly activeKeyId: string;

  /** `spec`: comma-separated `keyId:base64key` pairs (validated by the config). */
  constructor(spec: string) {
    const pairs = spec.split(',').map((pair) => {
      const colon = pair.indexOf(':');
      const key = Buffer.from(pair.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`Secret key '${pair.slice(0, colon)}' is not 32 bytes`);
      return [pair.slice(0, colon), key] as const;
    });
    this.keys = new Map(pairs);
    this.activeKeyId = pairs[0][0];
  }

  seal(plaintext: string, aad: string): SealedSecret {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.activeKeyId), nonce);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      ciphertext: new Uint8Array(ciphertext),
      nonce: new Uint8Array(nonce),
      authTag: new Uint8Array(cipher.getAuthTag()),
      keyId: this.activeKeyId,
    };
  }

  open(sealed: SealedSecret, aad: string): string {
    // A fixed tag length: otherwise a truncated tag (down to 4 bytes) is accepted as valid.
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), sealed.nonce, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    // The message names the key id only; never key material.
    if (!key) throw new Error(`No secret key with id '${keyId}' is configured`);
    return key;
  }
}

export function secretAad(workspace: string, name: string): string {
  return `modelplane/secret/${workspace}/${name}`;
}
