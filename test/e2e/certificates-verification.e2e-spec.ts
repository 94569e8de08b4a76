import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import {
  checkWithPublishedKeys,
  insertSignedCertificate,
  writeCertificate,
} from '../factories/certificates-verify.js';
import { SAMPLE_PNG } from '../factories/firm-portal.js';
import { createFirm } from '../factories/index.js';
import { csrfFrom, webAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface VerifyBody {
  status: string;
  certificate: {
    facts: { holder: { firmNameZh: string } };
    payload: string;
    kid: string;
    signature: string;
  } | null;
  revocation: { at: string; reason: string; note: string | null } | null;
  holder: { firmStatus: string | null; currentGrade: string | null } | null;
  checks: { payloadMatchesRecord: boolean; signatureValid: boolean } | null;
}

describe('public certificate verification', () => {
  let t: TestApp;
  let firm: Firm;
  const today = beijingDate(new Date());

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createFirm(t, { name: '深圳核验测试金融科技有限公司' });
  });
  afterAll(() => t.close());

  const verify = async (serial: string): Promise<VerifyBody> =>
    (await t.http.get(`/api/v1/certificates/verify/${serial}`).expect(200)).body as VerifyBody;

  it('says valid, with the facts, the holder status and passing checks, for an issued certificate', async () => {
    const { row } = await insertSignedCertificate(t, firm);
    const body = await verify(row.serial);
    expect(body.status).toBe('valid');
    expect(body.certificate?.facts.holder.firmNameZh).toBe('深圳核验测试金融科技有限公司');
    expect(body.holder).toEqual({ firmStatus: 'active', currentGrade: null });
    expect(body.checks).toEqual({ payloadMatchesRecord: true, signatureValid: true });
    expect(body.revocation).toBeNull();
  });

  it('shows a revocation at once, with when and why (and the note of a manual one)', async () => {
    const { row } = await insertSignedCertificate(t, firm);
    const at = new Date('2026-11-20T02:30:00Z');
    await writeCertificate(t, row.id, {
      status: 'revoked',
      revokedAt: at,
      revokedReason: 'manual',
      revokedNote: '资料不实',
    });
    const body = await verify(row.serial);
    expect(body.status).toBe('revoked');
    expect(body.revocation).toEqual({ at: at.toISOString(), reason: 'manual', note: '资料不实' });
    const page = await t.http.get(`/verify/${row.serial}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('data-status="revoked"');
    expect(page.text).toContain('由协会撤销');
    expect(page.text).toContain('资料不实');
    const { row: automatic } = await insertSignedCertificate(t, firm);
    await writeCertificate(t, automatic.id, {
      status: 'revoked',
      revokedAt: at,
      revokedReason: 'membership.expelled',
    });
    expect((await verify(automatic.serial)).revocation).toEqual({
      at: at.toISOString(),
      reason: 'membership.expelled',
      note: null,
    });
    const expelled = await t.http.get(`/verify/${automatic.serial}`).set('Accept', 'text/html');
    expect(expelled.text).toContain('会员已被除名');
  });

  it('says expired once the Beijing date is past the expiry date', async () => {
    const { row } = await insertSignedCertificate(t, firm, {
      issuedOn: addDays(today, -400),
      expiresOn: addDays(today, -1),
    });
    expect((await verify(row.serial)).status).toBe('expired');
    const lastDay = await insertSignedCertificate(t, firm, { expiresOn: today });
    expect((await verify(lastDay.row.serial)).status).toBe('valid');
  });

  it('answers unknown alike for a serial never issued and a malformed one', async () => {
    const never = await verify('SZIFA-MEM-2026-999999');
    expect(never).toMatchObject({ status: 'unknown', certificate: null, holder: null });
    const malformed = await verify('not-a-serial%27%20OR%201=1');
    expect(malformed).toMatchObject({ status: 'unknown', certificate: null, holder: null });
  });

  it('says altered, never valid, when a fact is changed in the database', async () => {
    const { row } = await insertSignedCertificate(t, firm);
    await writeCertificate(t, row.id, { facts: row.facts.replace('深圳核验测试', '深圳伪造测试') });
    const body = await verify(row.serial);
    expect(body.status).toBe('altered');
    expect(body.checks).toEqual({ payloadMatchesRecord: false, signatureValid: true });
    const page = await t.http.get(`/verify/${row.serial}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('data-status="altered"');
  });

  it('gives the payload and signature that node:crypto verifies from the JWKS alone, and one changed byte fails', async () => {
    const { row } = await insertSignedCertificate(t, firm);
    const cert = (await verify(row.serial)).certificate;
    if (!cert) throw new Error('no certificate');
    expect(await checkWithPublishedKeys(t, cert.kid, cert.payload, cert.signature)).toBe(true);
    const bytes = Buffer.from(cert.payload, 'utf8');
    bytes[10] ^= 0x01;
    expect(await checkWithPublishedKeys(t, cert.kid, bytes, cert.signature)).toBe(false);
  });

  it('recognises exactly an issued PDF, not one with one byte changed, and refuses non-PDFs', async () => {
    const { row, pdf } = await insertSignedCertificate(t, firm);
    const exact = await t.http
      .post('/api/v1/certificates/verify-pdf')
      .attach('file', pdf, 'certificate.pdf')
      .expect(200);
    expect(exact.body).toMatchObject({
      sha256: row.pdfSha256,
      issued: true,
      verification: { serial: row.serial, status: 'valid' },
    });
    const changed = Buffer.from(pdf);
    changed[changed.length - 20] ^= 0x01;
    const other = await t.http
      .post('/api/v1/certificates/verify-pdf')
      .attach('file', changed, 'certificate.pdf')
      .expect(200);
    expect(other.body).toMatchObject({ issued: false, verification: null });
    await t.http
      .post('/api/v1/certificates/verify-pdf')
      .attach('file', SAMPLE_PNG, 'certificate.pdf')
      .expect(415);
  });

  it('checks an uploaded PDF on the public page without signing in', async () => {
    const { row, pdf } = await insertSignedCertificate(t, firm);
    const agent = webAgent(t);
    const form = await agent.get('/verify').set('Accept', 'text/html').expect(200);
    const res = await agent
      .post(`/verify?_csrf=${encodeURIComponent(csrfFrom(form.text))}`)
      .set('Accept', 'text/html')
      .attach('file', pdf, 'certificate.pdf')
      .expect(200);
    expect(res.text).toContain('data-issued="yes"');
    expect(res.text).toContain(row.serial);
    const serialForm = await agent.get(`/verify?serial=${row.serial}`).expect(303);
    expect(serialForm.headers.location).toBe(`/verify/${row.serial}`);
  });

  it('shows the Chinese holder name, the status words and the holder status on the QR page', async () => {
    const { row } = await insertSignedCertificate(t, firm, { kind: 'rating' });
    const zh = await t.http.get(`/verify/${row.serial}`).set('Accept', 'text/html').expect(200);
    expect(zh.text).toContain('深圳核验测试金融科技有限公司');
    expect(zh.text).toContain('有效');
    expect(zh.text).toContain('正式会员');
    expect(zh.text).toContain('目前无有效评级');
    expect(zh.text).toContain('信用评级证书');
    const en = await t.http
      .get(`/verify/${row.serial}`)
      .set('Accept', 'text/html')
      .set('Cookie', 'szifa_lang=en')
      .expect(200);
    expect(en.text).toContain('Valid');
    const unknown = await t.http.get('/verify/SZIFA-MEM-2026-999998').set('Accept', 'text/html');
    expect(unknown.text).toContain('查无此证');
  });

  it("lists only the firm's valid, unexpired certificates in its directory section", async () => {
    const holder = await createFirm(t);
    const valid = await insertSignedCertificate(t, holder);
    const revoked = await insertSignedCertificate(t, holder, { kind: 'pledge' });
    await writeCertificate(t, revoked.row.id, {
      status: 'revoked',
      revokedAt: new Date(),
      revokedReason: 'manual',
    });
    const expired = await insertSignedCertificate(t, holder, {
      kind: 'rating',
      issuedOn: addDays(today, -400),
      expiresOn: addDays(today, -1),
    });
    const res = await t.http.get(`/api/v1/directory/${holder.id}`).expect(200);
    const section = (
      res.body as {
        sections: Array<{
          key: string;
          summary: { 'zh-CN': string; en: string } | null;
          link: string | null;
        }>;
      }
    ).sections.find((s) => s.key === 'certificate');
    expect(section?.summary?.['zh-CN']).toBe(`有效证书 1 张：${valid.row.serial}`);
    expect(section?.link).toBe(`/verify/${valid.row.serial}`);
    expect(section?.summary?.en).not.toContain(revoked.row.serial);
    expect(section?.summary?.en).not.toContain(expired.row.serial);
  });
});
