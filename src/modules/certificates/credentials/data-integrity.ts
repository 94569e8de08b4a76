import { createHash } from 'node:crypto';
import { fromMultibaseBase58btc, multibaseBase58btc } from './base58btc.js';
import { jcs } from './jcs.js';

/** A W3C Data Integrity proof made with the eddsa-jcs-2022 cryptosuite (W3C vc-di-eddsa). */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  cryptosuite: 'eddsa-jcs-2022';
  created: string;
  verificationMethod: string;
  proofPurpose: 'assertionMethod';
  proofValue: string;
}

export type ProofOptions = Omit<DataIntegrityProof, 'proofValue'>;

/** A JSON-LD document before it is secured: an object with an `@context`, and no `proof`. */
export type Unsecured = { '@context': unknown } & Record<string, unknown>;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The bytes eddsa-jcs-2022 signs: SHA-256 of the JCS of the proof configuration (the proof
 * without proofValue, carrying the document's @context) followed by SHA-256 of the JCS of the
 * document without its proof.
 */
export function eddsaJcs2022HashData(document: Unsecured, options: ProofOptions): Buffer {
  const proofConfig = { ...options, '@context': document['@context'] };
  return Buffer.concat([sha256(jcs(proofConfig)), sha256(jcs(document))]);
}

/** Ed25519 signer over raw bytes: the 64-byte signature. */
export type Ed25519Signer = (data: Uint8Array) => Promise<Uint8Array>;

/** The document with an eddsa-jcs-2022 proof attached. */
export async function withProof<T extends Unsecured>(
  document: T,
  options: ProofOptions,
  sign: Ed25519Signer,
): Promise<T & { proof: DataIntegrityProof }> {
  const signature = await sign(eddsaJcs2022HashData(document, options));
  return { ...document, proof: { ...options, proofValue: multibaseBase58btc(signature) } };
}

/** Splits a secured document into the document and the proof (for verification). */
export function detachProof(secured: Unsecured & { proof: DataIntegrityProof }): {
  document: Unsecured;
  options: ProofOptions;
  signature: Uint8Array;
} {
  const { proof, ...document } = secured;
  const { proofValue, ...options } = proof;
  return {
    document,
    options,
    signature: fromMultibaseBase58btc(proofValue),
  };
}

/** ISO 8601 UTC to the second, the form proofs and credentials carry. */
export function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
