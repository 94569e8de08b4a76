import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate, beijingYear } from '../../src/common/time/beijing.js';
import { PLEDGE_SUPERSEDED_JOB } from '../../src/modules/certificates/certificates-jobs.js';
import { CertificatesService } from '../../src/modules/certificates/certificates.service.js';
import { Certificate } from '../../src/modules/certificates/entities/certificate.entity.js';
import { PledgeSignature } from '../../src/modules/pledges/entities/pledge-signature.entity.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { issueCertificate, issuedCertificate } from '../factories/certificates.js';
import { staffActor } from '../factories/conventions.js';
import { createFirm, loginAs } from '../factories/index.js';
import { createDuesInvoice } from '../factories/lifecycle.js';
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
import { bearer } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('who may be certified: next year, after a revocation, under appeal, superseded pledges', () => {
  let t: TestApp;
  let admin: RatingsUser;
  const thisYear = beijingYear(new Date());

  const revoke = (id: string, reason: string) =>
    t.http
      .post(`/api/v1/certificates/${id}/revoke`)
      .set(...bearer(admin.token))
      .send({ reason })
      .expect(200);

  const certificateStatus = (id: string) =>
    t.http
      .get(`/api/v1/certificates/${id}`)
      .set(...bearer(admin.token))
      .expect(200)
      .then((r) => r.body as { status: string; revokedReason: string | null });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  it("certifies next year's membership only once next year's dues are paid or waived", async () => {
    const unpaid = await createFirm(t);
    const paid = await createFirm(t);
    const waived = await createFirm(t);
    const nextYear = thisYear + 1;
    await createDuesInvoice(t, unpaid.id, { year: nextYear, dueOn: `${nextYear}-01-31` });
    await createDuesInvoice(t, paid.id, {
      year: nextYear,
      dueOn: `${nextYear}-01-31`,
      paidFen: 2_000_000,
    });
    await createDuesInvoice(t, waived.id, {
      year: nextYear,
      dueOn: `${nextYear}-01-31`,
      waived: true,
    });
    const issue = (firmId: string, year: number) =>
      t.http
        .post('/api/v1/certificates')
        .set(...bearer(admin.token))
        .send({ kind: 'membership', subjectId: firmId, year });

    const refused = await issue(unpaid.id, nextYear);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'dues_unpaid' });

    for (const firm of [paid, waived]) {
      const res = await issue(firm.id, nextYear);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subjectKey: `membership:${firm.id}:${nextYear}`,
        expiresOn: `${nextYear}-12-31`,
        facts: { membershipYear: nextYear },
      });
    }

    const past = await issue(paid.id, thisYear - 1);
    expect(past.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'year_past' });
    const far = await issue(paid.id, thisYear + 2);
    expect(far.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'year_too_far' });
  });

  it('issues a new certificate, with a new serial, for a fact whose certificate was revoked', async () => {
    const firm = await createFirm(t);
    const first = await issuedCertificate(t, admin.token, 'membership', firm.id);
    // While the first is valid, issuing again returns it.
    const same = await issuedCertificate(t, admin.token, 'membership', firm.id);
    expect(same.serial).toBe(first.serial);

    await revoke(first.id, '证书信息有误，重新签发');
    const second = await issuedCertificate(t, admin.token, 'membership', firm.id);
    expect(second.serial).not.toBe(first.serial);
    expect(await certificateStatus(first.id)).toMatchObject({ status: 'revoked' });
    expect(await certificateStatus(second.id)).toMatchObject({ status: 'valid' });
  });

  it('keeps nothing, and gives its serial back, when what commits with an issuance fails', async () => {
    const firm = await createFirm(t);
    const service = t.app.get(CertificatesService);
    const actor = { id: admin.id, role: 'staff_admin' as const, firmId: null, name: '', email: '' };
    await expect(
      service.issueOne(actor, 'membership', firm.id, {
        onIssued: () => Promise.reject(new Error('recording the batch item failed')),
      }),
    ).rejects.toThrow('recording the batch item failed');
    const repo = t.dataSource.getRepository(Certificate);
    expect(await repo.countBy({ firmId: firm.id })).toBe(0);
    // The next certificate takes the serial the failed one would have had: no gap.
    const last = await repo.find({
      where: { kind: 'membership' },
      order: { serial: 'DESC' },
      take: 1,
    });
    const next = await issuedCertificate(t, admin.token, 'membership', firm.id);
    const seq = (serial: string) => Number(serial.slice(-6));
    expect(seq(next.serial)).toBe(last.length ? seq(last[0].serial) + 1 : 1);
  });

  it('gives every certificate its own place in the revocation status list, in issue order', async () => {
    const firms = [await createFirm(t), await createFirm(t)];
    const ids: string[] = [];
    for (const firm of firms)
      ids.push((await issuedCertificate(t, admin.token, 'membership', firm.id)).id);
    const rows = await t.dataSource.getRepository(Certificate).find();
    const indexes = rows.map((row) => row.statusIndex);
    expect(indexes.every((i) => Number.isInteger(i))).toBe(true);
    expect(new Set(indexes).size).toBe(rows.length);
    const [a, b] = await Promise.all(
      ids.map((id) => t.dataSource.getRepository(Certificate).findOneByOrFail({ id })),
    );
    expect(b.statusIndex).toBe(a.statusIndex! + 1);
  });

  it('refuses to certify a rating while an appeal against it is pending', async () => {
    const a = await loginAs(t, 'staff_reviewer');
    const b = await loginAs(t, 'staff_reviewer');
    const firmAdmin = await memberFirmAdmin(t);
    const sub = await submittedSubmission(t, await openCycle(t), firmAdmin.firm.id);
    const rating = await publishThroughReview(t, sub, a, b, admin);
    const owner = await loginAs(t, 'firm_admin', { firmId: firmAdmin.firm.id });
    const appeal = await t.http
      .post(`/api/v1/ratings/ratings/${rating.id}/appeal`)
      .set(...bearer(owner.token))
      .send({ reasons: '评分所依据的资本充足率口径有误' })
      .expect(201);

    const refused = await issueCertificate(t, admin.token, 'rating', rating.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'rating_under_appeal' });

    const c = await loginAs(t, 'staff_reviewer');
    await t.http
      .post(`/api/v1/ratings/appeals/${(appeal.body as { id: string }).id}/decision`)
      .set(...bearer(c.token))
      .send({ outcome: 'upheld', rationale: '复核后维持原评级' })
      .expect(200);
    await issuedCertificate(t, admin.token, 'rating', rating.id);
  });

  it("revokes a superseded signature's pledge certificate once the new version's deadline has passed", async () => {
    const staff = await staffActor(t);
    const first = await publishConvention(t, staff);
    const signer = await createSignatoryFirm(t, { name: '深圳公约更替测试有限公司' });
    const idle = await createSignatoryFirm(t, { name: '深圳公约未续签测试有限公司' });
    await signConvention(t, signer, first);
    await signConvention(t, idle, first);
    const signatures = t.dataSource.getRepository(PledgeSignature);
    const certOf = async (firmId: string) =>
      issuedCertificate(
        t,
        admin.token,
        'pledge',
        (await signatures.findOneByOrFail({ firmId })).id,
      );
    const signerCert = await certOf(signer.firm.id);
    const idleCert = await certOf(idle.firm.id);

    const second = await publishConvention(t, staff, '深圳市互联网金融行业自律公约（修订）');
    await signConvention(t, signer, second);
    const scheduler = t.app.get(SchedulerService);
    const today = beijingDate(new Date());

    // Within the deadline to sign the new version, both certificates stand.
    await scheduler.runNow(PLEDGE_SUPERSEDED_JOB, new Date());
    expect(await certificateStatus(signerCert.id)).toMatchObject({ status: 'valid' });
    expect(await certificateStatus(idleCert.id)).toMatchObject({ status: 'valid' });

    // Past it, both old signatures' certificates end; the new signature can be certified.
    const after = new Date(`${addDays(today, 31)}T04:00:00Z`);
    await scheduler.runNow(PLEDGE_SUPERSEDED_JOB, after);
    for (const cert of [signerCert, idleCert])
      expect(await certificateStatus(cert.id)).toMatchObject({
        status: 'revoked',
        revokedReason: 'pledges.superseded',
      });
    const renewed = await signatures.findOneByOrFail({
      firmId: signer.firm.id,
      conventionVersionId: second.id,
    });
    await issuedCertificate(t, admin.token, 'pledge', renewed.id);
  });
});
