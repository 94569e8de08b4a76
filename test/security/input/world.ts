import type { Firm } from '../../../src/modules/membership/entities/firm.entity.js';
import { bearer } from '../../helpers/auth-flows.js';
import type { TestApp } from '../../helpers/test-app.js';
import { createCompleteApplicant } from '../../factories/applications.js';
import {
  createDraftViaApi,
  mediationWithSignatory,
  type SettlementSetup,
} from '../../factories/disputes.js';
import { createFirm, loginAs, type CreatedUser } from '../../factories/index.js';
import { createInvoice } from '../../factories/members.js';
import { openCycle } from '../../factories/ratings.js';

/**
 * The records the hostile-input suites attack: one of each main workflow, with the people
 * allowed to act on it, built through factories (and the API where the route is the subject).
 */
export type Signed = CreatedUser & { token: string };

export interface World {
  staff: Signed;
  member: Firm;
  memberAdmin: Signed;
  applicant: Firm;
  applicantAdmin: Signed;
  complainant: Signed;
  draftId: string;
  mediation: SettlementSetup;
  cycleId: string;
  invoiceId: string;
  /** A firm nobody above belongs to: the value smuggled into `firmId`. */
  otherFirm: Firm;
  /** Set by the uploads suite: the member firm's draft rating submission. */
  submissionId?: string;
  /** Set by the uploads suite: a firm admin with a published, unappealed rating. */
  appealing?: { token: string; ratingId: string };
  /** Set by the uploads suite: a firm admin with an appeal under way. */
  appealed?: { token: string; appealId: string };
}

export async function buildWorld(t: TestApp): Promise<World> {
  const staff = await loginAs(t, 'staff_admin');
  const member = await createFirm(t, {
    status: 'active',
    tier: 'member',
    memberSince: '2024-01-15',
  });
  const memberAdmin = await loginAs(t, 'firm_admin', { firmId: member.id });
  const applicant = await createCompleteApplicant(t);
  const applicantAdmin = await loginAs(t, 'firm_admin', { firmId: applicant.id });
  const complainant = await loginAs(t, 'complainant');
  const draft = await createDraftViaApi(t, complainant.token, member.id);
  const mediation = await mediationWithSignatory(t);
  const cycle = await openCycle(t);
  const invoice = await createInvoice(t, member.id, { amountFen: 500_000 });
  const otherFirm = await createFirm(t);
  return {
    staff,
    member,
    memberAdmin,
    applicant,
    applicantAdmin,
    complainant,
    draftId: draft.id,
    mediation,
    cycleId: cycle.id,
    invoiceId: invoice.id,
    otherFirm,
  };
}

/** Every row of every table, keyed by table (migrations' own bookkeeping left out). */
export async function databaseState(t: TestApp): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const meta of t.dataSource.entityMetadatas) {
    const table = meta.tableName;
    const rows = await t.dataSource.query<unknown[]>(`SELECT * FROM "${table}"`);
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

/** Row counts of every table. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const metas = t.dataSource.entityMetadatas.map((m) => m.tableName).sort();
  const sql = metas
    .map((name) => `SELECT '${name}' AS t, COUNT(*) AS n FROM "${name}"`)
    .join(' UNION ALL ');
  const rows = await t.dataSource.query<{ t: string; n: number | string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

export { bearer };
