import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  detachProof,
  eddsaJcs2022HashData,
  withProof,
  type ProofOptions,
} from './data-integrity.js';

const options: ProofOptions = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-jcs-2022',
  created: '2026-01-02T03:04:05Z',
  verificationMethod: 'did:web:example.com#k1',
  proofPurpose: 'assertionMethod',
};
const document = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  credentialSubject: { name: '深圳', b: 2, a: 1 },
};

describe('eddsa-jcs-2022', () => {
  it('hashes the proof configuration with the document context, then the document', () => {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const config =
      '{"@context":["https://www.w3.org/ns/credentials/v2"],"created":"2026-01-02T03:04:05Z",' +
      '"cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod","type":"DataIntegrityProof",' +
      '"verificationMethod":"did:web:example.com#k1"}';
    const doc =
      '{"@context":["https://www.w3.org/ns/credentials/v2"],' +
      '"credentialSubject":{"a":1,"b":2,"name":"深圳"},"type":["VerifiableCredential"]}';
    expect(eddsaJcs2022HashData(document, options).toString('hex')).toBe(sha(config) + sha(doc));
  });

  it('attaches a proof that verifies, and fails once the subject changes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const secured = await withProof(document, options, (data) =>
      Promise.resolve(sign(null, data, privateKey)),
    );
    expect(secured.proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]+$/);
    const check = (s: typeof secured) => {
      const { document: d, options: o, signature } = detachProof(s);
      return verify(null, eddsaJcs2022HashData(d, o), publicKey, signature);
    };
    expect(check(secured)).toBe(true);
    const changed = { ...secured, credentialSubject: { ...document.credentialSubject, a: 3 } };
    expect(check(changed)).toBe(false);
  });
});
