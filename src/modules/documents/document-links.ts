import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { APP_SECRET } from '../../config/app-secret.js';

/** Documents whose QR code opens the public check at /verify/document/<kind>/<id>?t=<token>. */
export const CHECKED_DOCUMENTS = ['invoice', 'receipt', 'settlement'] as const;
export type CheckedDocument = (typeof CHECKED_DOCUMENTS)[number];

/** 16 bytes of HMAC-SHA256: 128 bits, 22 base64url characters. */
const TOKEN_BYTES = 16;

/**
 * Signs and checks the links printed in document QR codes. Invoices and settlements are not
 * public, so their check page opens only with the token that the PDF carries: base64url of
 * HMAC-SHA256 over `<kind>:<id>`, truncated to 128 bits, with a key derived from APP_SECRET by
 * HKDF under its own label (no other use of the secret can produce it). Without the right token
 * the page answers as for an unknown id. Pledge receipts link to the existing public pledge
 * check, which needs no token.
 */
@Injectable()
export class DocumentLinks {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_SECRET) appSecret: string,
    private readonly config: AppConfig,
  ) {
    this.key = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(appSecret, 'utf8'),
        Buffer.alloc(0),
        'szifa-document-link',
        32,
      ),
    );
  }

  token(kind: CheckedDocument, id: string): string {
    return createHmac('sha256', this.key)
      .update(`${kind}:${id}`)
      .digest()
      .subarray(0, TOKEN_BYTES)
      .toString('base64url');
  }

  /** The path of the public check page, token included. */
  verifyPath(kind: CheckedDocument, id: string): string {
    return `/verify/document/${kind}/${encodeURIComponent(id)}?t=${this.token(kind, id)}`;
  }

  /** The absolute link printed in the PDF's QR code. */
  verifyUrl(kind: CheckedDocument, id: string): string {
    return `${this.config.PUBLIC_URL}${this.verifyPath(kind, id)}`;
  }

  /** The pledge receipt's link: the public pledge verification page. */
  pledgeVerifyUrl(signatureId: string): string {
    return `${this.config.PUBLIC_URL}/verify/pledge/${encodeURIComponent(signatureId)}`;
  }

  /** Whether `token` (from the query string; anything) is the one for this document. */
  check(kind: CheckedDocument, id: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 64) return false;
    const expected = Buffer.from(this.token(kind, id), 'utf8');
    const given = Buffer.from(token, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
