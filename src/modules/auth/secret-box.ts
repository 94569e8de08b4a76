import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under a key derived from the
 * application secret by HKDF, so a database dump alone does not reveal anyone's second factor.
 * `info` separates keys by purpose: the same application secret also signs JWTs.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(appSecret: string, info: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(appSecret, 'utf8'), Buffer.alloc(0), info, 32),
    );
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, each part base64url. */
  seal(plaintext: Uint8Array): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, body, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the box was altered or sealed under another key. */
  open(sealed: string): Buffer {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag)
      throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }
}
