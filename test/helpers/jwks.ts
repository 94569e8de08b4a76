import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { TestApp } from './test-app.js';

/**
 * Checks an Ed25519 signature as a third party would: node:crypto and the JWK Set the platform
 * publishes at /.well-known/szifa-keys.json, nothing else.
 */
export async function verifiesWithPublishedKeys(
  t: TestApp,
  kid: string,
  payload: string | Buffer,
  signature: string,
): Promise<boolean> {
  const res = await t.http.get('/.well-known/szifa-keys.json').expect(200);
  const jwk = (res.body as { keys: Array<JsonWebKey & { kid: string }> }).keys.find(
    (k) => k.kid === kid,
  );
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify(null, Buffer.from(payload), key, Buffer.from(signature, 'base64url'));
}
