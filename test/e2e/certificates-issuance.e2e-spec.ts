import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingYear } from '../../src/common/time/beijing.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import {
  downloadCertificate,
  issueCertificate,
  issuedCertificate,
  pdfText,
  verifiesWithJwks,
} from '../factories/certificates.js';
import { createFirm, loginAs } from '../factories/index.js';
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = { token: string };
const idsOf = (body: unknown) => (body as { items: Array<{ id: string }> }).items.map((c) => c.id);

describe('certificate issuance and manual revocation', () => {
  let t: TestApp;
  let admin: Token;
  let reviewer: Token;
  const year = beijingYear(new Date());

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
    reviewer = await loginAs(t, 'staff_reviewer');
  });
  afterAll(() => t.close());

  it('issues a membership certificate whose PDF text has the Chinese holder name and the serial', async () => {
    const firm = await createFirm(t, { name: '深圳前海证书测试科技有限公司' });
    const cert = await issuedCertificate(t, reviewer.token, 'membership', firm.id);
    expect(cert.serial).toMatch(new RegExp(`^SZIFA-MEM-${year}-\\d{6}$`));
    expect(cert).toMatchObject({
      kind: 'membership',
      firmId: firm.id,
      subjectKey: `membership:${firm.id}:${year}`,
      expiresOn: `${year}-12-31`,
      status: 'valid',
    });
    const pdf = await downloadCertificate(t, reviewer.token, cert.id).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`${cert.serial}.pdf`);
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, '');
    expect(text).toContain('深圳前海证书测试科技有限公司');
    expect(text).toContain(cert.serial);
    expect(
      await t.dataSource.getRepository(AuditEvent).countBy({
        action: 'certificates.issued',
        subjectId: cert.id,
      }),
    ).toBe(1);
  });

  it('signs the canonical payload so that the published JWKS alone verifies it, and one changed byte fails', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    expect(JSON.parse(cert.payload)).toMatchObject({
      type: 'szifa.certificate/v1',
      serial: cert.serial,
      kid: cert.kid,
    });
    expect(await verifiesWithJwks(t, cert.kid, cert.payload, cert.signature)).toBe(true);
    const bytes = Buffer.from(cert.payload);
    bytes[10] ^= 1;
    expect(await verifiesWithJwks(t, cert.kid, bytes, cert.signature)).toBe(false);
  });

  it('refuses a suspended firm with a reason', async () => {
    const firm = await createFirm(t, { status: 'suspended' });
    const res = await issueCertificate(t, admin.token, 'membership', firm.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'firm_suspended' });
  });

  it('issues once for the same membership year, by hand and in two concurrent requests', async () => {
    const firm = await createFirm(t);
    const [x, y] = await Promise.all([
      issueCertificate(t, admin.token, 'membership', firm.id),
      issueCertificate(t, reviewer.token, 'membership', firm.id),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.serial).toBe(y.body.serial);
    const again = await issuedCertificate(t, admin.token, 'membership', firm.id);
    expect(again.serial).toBe(x.body.serial);
    expect(await t.dataSource.getRepository(Certificate).countBy({ firmId: firm.id })).toBe(1);
  });

  it('keeps serials unique and gap-free under 50 concurrent issuances', async () => {
    const before = await t.dataSource.getRepository(Certificate).countBy({ kind: 'membership' });
    const firms = await Promise.all(Array.from({ length: 50 }, () => createFirm(t)));
    const responses = await Promise.all(
      firms.map((f) => issueCertificate(t, admin.token, 'membership', f.id)),
    );
    expect(responses.map((r) => r.status)).toEqual(firms.map(() => 201));
    const numbers = responses
      .map((r) => Number((r.body as { serial: string }).serial.slice(-6)))
      .sort((p, q) => p - q);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before + 1 + i));
  });

  it('revokes by hand with a reason, once, and only staff administrators may', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const revoke = (token: string, reason: string) =>
      t.http
        .post(`/api/v1/certificates/${cert.id}/revoke`)
        .set(...bearer(token))
        .send({ reason });
    await revoke(reviewer.token, '信息有误').expect(403);
    expect((await revoke(admin.token, '  ').expect(400)).body.code).toBe('REASON_REQUIRED');
    const done = await revoke(admin.token, '证书信息有误').expect(200);
    expect(done.body).toMatchObject({
      status: 'revoked',
      revokedReason: 'manual',
      revokedNote: '证书信息有误',
    });
    expect((await revoke(admin.token, '再次').expect(409)).body.code).toBe('ALREADY_REVOKED');
    const listed = await t.http
      .get(`/api/v1/certificates?firmId=${firm.id}&status=revoked`)
      .set(...bearer(admin.token))
      .expect(200);
    expect(idsOf(listed.body)).toEqual([cert.id]);
  });

  it("shows a firm its own certificates and answers 404 for another firm's", async () => {
    const own = await createFirm(t);
    const other = await createFirm(t);
    const mine = await issuedCertificate(t, admin.token, 'membership', own.id);
    const theirs = await issuedCertificate(t, admin.token, 'membership', other.id);
    const user = await loginAs(t, 'firm_member', { firmId: own.id });
    await t.http
      .get(`/api/v1/certificates/${mine.id}`)
      .set(...bearer(user.token))
      .expect(200);
    await downloadCertificate(t, user.token, mine.id).expect(200);
    await t.http
      .get(`/api/v1/certificates/${theirs.id}`)
      .set(...bearer(user.token))
      .expect(404);
    await downloadCertificate(t, user.token, theirs.id).expect(404);
    const list = await t.http
      .get(`/api/v1/certificates?firmId=${other.id}`)
      .set(...bearer(user.token))
      .expect(200);
    expect(idsOf(list.body)).toEqual([mine.id]);
    await issueCertificate(t, user.token, 'membership', own.id).expect(403);
  });
});
