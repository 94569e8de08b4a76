import { ed25519Multikey } from './base58btc.js';

/**
 * The issuer's `did:web` identifier for the site at `publicUrl`: the host, a port as '%3A'
 * + port, and each path segment after a ':'. A did:web resolver turns it back into
 * https://host[:port]/.well-known/did.json, or https://host[:port]/path/did.json when there is
 * a path.
 */
export function didWebOf(publicUrl: string): string {
  const url = new URL(publicUrl);
  const host = url.port === '' ? url.hostname : `${url.hostname}%3A${url.port}`;
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(decodeURIComponent(s)));
  return ['did', 'web', host, ...segments].join(':');
}

export interface PublishedKey {
  kid: string;
  /** The raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export interface VerificationMethod {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
}

/** The verification method id of a key: `<did>#<kid>`. */
export function verificationMethodId(did: string, kid: string): string {
  return `${did}#${kid}`;
}

/**
 * The DID document: every key the association ever signed with, retired ones included, as a
 * Multikey that may make assertions (credential proofs). Keys are never removed, so a credential
 * signed before a rotation still verifies.
 */
export function didDocument(did: string, keys: readonly PublishedKey[]): DidDocument {
  const methods = keys.map((key): VerificationMethod => ({
    id: verificationMethodId(did, key.kid),
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: ed25519Multikey(key.publicKey),
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}
