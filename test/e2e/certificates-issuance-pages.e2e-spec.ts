import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import { pdfText } from '../factories/certificates.js';
import { createFirm, createUser } from '../factories/index.js';
import { csrfFrom, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('certificate pages for staff and firms', () => {
  let t: TestApp;
  let staff: WebAgent;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await signInWeb(t, await createUser(t, { role: 'staff_admin' }));
  });
  afterAll(() => t.close());

  const staffPage = () => staff.get('/staff/certificates').set('Accept', 'text/html').expect(200);

  it('lets staff issue a membership certificate from the firm picker and revoke it with a reason; the firm downloads its own', async () => {
    const firm = await createFirm(t, { name: '深圳页面证书测试有限公司' });
    const page = await staffPage();
    expect(page.text).toContain('深圳页面证书测试有限公司');
    const issued = await staff
      .post('/staff/certificates')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'membership', firmId: firm.id })
      .expect(303);
    const cert = await t.dataSource.getRepository(Certificate).findOneByOrFail({ firmId: firm.id });
    expect(issued.headers.location).toBe(`/staff/certificates?issued=${cert.serial}`);
    const listed = await staff.get(issued.headers.location).expect(200);
    expect(listed.text).toContain(cert.serial);

    const member = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const firmAgent = await signInWeb(t, member);
    const own = await firmAgent.get('/firm/certificates').expect(200);
    expect(own.text).toContain(cert.serial);
    const pdf = await firmAgent
      .get(`/certificates/${cert.id}/pdf`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdfText(pdf.body as Buffer).replace(/\s+/g, '')).toContain(cert.serial);

    const revoked = await staff
      .post(`/staff/certificates/${cert.id}/revoke`)
      .type('form')
      .send({ _csrf: csrfFrom(listed.text), reason: '信息有误，重新签发' })
      .expect(303);
    expect(revoked.headers.location).toBe('/staff/certificates?done=revoked');
    expect(
      await t.dataSource.getRepository(Certificate).findOneByOrFail({ id: cert.id }),
    ).toMatchObject({
      status: 'revoked',
      revokedNote: '信息有误，重新签发',
    });
    const other = await createFirm(t);
    const otherAgent = await signInWeb(
      t,
      await createUser(t, { role: 'firm_admin', firmId: other.id }),
    );
    await otherAgent.get(`/certificates/${cert.id}/pdf`).expect(404);
  });

  it('shows the reason when a firm has no current rating to certify', async () => {
    const firm = await createFirm(t);
    const page = await staffPage();
    const refused = await staff
      .post('/staff/certificates')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'rating', firmId: firm.id })
      .expect(409);
    expect(refused.text).toContain('该机构没有当前有效的信用评级。');
  });
});
