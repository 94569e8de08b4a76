import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { PledgeSignature } from '../../src/modules/pledges/entities/pledge-signature.entity.js';
import { FirmRating } from '../../src/modules/ratings/entities/firm-rating.entity.js';
import { ExpiryService } from '../../src/modules/ratings/expiry.service.js';
import { issueCertificate, issuedCertificate } from '../factories/certificates.js';
import { staffActor } from '../factories/conventions.js';
import { createFirm, loginAs } from '../factories/index.js';
import {
  createSignatoryFirm,
  publishConvention,
  signConvention,
} from '../factories/pledge-lists.js';
import {
  memberFirmAdmin,
  openCycle,
  publishThroughReview,
  submittedSubmission,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('certificates from ratings and pledges, and automatic revocation', () => {
  let t: TestApp;
  let a: RatingsUser;
  let b: RatingsUser;
  let admin: RatingsUser;
  const today = beijingDate(new Date());

  const certificate = (id: string) =>
    t.http
      .get(`/api/v1/certificates/${id}`)
      .set(...bearer(admin.token))
      .expect(200)
      .then((r) => r.body as { status: string; revokedReason: string | null });

  const published = async () => {
    const firmAdmin = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
    const r = await publishThroughReview(t, sub, a, b, admin);
    return { firm: firmAdmin.firm, ratingId: r.id, grade: r.grade, expiresOn: r.expiresOn };
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await loginAs(t, 'staff_reviewer');
    b = await loginAs(t, 'staff_reviewer');
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it('revokes the membership certificate when the firm is expelled', async () => {
    const firm = await createFirm(t);
    const cert = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const fresh = await t.dataSource.getRepository(Firm).findOneByOrFail({ id: firm.id });
    await t.http
      .post(`/api/v1/firms/${firm.id}/status-transitions`)
      .set(...bearer(admin.token))
      .send({
        action: 'expel',
        reasonCategory: 'misconduct',
        reason: '严重违规',
        decisionRef: '深互金协〔2026〕12号',
        version: fresh.version,
      })
      .expect(201);
    expect(await certificate(cert.id)).toMatchObject({
      status: 'revoked',
      revokedReason: 'membership.expelled',
    });
  });

  it('issues a rating certificate for the current rating and revokes it when the rating expires', async () => {
    const r = await published();
    const cert = await issuedCertificate(t, admin.token, 'rating', r.ratingId);
    expect(cert).toMatchObject({
      subjectKey: `rating:${r.ratingId}`,
      expiresOn: r.expiresOn,
      facts: { grade: r.grade },
    });
    await writeDb(t, (m) =>
      m.update(FirmRating, { id: r.ratingId }, { expiresOn: addDays(today, -1) }),
    );
    await t.app.get(ExpiryService).expire(new Date());
    expect(await certificate(cert.id)).toMatchObject({
      status: 'revoked',
      revokedReason: 'ratings.expired',
    });
    // The rating is no longer current: refused.
    const again = await issueCertificate(t, admin.token, 'rating', r.ratingId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'rating_not_current' });
  });

  it("revokes the rating certificate when an appeal changes the rating's grade", async () => {
    const r = await published();
    const cert = await issuedCertificate(t, admin.token, 'rating', r.ratingId);
    const firmAdmin = await loginAs(t, 'firm_admin', { firmId: r.firm.id });
    const appeal = await t.http
      .post(`/api/v1/ratings/ratings/${r.ratingId}/appeal`)
      .set(...bearer(firmAdmin.token))
      .send({ reasons: '评分所依据的逾期率口径有误' })
      .expect(201);
    const c = await loginAs(t, 'staff_reviewer');
    await t.http
      .post(`/api/v1/ratings/appeals/${(appeal.body as { id: string }).id}/decision`)
      .set(...bearer(c.token))
      .send({
        outcome: 'changed',
        grade: r.grade === 'AAA' ? 'AA' : 'AAA',
        rationale: '复核后调整',
      })
      .expect(200);
    expect(await certificate(cert.id)).toMatchObject({
      status: 'revoked',
      revokedReason: 'ratings.changed',
    });
  });

  it('issues a pledge certificate for a signature in force and refuses a superseded one', async () => {
    const staff = await staffActor(t);
    const first = await publishConvention(t, staff);
    const who = await createSignatoryFirm(t, { name: '深圳公约签署测试有限公司' });
    await signConvention(t, who, first);
    const signature = await t.dataSource
      .getRepository(PledgeSignature)
      .findOneByOrFail({ firmId: who.firm.id });
    const cert = await issuedCertificate(t, admin.token, 'pledge', signature.id);
    expect(cert).toMatchObject({
      subjectKey: `pledge:${signature.id}`,
      facts: { signatoryName: who.signatory.name, signedOn: today },
    });
    await publishConvention(t, staff, '深圳市互联网金融行业自律公约（修订）');
    const refused = await issueCertificate(t, admin.token, 'pledge', signature.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'signature_superseded' });
  });
});
