import { randomUUID } from 'node:crypto';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { RatingCycle } from '../../src/modules/ratings/entities/rating-cycle.entity.js';
import { ScorecardVersion } from '../../src/modules/ratings/entities/scorecard-version.entity.js';
import { RatingSubmission } from '../../src/modules/ratings/entities/rating-submission.entity.js';
import { DEFAULT_SCORECARD } from '../../src/modules/ratings/default-scorecard.js';
import { definitionFingerprint, score } from '../../src/modules/ratings/scorecard.js';
import type { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { bearer } from '../helpers/auth-flows.js';
import type { TestApp } from '../helpers/test-app.js';
import { createFirm, loginAs, type CreatedUser } from './index.js';

/**
 * Ratings factories. `openCycle` writes a cycle straight into the database (open by default,
 * its window around today, scored with the shipped v1 scorecard); tests of opening a cycle go
 * through HTTP. `submitFor` fills and submits a firm's values through the API.
 */

export type RatingsUser = CreatedUser & { token: string };

/** The shipped, published scorecard (version 1). */
export async function defaultScorecardId(t: TestApp): Promise<string> {
  const row = await t.dataSource.getRepository(ScorecardVersion).findOneByOrFail({ number: 1 });
  return row.id;
}

export async function openCycle(
  t: TestApp,
  overrides: Partial<RatingCycle> = {},
): Promise<RatingCycle> {
  const today = beijingDate(new Date());
  const now = new Date();
  const cycle: RatingCycle = {
    id: randomUUID(),
    nameZh: `测试评级 ${randomUUID().slice(0, 6)}`,
    nameEn: 'Test rating',
    scorecardId: overrides.scorecardId ?? (await defaultScorecardId(t)),
    periodFrom: addDays(today, -365),
    periodTo: addDays(today, -1),
    opensOn: addDays(today, -5),
    closesOn: addDays(today, 20),
    state: 'open',
    createdBy: randomUUID(),
    createdAt: now,
    openedAt: now,
    closedAt: null,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
  await t.app.get(TransactionService).run((em) => em.insert(RatingCycle, cycle));
  return cycle;
}

/**
 * A complete, valid set of firm values for the v1 scorecard (the "middling lender" of the
 * scorecard spec: 72.00 with its dispute indicators), with overrides.
 */
export function submissionValues(
  overrides: Record<string, string | null> = {},
): Record<string, string | null> {
  return {
    paid_in_capital: '30000',
    capital_adequacy: '11',
    overdue_rate: '2.5',
    bad_debt_rate: '1.5',
    depository_custody: 'yes',
    disclosure_completeness: '88',
    compliance_incidents: '1',
    customers: '50000',
    ...overrides,
  };
}

/** A firm admin of a new active member firm, signed in through the API. */
export async function ratedFirmAdmin(t: TestApp): Promise<RatingsUser> {
  const firm = await createFirm(t);
  return loginAs(t, 'firm_admin', { firmId: firm.id });
}

/** Saves the values and submits for the firm admin; returns the submission's API view. */
export async function submitFor(
  t: TestApp,
  admin: RatingsUser,
  cycle: Pick<RatingCycle, 'id'>,
  values: Record<string, string | null> = submissionValues(),
): Promise<{
  id: string;
  state: string;
  scoreHundredths: number | null;
  computedGrade: string | null;
}> {
  const base = `/api/v1/ratings/cycles/${cycle.id}/submissions/mine`;
  const saved = await t.http
    .put(`${base}/values`)
    .set(...bearer(admin.token))
    .send({ values });
  if (saved.status !== 200)
    throw new Error(`save failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  const res = await t.http.post(`${base}/submit`).set(...bearer(admin.token));
  if (res.status !== 200)
    throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    state: string;
    scoreHundredths: number | null;
    computedGrade: string | null;
  };
}

// ---- helper H (review, publication, appeals) ----

/**
 * A submitted submission written straight into the database (review tests do not depend on the
 * firm's forms): v1 values (the "middling lender" by default) plus dispute indicators, scored
 * with score() as the submission service does.
 */
export async function submittedSubmission(
  t: TestApp,
  cycle: Pick<RatingCycle, 'id'>,
  firmId: string,
  values: Record<string, string> = {},
): Promise<RatingSubmission> {
  const firmValues = { ...(submissionValues() as Record<string, string>), ...values };
  const platformValues = { complaints_per_10k: '0.40', complaint_resolution_rate: '100.00' };
  const result = score(DEFAULT_SCORECARD, { ...firmValues, ...platformValues });
  const now = new Date();
  const row: RatingSubmission = {
    id: randomUUID(),
    cycleId: cycle.id,
    firmId,
    state: 'submitted',
    firmValues: JSON.stringify(firmValues),
    platformValues: JSON.stringify(platformValues),
    scoreHundredths: result.scoreHundredths,
    computedGrade: result.grade,
    scorecardFingerprint: definitionFingerprint(DEFAULT_SCORECARD),
    proposedGrade: null,
    proposedBy: null,
    proposedAt: null,
    rationale: null,
    confirmedBy: null,
    confirmedAt: null,
    returnComment: null,
    submittedAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await t.app.get(TransactionService).run((em) => em.insert(RatingSubmission, row));
  return row;
}

/** An active member firm with one administrator signed in through the API. */
export async function memberFirmAdmin(t: TestApp): Promise<RatingsUser & { firm: Firm }> {
  const firm = await createFirm(t, { status: 'active', tier: 'member', memberSince: '2024-01-15' });
  return { ...(await loginAs(t, 'firm_admin', { firmId: firm.id })), firm };
}

/** Proposes (reviewer `a`, the computed grade), confirms (`b`) and publishes (`admin`) through the API. */
export async function publishThroughReview(
  t: TestApp,
  submission: Pick<RatingSubmission, 'id' | 'computedGrade'>,
  a: RatingsUser,
  b: RatingsUser,
  admin: RatingsUser,
): Promise<{ id: string; grade: string; effectiveOn: string; expiresOn: string }> {
  const base = `/api/v1/ratings/submissions/${submission.id}`;
  const step = async (token: string, path: string, body: object = {}): Promise<unknown> => {
    const res = await t.http
      .post(`${base}/${path}`)
      .set(...bearer(token))
      .send(body);
    if (res.status !== 200)
      throw new Error(`${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await step(a.token, 'propose', { grade: submission.computedGrade });
  await step(b.token, 'confirm');
  return (await step(admin.token, 'publish')) as {
    id: string;
    grade: string;
    effectiveOn: string;
    expiresOn: string;
  };
}
