import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, beijingDate, startOfBeijingDate } from '../../src/common/time/beijing.js';
import { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { createTicket } from '../factories/disputes.js';
import { SAMPLE_PDF } from '../factories/firm-portal.js';
import { createFirm, loginAs } from '../factories/index.js';
import {
  openCycle,
  ratedFirmAdmin,
  submissionValues,
  submitFor,
  type RatingsUser,
} from '../factories/ratings.js';
import { bearer, writeDb } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Problem {
  key: string;
  code: string;
  zh: string;
  en: string;
}

describe('ratings: firm submissions', () => {
  let t: TestApp;
  const today = beijingDate(new Date());

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const mine = (cycleId: string) => `/api/v1/ratings/cycles/${cycleId}/submissions/mine`;
  const save = (user: RatingsUser, cycleId: string, values: Record<string, unknown>) =>
    t.http
      .put(`${mine(cycleId)}/values`)
      .set(...bearer(user.token))
      .send({ values });
  const submit = (user: RatingsUser, cycleId: string) =>
    t.http.post(`${mine(cycleId)}/submit`).set(...bearer(user.token));
  const keysOf = (body: { problems: Problem[] }) =>
    body.problems.map((p) => `${p.key}:${p.code}`).sort();

  describe('values per indicator', () => {
    it('saves a partial draft', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const res = await save(firm, cycle.id, { paid_in_capital: '30000' }).expect(200);
      expect(res.body.state).toBe('draft');
      expect(res.body.firmValues).toEqual({ paid_in_capital: '30000' });
      await save(firm, cycle.id, { capital_adequacy: 11, paid_in_capital: '' }).expect(200);
      const read = await t.http
        .get(mine(cycle.id))
        .set(...bearer(firm.token))
        .expect(200);
      expect(read.body.submission.firmValues).toEqual({ capital_adequacy: '11' });
    });

    it('refuses out-of-range and malformed values, listing each indicator with zh/en messages', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const res = await save(firm, cycle.id, {
        capital_adequacy: '120',
        overdue_rate: 'abc',
        compliance_incidents: '1.5',
        depository_custody: 'maybe',
        paid_in_capital: '30000',
      }).expect(400);
      expect(res.body.code).toBe('VALUES_INVALID');
      expect(keysOf(res.body)).toEqual([
        'capital_adequacy:OUT_OF_RANGE',
        'compliance_incidents:NOT_WHOLE',
        'depository_custody:NOT_A_CHOICE',
        'overdue_rate:NOT_A_NUMBER',
      ]);
      expect(res.body.problems[0].zh).toMatch(/\p{Script=Han}/u);
      expect(res.body.problems[0].en).toMatch(/[a-z]/);
      const read = await t.http
        .get(mine(cycle.id))
        .set(...bearer(firm.token))
        .expect(200);
      expect(read.body.submission).toBeNull();
    });

    it('refuses to submit with missing values, listing every missing indicator', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      await save(firm, cycle.id, submissionValues({ overdue_rate: null, customers: null })).expect(
        200,
      );
      const res = await submit(firm, cycle.id).expect(400);
      expect(res.body.code).toBe('VALUES_INVALID');
      expect(keysOf(res.body)).toEqual(['customers:REQUIRED', 'overdue_rate:REQUIRED']);
    });

    it('refuses a value for a platform dispute indicator (read-only) and an unknown key', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const res = await save(firm, cycle.id, { complaints_per_10k: '0', nonsense: '1' }).expect(
        400,
      );
      expect(keysOf(res.body)).toEqual([
        'complaints_per_10k:READ_ONLY',
        'nonsense:UNKNOWN_INDICATOR',
      ]);
    });
  });

  describe('platform dispute indicators', () => {
    it('computes complaints per 10k and resolution rate from the firm’s tickets filed in the period', async () => {
      const firm = await ratedFirmAdmin(t);
      const firmId = firm.firmId as string;
      const cycle = await openCycle(t, {
        periodFrom: addDays(today, -100),
        periodTo: addDays(today, -1),
      });
      const inPeriod = new Date(startOfBeijingDate(addDays(today, -50)).getTime() + 3_600_000);
      const triagedAt = new Date(inPeriod.getTime() + 86_400_000);
      const ticket = (extra: Parameters<typeof createTicket>[1]) =>
        createTicket(t, { firmId, filedAt: inPeriod, ...extra });
      await ticket({ state: 'settled', triagedAt, outcome: 'settled' });
      await ticket({ state: 'settled', triagedAt, outcome: 'settled' });
      await ticket({ state: 'mediation_failed', triagedAt, outcome: 'failed' });
      await ticket({ state: 'in_mediation', triagedAt });
      await ticket({ state: 'rejected', triagedAt, outcome: 'rejected' });
      await createTicket(t, { firmId }); // filed today: outside the period
      await createTicket(t, { filedAt: inPeriod }); // another firm's

      // 5 filed ÷ 50,000 customers × 10,000 = 1.00; resolved 3 ÷ accepted 4 = 75.00 %.
      await save(firm, cycle.id, submissionValues()).expect(200);
      const draft = await t.http
        .get(mine(cycle.id))
        .set(...bearer(firm.token))
        .expect(200);
      expect(draft.body.platformValues).toEqual({
        complaints_per_10k: '1.00',
        complaint_resolution_rate: '75.00',
      });
      const res = await submit(firm, cycle.id).expect(200);
      expect(res.body.platformValues).toEqual(draft.body.platformValues);
      // Firm values 6000 (the middling lender) + complaints ≤ 1 → 80 × 10 + rate ≥ 70 → 60 × 10 = 7400.
      expect(res.body.scoreHundredths).toBe(7400);
      expect(res.body.computedGrade).toBe('A');
      expect(res.body.scorecardFingerprint).toMatch(/^[0-9a-f]{64}$/);
    });

    it('counts a period without complaints as 0 per 10k and a 100 % resolution rate', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const res = await submitFor(t, firm, cycle);
      const stored = await t.dataSource
        .getRepository(RatingSubmission)
        .findOneByOrFail({ id: res.id });
      expect(JSON.parse(stored.platformValues)).toEqual({
        complaints_per_10k: '0.00',
        complaint_resolution_rate: '100.00',
      });
    });
  });

  describe('window and lock', () => {
    it('refuses a late submission once closesOn has passed (WINDOW_CLOSED)', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      await save(firm, cycle.id, submissionValues()).expect(200);
      await writeDb(t, (m) =>
        m.update(
          RatingCycle,
          { id: cycle.id },
          { opensOn: addDays(today, -30), closesOn: addDays(today, -1) },
        ),
      );
      expect((await submit(firm, cycle.id).expect(409)).body.code).toBe('WINDOW_CLOSED');
      expect((await save(firm, cycle.id, { overdue_rate: '1' }).expect(409)).body.code).toBe(
        'WINDOW_CLOSED',
      );
    });

    it('refuses a submission before the window opens (WINDOW_NOT_OPEN)', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t, { opensOn: addDays(today, 3) });
      await save(firm, cycle.id, submissionValues()).expect(200);
      expect((await submit(firm, cycle.id).expect(409)).body.code).toBe('WINDOW_NOT_OPEN');
    });

    it('refuses submissions to a closed cycle', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t, { state: 'closed' });
      expect((await save(firm, cycle.id, submissionValues()).expect(409)).body.code).toBe(
        'CYCLE_NOT_OPEN',
      );
    });

    it('locks values and documents after submission; a returned submission can be edited and resubmitted', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const submitted = await submitFor(t, firm, cycle);
      expect(submitted.state).toBe('submitted');
      expect((await save(firm, cycle.id, { overdue_rate: '1' }).expect(409)).body.code).toBe(
        'SUBMISSION_LOCKED',
      );
      expect((await submit(firm, cycle.id).expect(409)).body.code).toBe('SUBMISSION_LOCKED');
      const upload = await t.http
        .post(`/api/v1/ratings/submissions/${submitted.id}/documents`)
        .set(...bearer(firm.token))
        .attach('file', SAMPLE_PDF, 'audit.pdf')
        .expect(409);
      expect(upload.body.code).toBe('SUBMISSION_LOCKED');

      await writeDb(t, (m) =>
        m.update(
          RatingSubmission,
          { id: submitted.id },
          { state: 'returned', returnComment: '请补充审计报告。' },
        ),
      );
      const home = await t.http
        .get(mine(cycle.id))
        .set(...bearer(firm.token))
        .expect(200);
      expect(home.body.editable).toBe(true);
      await save(firm, cycle.id, { overdue_rate: '0.5' }).expect(200);
      const again = await submit(firm, cycle.id).expect(200);
      expect(again.body.state).toBe('submitted');
      expect(again.body.scoreHundredths).toBeGreaterThan(submitted.scoreHundredths as number);
    });
  });

  describe('who may act', () => {
    it('refuses a firm that is not an active member (FIRM_NOT_RATEABLE)', async () => {
      const cycle = await openCycle(t);
      for (const status of ['applicant', 'suspended', 'expelled']) {
        const firm = await createFirm(t, { status: status as 'suspended' });
        const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
        const res = await save(admin, cycle.id, submissionValues()).expect(409);
        expect(res.body.code).toBe('FIRM_NOT_RATEABLE');
      }
    });

    it('lets a firm member read but not edit or submit', async () => {
      const firm = await ratedFirmAdmin(t);
      const member = await loginAs(t, 'firm_member', { firmId: firm.firmId });
      const cycle = await openCycle(t);
      await save(firm, cycle.id, submissionValues()).expect(200);
      const read = await t.http
        .get(mine(cycle.id))
        .set(...bearer(member.token))
        .expect(200);
      expect(read.body.editable).toBe(false);
      await save(member, cycle.id, { overdue_rate: '1' }).expect(403);
      await submit(member, cycle.id).expect(403);
    });

    it('never shows a firm another firm’s submission or its documents (404)', async () => {
      const owner = await ratedFirmAdmin(t);
      const other = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const saved = await save(owner, cycle.id, submissionValues()).expect(200);
      const id = saved.body.id as string;
      const doc = await t.http
        .post(`/api/v1/ratings/submissions/${id}/documents`)
        .set(...bearer(owner.token))
        .attach('file', SAMPLE_PDF, 'audit.pdf')
        .expect(201);
      const base = `/api/v1/ratings/submissions/${id}`;
      for (const path of [base, `${base}/documents`, `${base}/documents/${doc.body.id}`]) {
        const res = await t.http
          .get(path)
          .set(...bearer(other.token))
          .expect(404);
        expect(res.body.code).toBe('SUBMISSION_NOT_FOUND');
      }
      await t.http
        .delete(`${base}/documents/${doc.body.id}`)
        .set(...bearer(other.token))
        .expect(404);
      await t.http
        .post(`${base}/documents`)
        .set(...bearer(other.token))
        .attach('file', SAMPLE_PDF, 'x.pdf')
        .expect(404);
      const otherMine = await t.http
        .get(mine(cycle.id))
        .set(...bearer(other.token))
        .expect(200);
      expect(otherMine.body.submission).toBeNull();
      const reviewer = await loginAs(t, 'staff_reviewer');
      await t.http
        .get(base)
        .set(...bearer(reviewer.token))
        .expect(200);
      await t.http.get(base).expect(401);
    });
  });

  describe('documents', () => {
    it('uploads, lists, downloads and removes a draft’s documents; refuses a non-PDF/image', async () => {
      const firm = await ratedFirmAdmin(t);
      const cycle = await openCycle(t);
      const saved = await save(firm, cycle.id, { paid_in_capital: '1' }).expect(200);
      const base = `/api/v1/ratings/submissions/${saved.body.id}/documents`;
      const up = await t.http
        .post(base)
        .set(...bearer(firm.token))
        .attach('file', SAMPLE_PDF, '审计报告.pdf')
        .expect(201);
      expect(up.body.contentType).toBe('application/pdf');
      const list = await t.http
        .get(base)
        .set(...bearer(firm.token))
        .expect(200);
      expect((list.body.items as Array<{ id: string }>).map((d) => d.id)).toEqual([up.body.id]);
      const file = await t.http
        .get(`${base}/${up.body.id}`)
        .set(...bearer(firm.token))
        .expect(200);
      expect(file.headers['content-type']).toContain('application/pdf');
      const bad = await t.http
        .post(base)
        .set(...bearer(firm.token))
        .attach('file', Buffer.from('plain text, not a pdf'), 'fake.pdf')
        .expect(415);
      expect(bad.body.code).toBe('UNSUPPORTED_FILE_TYPE');
      await t.http
        .delete(`${base}/${up.body.id}`)
        .set(...bearer(firm.token))
        .expect(204);
      const after = await t.http
        .get(base)
        .set(...bearer(firm.token))
        .expect(200);
      expect(after.body.items).toEqual([]);
      await t.http
        .get(`${base}/${up.body.id}`)
        .set(...bearer(firm.token))
        .expect(404);
    });
  });
});
