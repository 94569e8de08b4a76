import { createHash, createPublicKey, verify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import { SigningKeysService } from '../../src/modules/signing/signing-keys.service.js';
import { issuedCertificate } from '../factories/certificates.js';
import { createFirm, createUser, loginAs } from '../factories/index.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Json = Record<string, unknown>;
interface Proof {
  type: string;
  cryptosuite: string;
  created: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue: string;
}
type Secured = Json & { '@context': string[]; proof: Proof };
interface DidDoc {
  id: string;
  verificationMethod: Array<{ id: string; type: string; publicKeyMultibase: string }>;
  assertionMethod: string[];
}

/*
 * What a third-party verifier does, written here from the specifications and independently of
 * the server's code: RFC 8785 canonical JSON (enough of it for these documents: sorted keys,
 * JSON.stringify for strings, integers and booleans), base58btc, the Ed25519 Multikey, and the
 * eddsa-jcs-2022 hash recipe of W3C vc-di-eddsa.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function base58(text: string): Buffer {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const ch of text) n = n * 58n + BigInt(alphabet.indexOf(ch));
  const hex = n.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = /^1*/.exec(text)![0].length;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function proofVerifies(secured: Secured, did: DidDoc): boolean {
  const { proof, ...document } = secured;
  const { proofValue, ...options } = proof;
  if (options.cryptosuite !== 'eddsa-jcs-2022' || !proofValue.startsWith('z')) return false;
  if (!did.assertionMethod.includes(options.verificationMethod)) return false;
  const method = did.verificationMethod.find((m) => m.id === options.verificationMethod);
  if (!method || method.type !== 'Multikey') return false;
  const multikey = base58(method.publicKeyMultibase.slice(1));
  if (multikey.length !== 34 || multikey[0] !== 0xed || multikey[1] !== 0x01) return false;
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: multikey.subarray(2).toString('base64url') },
    format: 'jwk',
  });
  const data = Buffer.concat([
    sha256(canonical({ ...options, '@context': document['@context'] })),
    sha256(canonical(document)),
  ]);
  return verify(null, data, key, base58(proofValue.slice(1)));
}

/** The bytes of a response whatever its media type (application/vc is not parsed by supertest). */
function raw(test: Test): Test {
  return test.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

const bodyOf = <T>(res: { body: unknown }): T =>
  JSON.parse((res.body as Buffer).toString('utf8')) as T;

describe('certificates as W3C Verifiable Credentials (Open Badges 3.0) with a revocation status list', () => {
  let t: TestApp;
  let admin: { token: string };
  const pathOf = (url: string) => url.slice(t.config.PUBLIC_URL.length);
  const didDocument = async () =>
    bodyOf<DidDoc>(await raw(t.http.get('/.well-known/did.json')).expect(200));
  const credentialOf = async (token: string, id: string) =>
    bodyOf<Secured>(
      await raw(t.http.get(`/api/v1/certificates/${id}/credential`).set(...bearer(token))).expect(
        200,
      ),
    );
  const statusBit = async (credential: Secured) => {
    const status = credential.credentialStatus as {
      statusListCredential: string;
      statusListIndex: string;
    };
    const res = await raw(t.http.get(pathOf(status.statusListCredential))).expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    const list = bodyOf<Secured & { credentialSubject: { encodedList: string } }>(res);
    expect(proofVerifies(list, await didDocument())).toBe(true);
    const bytes = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
    const i = Number(status.statusListIndex);
    return (bytes[Math.floor(i / 8)] >> (7 - (i % 8))) & 1;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it("gives a firm its certificate as an Open Badges credential that verifies with only the issuer's DID document", async () => {
    const firm = await createFirm(t, { name: '深圳凭证测试科技有限公司' });
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const member = await loginAs(t, 'firm_member', { firmId: firm.id });
    const res = await raw(
      t.http.get(`/api/v1/certificates/${cert.id}/credential`).set(...bearer(member.token)),
    ).expect(200);
    expect(res.headers['content-type']).toContain('application/vc');
    expect(res.headers['content-disposition']).toContain(`${cert.serial}.json`);
    const credential = bodyOf<Secured>(res);
    const did = await didDocument();
    expect(did.id).toBe(`did:web:${new URL(t.config.PUBLIC_URL).host.replace(':', '%3A')}`);
    expect(credential).toMatchObject({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `${t.config.PUBLIC_URL}/credentials/${cert.serial}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did.id, type: ['Profile'] },
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ identityHash: firm.creditCode, identityType: 'identifier', hashed: false }],
        achievement: { type: ['Achievement'], criteria: {} },
        certificate: {
          serial: cert.serial,
          facts: { holder: { firmNameZh: '深圳凭证测试科技有限公司' } },
        },
      },
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      proof: { type: 'DataIntegrityProof', proofPurpose: 'assertionMethod' },
    });
    expect(credential.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/);
    expect(proofVerifies(credential, did)).toBe(true);
  });

  it('fails verification when one byte of the credential subject changes', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const credential = await credentialOf(admin.token, cert.id);
    const did = await didDocument();
    expect(proofVerifies(credential, did)).toBe(true);
    const subject = credential.credentialSubject as { identifier: Array<{ identityHash: string }> };
    const code = subject.identifier[0].identityHash;
    const changed = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
    const forged = structuredClone(credential);
    (forged.credentialSubject as typeof subject).identifier[0].identityHash = changed;
    expect(proofVerifies(forged, did)).toBe(false);
  });

  it('serves the same document twice, and the same one publicly at the credential id', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const first = await credentialOf(admin.token, cert.id);
    expect(await credentialOf(admin.token, cert.id)).toEqual(first);
    const publicCopy = await raw(t.http.get(pathOf(first.id as string))).expect(200);
    expect(publicCopy.headers['content-type']).toContain('application/vc');
    expect(bodyOf<Secured>(publicCopy)).toEqual(first);
  });

  it("sets the certificate's bit in the published status list as soon as staff revoke it", async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const credential = await credentialOf(admin.token, cert.id);
    expect(await statusBit(credential)).toBe(0);
    await t.http
      .post(`/api/v1/certificates/${cert.id}/revoke`)
      .set(...bearer(admin.token))
      .send({ reason: '信息有误' })
      .expect(200);
    expect(await statusBit(credential)).toBe(1);
    // The revoked certificate's credential still downloads, still verifies, and says where to look.
    const after = await credentialOf(admin.token, cert.id);
    expect(after).toEqual(credential);
  });

  it("answers 404 to another firm's users, 401 without a token, and lets staff reviewers download", async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const stranger = await loginAs(t, 'firm_admin');
    const res = await t.http
      .get(`/api/v1/certificates/${cert.id}/credential`)
      .set(...bearer(stranger.token))
      .expect(404);
    expect(res.body).toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
    await t.http.get(`/api/v1/certificates/${cert.id}/credential`).expect(401);
    const reviewer = await loginAs(t, 'staff_reviewer');
    await raw(
      t.http.get(`/api/v1/certificates/${cert.id}/credential`).set(...bearer(reviewer.token)),
    ).expect(200);
  });

  it('serves the achievement a credential names at its id', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const credential = await credentialOf(admin.token, cert.id);
    const named = (credential.credentialSubject as { achievement: { id: string } }).achievement;
    const served = await raw(t.http.get(pathOf(named.id))).expect(200);
    expect(bodyOf<Json>(served)).toEqual({ '@context': credential['@context'], ...named });
  });

  it('answers 404 problem+json for an unknown serial and a status list no certificate uses', async () => {
    for (const path of [
      '/credentials/SZIFA-MEM-1999-000001',
      '/credentials/not%20a%20serial',
      '/credentials/status/2',
      '/credentials/status/0',
      '/credentials/status/01',
      '/credentials/status/x',
      '/credentials/achievements/diploma',
    ]) {
      const res = await t.http.get(path).set('Accept', 'application/vc, application/json');
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses to sign a credential for a record its own signature no longer covers', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    await writeDb(t, (m) => m.update(Certificate, { id: cert.id }, { expiresOn: '2099-12-31' }));
    const res = await t.http.get(`/credentials/${cert.serial}`).set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('2099-12-31');
  });

  it('links the credential download from the firm certificate list and the public verification page', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const member = await signInWeb(
      t,
      await createUser(t, { role: 'firm_member', firmId: firm.id }),
    );
    const list = await member.get('/firm/certificates').set('Accept', 'text/html').expect(200);
    expect(list.text).toContain(`href="/credentials/${cert.serial}"`);
    const page = await t.http.get(`/verify/${cert.serial}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(`href="/credentials/${cert.serial}"`);
    expect(page.text).toContain('href="/.well-known/did.json"');
  });

  it('keeps verifying credentials signed before a key rotation: the DID document lists old and new keys', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const before = await credentialOf(admin.token, cert.id);
    await t.app.get(SigningKeysService).rotate(null);
    const did = await didDocument();
    expect(did.verificationMethod.length).toBeGreaterThanOrEqual(2);
    expect(proofVerifies(before, did)).toBe(true);
    const after = await credentialOf(admin.token, cert.id);
    expect(after.proof.verificationMethod).not.toBe(before.proof.verificationMethod);
    expect(proofVerifies(after, did)).toBe(true);
  });
});
