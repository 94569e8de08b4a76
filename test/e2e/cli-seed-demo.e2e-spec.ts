import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate } from '../../src/common/time/beijing.js';
import { loadConfig } from '../../src/config/app-config.js';
import {
  DEMO_DOMAIN,
  DEMO_FIRMS,
  DEMO_PASSWORDS,
  demoCreditCode,
  demoFirmStatus,
} from '../../src/database/seeds/demo-data.js';
import { TICKET_STATES } from '../../src/modules/disputes/ticket.state.js';
import { MESSAGE_VISIBILITIES } from '../../src/modules/disputes/visibility.js';
import { FIRM_STATUSES, TIER_CODES } from '../../src/modules/membership/entities/firm.entity.js';
import { isValidCreditCode } from '../../src/modules/membership/credit-code.js';
import { DISTRICT_KEYS } from '../../src/modules/membership/districts.js';
import { col, openCliEnv, type CliEnv, type CliRun } from './cli-env.js';

interface UserRow {
  email: string;
  role: string;
  firmId: string | null;
  verified: unknown;
}

interface FirmRow {
  id: string;
  creditCode: string;
  district: string;
  status: string;
}

describe('cli seed:demo', () => {
  let env: CliEnv;
  let first: CliRun;
  let users: UserRow[];
  let firms: FirmRow[];

  beforeAll(async () => {
    env = await openCliEnv();
    first = await env.run('seed:demo');
    users = await env.query<UserRow>(
      `SELECT email, role, ${col(env, 'firmId')} AS "firmId", ${col(env, 'emailVerifiedAt')} AS verified FROM users`,
    );
    firms = await env.query<FirmRow>(
      `SELECT id, ${col(env, 'creditCode')} AS "creditCode", district, status FROM firms`,
    );
    // The seed replays every workflow, convention signatures (each re-checks a password) too.
  }, 120_000);
  afterAll(() => env.close());

  const countRole = (role: string): number => users.filter((u) => u.role === role).length;

  it('fills an empty database with a living association', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(countRole('staff_admin')).toBe(2);
    expect(countRole('staff_reviewer')).toBe(2);
    expect(countRole('mediator')).toBe(4);
    expect(countRole('complainant')).toBe(6);
    expect(firms.length).toBeGreaterThanOrEqual(18);
    expect(firms.filter((f) => f.status === 'applicant').length).toBeGreaterThanOrEqual(2);
    expect(firms.filter((f) => f.status === 'active').length).toBeGreaterThan(firms.length / 2);
    expect(first.stdout).toMatch(/20 member firms \(11 active, \d+ .*\) with 50 firm users/);
  });

  it('prints the demo logins: one password per role', () => {
    for (const [role, password] of Object.entries(DEMO_PASSWORDS)) {
      expect(first.stdout).toMatch(new RegExp(`^${role} +${password} +\\S+@\\S+ +\\d+$`, 'm'));
    }
    expect(first.stdout).toContain(`admin@${DEMO_DOMAIN}`);
  });

  it('refuses a second run on a database that has users', async () => {
    const again = await env.run('seed:demo');
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('only fills an empty database'),
    ]);
    expect(await env.query(`SELECT id FROM users`)).toHaveLength(users.length);
  });

  it('refuses to run in production, where its passwords would be public', async () => {
    const production = loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      APP_SECRET: 'x'.repeat(40),
    });
    const run = await env.run('seed:demo', [], production);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NODE_ENV=production');
  });

  it('lets the demo admin sign in through the API with the printed password', async () => {
    const res = await env.signIn(`admin@${DEMO_DOMAIN}`, DEMO_PASSWORDS.staff_admin);
    expect(res.status).toBe(200);
    expect(res.body.me).toEqual(
      expect.objectContaining({ role: 'staff_admin', emailVerified: true }),
    );
  });

  it('lets a firm administrator sign in with the firm password', async () => {
    const firmAdmin = users.find((u) => u.role === 'firm_admin')!;
    const res = await env.signIn(firmAdmin.email, DEMO_PASSWORDS.firm_admin);
    expect(res.status).toBe(200);
    expect(res.body.me).toEqual(
      expect.objectContaining({ role: 'firm_admin', firmId: firmAdmin.firmId }),
    );
  });

  it('gives every firm a valid and unique unified social credit code', () => {
    for (const firm of firms) expect(isValidCreditCode(firm.creditCode)).toBe(true);
    expect(new Set(firms.map((f) => f.creditCode)).size).toBe(firms.length);
  });

  it('lets every firm be found by its Chinese or English name', async () => {
    const rows = await env.query<{ name: string; en: string | null; search: string | null }>(
      `SELECT name, ${col(env, 'nameEn')} AS en, ${col(env, 'searchText')} AS search FROM firms`,
    );
    for (const row of rows) expect(row.search).toBe(`${row.name} ${row.en ?? ''}`.toLowerCase());
  });

  it('has member firms in every district', () => {
    expect(new Set(firms.map((f) => f.district))).toEqual(new Set(DISTRICT_KEYS));
  });

  it('gives every firm one firm admin and one or two members under the firm’s own domain', () => {
    for (const firm of firms) {
      const staff = users.filter((u) => u.firmId === firm.id);
      expect(staff.filter((u) => u.role === 'firm_admin')).toHaveLength(1);
      const members = staff.filter((u) => u.role === 'firm_member').length;
      expect(members).toBeGreaterThanOrEqual(1);
      expect(members).toBeLessThanOrEqual(2);
      const domains = new Set(staff.map((u) => u.email.split('@')[1]));
      expect(domains.size).toBe(1);
      expect([...domains][0]).toMatch(
        new RegExp(`^[a-z0-9-]+\\.${DEMO_DOMAIN.replace(/\./g, '\\.')}$`),
      );
    }
  });

  it('gives every demo account a verified address under the demo domain', () => {
    for (const user of users) {
      expect(user.email.endsWith(`.${DEMO_DOMAIN}`) || user.email.endsWith(`@${DEMO_DOMAIN}`)).toBe(
        true,
      );
      expect(user.verified).not.toBeNull();
    }
  });

  it('records an audit event for every account and firm it created, and the chain verifies', async () => {
    const actions = await env.query<{ action: string; n: unknown }>(
      `SELECT action, COUNT(*) AS n FROM audit_events GROUP BY action`,
    );
    const count = (action: string): number =>
      Number(actions.find((a) => a.action === action)?.n ?? 0);
    const applied = DEMO_FIRMS.filter((f) => f.journey.origin === 'applied').length;
    expect(count('user.created')).toBe(users.length);
    // Members from before the platform come in through the CSV import; the rest register.
    expect(count('membership.member_imported')).toBe(DEMO_FIRMS.length - applied);
    expect(count('membership.members_imported')).toBe(1);
    expect(count('firm.created')).toBe(applied);
    expect(count('membership.firm_activated')).toBe(
      DEMO_FIRMS.filter((f) => f.journey.origin === 'applied' && f.journey.stage === 'approved')
        .length,
    );
    const verify = await env.run('audit:verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('audit chain OK');
  });

  it('leaves every firm in the status its journey ends in, so every status is there', () => {
    const expected = DEMO_FIRMS.map((data, i) => [demoCreditCode(i + 1), demoFirmStatus(data)]);
    expect(firms.map((f) => [f.creditCode, f.status]).sort()).toEqual(expected.sort());
    expect(new Set(firms.map((f) => f.status))).toEqual(new Set(FIRM_STATUSES));
  });

  it('has applications at every stage, each with its steps', async () => {
    const apps = await env.query<{ state: string; steps: unknown }>(
      `SELECT a.state, (SELECT COUNT(*) FROM application_steps s WHERE s.${col(env, 'applicationId')} = a.id) AS steps
       FROM membership_applications a`,
    );
    expect(new Set(apps.map((a) => a.state))).toEqual(
      new Set(['draft', 'submitted', 'under_review', 'changes_requested', 'rejected', 'approved']),
    );
    const steps = (state: string): number[] =>
      apps.filter((a) => a.state === state).map((a) => Number(a.steps));
    expect(steps('draft')).toEqual([0]);
    expect(steps('changes_requested')).toEqual([3]);
    // One approval went through a request for changes and a resubmission first.
    expect(steps('approved').sort()).toEqual([3, 3, 3, 6]);
  });

  it('has invoices paid, partly paid, unpaid and waived, with members of every tier', async () => {
    const invoices = await env.query<{ status: string; amount: unknown; paid: unknown }>(
      `SELECT status, ${col(env, 'amountFen')} AS amount, ${col(env, 'paidFen')} AS paid FROM invoices`,
    );
    const open = invoices.filter((i) => i.status === 'open');
    expect(invoices.some((i) => i.status === 'paid')).toBe(true);
    expect(invoices.some((i) => i.status === 'waived')).toBe(true);
    expect(open.some((i) => Number(i.paid) === 0)).toBe(true);
    expect(open.some((i) => Number(i.paid) > 0 && Number(i.paid) < Number(i.amount))).toBe(true);
    const payments = await env.query(`SELECT id FROM payments`);
    expect(payments.length).toBeGreaterThanOrEqual(
      invoices.filter((i) => i.status === 'paid').length,
    );
    const tiers = await env.query<{ tier: string }>(
      `SELECT DISTINCT tier FROM firms WHERE status = 'active'`,
    );
    expect(new Set(tiers.map((t) => t.tier))).toEqual(new Set(TIER_CODES));
  });

  it('gives firms their profile, categories, licences, business-licence scans and public record', async () => {
    const incomplete = await env.query(
      `SELECT id FROM firms WHERE status <> 'applicant' AND (${col(env, 'legalRepresentative')} IS NULL
         OR ${col(env, 'registeredCapitalFen')} IS NULL OR address IS NULL OR ${col(env, 'contactPhone')} IS NULL)`,
    );
    expect(incomplete).toEqual([]);
    const documents = await env.query<{ type: string }>(
      `SELECT ${col(env, 'contentType')} AS type FROM firm_documents`,
    );
    expect(documents.length).toBe(DEMO_FIRMS.length - 1);
    expect(new Set(documents.map((d) => d.type))).toEqual(new Set(['application/pdf']));
    expect((await env.query(`SELECT * FROM firm_licences`)).length).toBeGreaterThan(5);
    const categorised = await env.query(
      `SELECT DISTINCT ${col(env, 'firmId')} FROM firm_categories`,
    );
    expect(categorised.length).toBe(DEMO_FIRMS.length - 1);
    const events = await env.query<{ status: string; reason: string | null }>(
      `SELECT status, ${col(env, 'reasonCategory')} AS reason FROM firm_status_events`,
    );
    expect(new Set(events.map((e) => `${e.status}:${e.reason}`))).toEqual(
      new Set([
        'active:imported',
        'active:admitted',
        'lapsed:dues_unpaid',
        'suspended:regulatory_action',
        'expelled:misconduct',
        'withdrawn:voluntary',
      ]),
    );
    const pending = await env.query(`SELECT id FROM firm_change_requests WHERE state = 'pending'`);
    expect(pending).toHaveLength(1);
  });

  it('publishes two convention versions, and has firms that signed both, only the first, or neither', async () => {
    const versions = await env.query<{ id: string; n: unknown; state: string }>(
      `SELECT id, ${col(env, 'versionNumber')} AS n, state FROM convention_versions`,
    );
    expect(versions.map((v) => [Number(v.n), v.state]).sort()).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
    const v2 = versions.find((v) => Number(v.n) === 2)!.id;
    const signatures = await env.query<{ firm: string; version: string }>(
      `SELECT ${col(env, 'firmId')} AS firm, ${col(env, 'conventionVersionId')} AS version FROM pledge_signatures`,
    );
    const signedBy = new Map<string, number>();
    for (const row of signatures) signedBy.set(row.firm, (signedBy.get(row.firm) ?? 0) + 1);
    const active = firms.filter((f) => f.status === 'active');
    const counts = active.map((f) => signedBy.get(f.id) ?? 0);
    expect(counts.filter((n) => n === 2).length).toBeGreaterThanOrEqual(2);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThanOrEqual(2);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThanOrEqual(2);
    // Whoever signed only once signed the first version; everyone active owes version 2.
    for (const row of signatures.filter((r) => signedBy.get(r.firm) === 1))
      expect(row.version).not.toBe(v2);
    const owed = await env.query<{ firm: string; state: string }>(
      `SELECT ${col(env, 'firmId')} AS firm, state FROM pledge_obligations WHERE ${col(env, 'conventionVersionId')} = '${v2}'`,
    );
    for (const firm of active) {
      const obligation = owed.find((o) => o.firm === firm.id);
      expect(obligation?.state).toBe(signedBy.get(firm.id) === 2 ? 'signed' : 'pending');
    }
  });

  it('matches the demo logins README.md lists', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const password of Object.values(DEMO_PASSWORDS)) expect(readme).toContain(password);
    expect(readme).toContain(`admin@${DEMO_DOMAIN}`);
  });
  describe('disputes', () => {
    interface TicketRow {
      id: string;
      number: string | null;
      state: string;
      firmId: string | null;
      complainant: string;
    }
    let tickets: TicketRow[];
    const ticketIn = (state: string): TicketRow => tickets.find((t) => t.state === state)!;

    beforeAll(async () => {
      tickets = await env.query<TicketRow>(
        `SELECT id, number, state, ${col(env, 'firmId')} AS "firmId",
           ${col(env, 'complainantUserId')} AS complainant FROM dispute_tickets`,
      );
    });

    it('has complaints in every state, numbered without gaps in the order they were filed', () => {
      expect(new Set(tickets.map((t) => t.state))).toEqual(new Set(TICKET_STATES));
      expect(ticketIn('draft').number).toBeNull();
      const year = beijingDate(new Date()).slice(0, 4);
      const numbers = tickets
        .filter((t) => t.state !== 'draft')
        .map((t) => t.number)
        .sort();
      expect(numbers).toEqual(
        numbers.map((_, i) => `SZIFA-M-${year}-${String(i + 1).padStart(6, '0')}`),
      );
    });

    it('records every ticket event in the audit chain', async () => {
      const entries = await env.query<{ audit: string | null; action: string }>(
        `SELECT ${col(env, 'auditEventId')} AS audit, action FROM dispute_timeline`,
      );
      expect(entries.filter((e) => e.action === 'file')).toHaveLength(tickets.length - 1);
      const audited = new Set(
        (
          await env.query<{ id: string }>(
            `SELECT id FROM audit_events WHERE action LIKE 'disputes.%'`,
          )
        ).map((r) => r.id),
      );
      for (const entry of entries) expect(audited.has(entry.audit ?? '')).toBe(true);
    });

    it('has one complaint whose firm response is overdue, escalated to staff', async () => {
      const late = await env.query<{ ticket: string; kind: string; breached: unknown }>(
        `SELECT ${col(env, 'ticketId')} AS ticket, kind, ${col(env, 'breachedAt')} AS breached
         FROM dispute_deadlines WHERE status = 'open' AND ${col(env, 'dueOn')} < ?`,
        [beijingDate(new Date())],
      );
      expect(late).toHaveLength(1);
      expect(late[0].kind).toBe('firm_response');
      expect(late[0].breached).not.toBeNull();
      expect(tickets.find((t) => t.id === late[0].ticket)?.state).toBe('awaiting_response');
      const notices = await env.query(
        `SELECT id FROM notifications WHERE kind = 'disputes.overdue'`,
      );
      expect(notices.length).toBeGreaterThan(0);
    });

    it('has a settlement signed by the complainant and the firm, which settled its ticket', async () => {
      const settled = ticketIn('settled');
      const signatures = await env.query<{ party: string; signer: string; text: string }>(
        `SELECT g.party, g.${col(env, 'signerUserId')} AS signer, g.${col(env, 'textFingerprint')} AS text
         FROM dispute_settlement_signatures g
         JOIN dispute_settlements s ON s.id = g.${col(env, 'settlementId')}
         WHERE s.${col(env, 'ticketId')} = ? AND s.status = 'signed'`,
        [settled.id],
      );
      expect(signatures.map((g) => g.party).sort()).toEqual(['complainant', 'firm']);
      expect(signatures.find((g) => g.party === 'complainant')?.signer).toBe(settled.complainant);
      const signatory = await env.query<{ signatory: string }>(
        `SELECT ${col(env, 'signatoryUserId')} AS signatory FROM firms WHERE id = ?`,
        [settled.firmId],
      );
      expect(signatures.find((g) => g.party === 'firm')?.signer).toBe(signatory[0].signatory);
      expect(new Set(signatures.map((g) => g.text)).size).toBe(1);
    });

    it('gives the mediators profiles with languages and specialities, and declared affiliations', async () => {
      const profiles = await env.query<{ languages: string; specialities: string }>(
        `SELECT languages, specialities FROM mediator_profiles`,
      );
      expect(profiles).toHaveLength(countRole('mediator'));
      for (const p of profiles) {
        expect((JSON.parse(p.languages) as string[]).length).toBeGreaterThan(0);
        expect((JSON.parse(p.specialities) as string[]).length).toBeGreaterThan(0);
      }
      const ties = await env.query<{ ended: string | null }>(
        `SELECT ${col(env, 'endedOn')} AS ended FROM mediator_affiliations`,
      );
      expect(ties.some((t) => t.ended === null)).toBe(true);
      expect(ties.some((t) => t.ended !== null)).toBe(true);
    });

    it('has a case in mediation with messages of every visibility and a session booked', async () => {
      const mediating = ticketIn('in_mediation');
      const messages = await env.query<{ visibility: string }>(
        `SELECT visibility FROM dispute_messages WHERE ${col(env, 'ticketId')} = ?`,
        [mediating.id],
      );
      expect(new Set(messages.map((m) => m.visibility))).toEqual(new Set(MESSAGE_VISIBILITIES));
      const sessions = await env.query<{ starts: unknown; cancelled: unknown }>(
        `SELECT ${col(env, 'startsAt')} AS starts, ${col(env, 'cancelledAt')} AS cancelled
         FROM dispute_sessions WHERE ${col(env, 'ticketId')} = ?`,
        [mediating.id],
      );
      expect(sessions).toHaveLength(1);
      expect(sessions[0].cancelled).toBeNull();
      expect(new Date(String(sessions[0].starts)).getTime()).toBeGreaterThan(Date.now());
    });

    it('has the complainant’s rating on the closed ticket', async () => {
      const surveys = await env.query<{ ticket: string; rating: unknown }>(
        `SELECT ${col(env, 'ticketId')} AS ticket, rating FROM dispute_surveys`,
      );
      expect(surveys).toHaveLength(1);
      expect(surveys[0].ticket).toBe(ticketIn('closed').id);
      expect(Number(surveys[0].rating)).toBe(5);
    });
  });

  describe('ratings', () => {
    interface CycleRow {
      id: string;
      name: string;
      state: string;
      closesOn: string;
    }
    interface SubmissionRow {
      id: string;
      cycleId: string;
      firmId: string;
      state: string;
      proposedBy: string | null;
      confirmedBy: string | null;
    }
    interface RatingRow {
      id: string;
      firmId: string;
      cycleId: string;
      submissionId: string;
      grade: string;
      status: string;
      replacesId: string | null;
      underAppeal: unknown;
    }
    const year = Number(beijingDate(new Date()).slice(0, 4));
    let cycles: CycleRow[];
    let submissions: SubmissionRow[];
    let ratings: RatingRow[];
    const cycleNamed = (name: string): CycleRow => cycles.find((c) => c.name === name)!;
    const inCycle = (name: string): SubmissionRow[] =>
      submissions.filter((s) => s.cycleId === cycleNamed(name).id);

    beforeAll(async () => {
      cycles = await env.query<CycleRow>(
        `SELECT id, ${col(env, 'nameZh')} AS name, state, ${col(env, 'closesOn')} AS "closesOn"
         FROM rating_cycles`,
      );
      submissions = await env.query<SubmissionRow>(
        `SELECT id, ${col(env, 'cycleId')} AS "cycleId", ${col(env, 'firmId')} AS "firmId", state,
           ${col(env, 'proposedBy')} AS "proposedBy", ${col(env, 'confirmedBy')} AS "confirmedBy"
         FROM rating_submissions`,
      );
      ratings = await env.query<RatingRow>(
        `SELECT id, ${col(env, 'firmId')} AS "firmId", ${col(env, 'cycleId')} AS "cycleId",
           ${col(env, 'submissionId')} AS "submissionId", grade, status,
           ${col(env, 'replacesId')} AS "replacesId", ${col(env, 'underAppealSince')} AS "underAppeal"
         FROM firm_ratings`,
      );
    });

    it('has last year’s cycle closed, its window in the past, and this year’s open', () => {
      expect(cycles).toHaveLength(2);
      const closed = cycleNamed(`${year - 1} 年度评级`);
      expect(closed.state).toBe('closed');
      expect(closed.closesOn < beijingDate(new Date())).toBe(true);
      const open = cycleNamed(`${year} 年度评级`);
      expect(open.state).toBe('open');
      expect(open.closesOn >= beijingDate(new Date())).toBe(true);
      expect(first.stdout).toMatch(/^Ratings: 2 cycles .*6 grades published, 2 appeals\.$/m);
    });

    it('publishes grades of several active members in the closed cycle, each confirmed by a second reviewer', () => {
      const closed = inCycle(`${year - 1} 年度评级`);
      expect(closed.length).toBeGreaterThanOrEqual(5);
      for (const s of closed) {
        expect(s.state).toBe('published');
        expect(s.proposedBy).not.toBeNull();
        expect(s.confirmedBy).not.toBeNull();
        expect(s.confirmedBy).not.toBe(s.proposedBy);
        expect(firms.find((f) => f.id === s.firmId)?.status).toBe('active');
      }
      const current = ratings.filter((r) => r.status === 'current');
      expect(new Set(current.map((r) => r.firmId)).size).toBe(closed.length);
      expect(new Set(current.map((r) => r.grade)).size).toBeGreaterThan(2);
    });

    it('has one appeal decided by an independent reviewer, kept in history, and one pending', async () => {
      const appeals = await env.query<{
        ratingId: string;
        submissionId: string;
        state: string;
        decidedBy: string | null;
      }>(
        `SELECT ${col(env, 'ratingId')} AS "ratingId", ${col(env, 'submissionId')} AS "submissionId",
           state, ${col(env, 'decidedBy')} AS "decidedBy" FROM rating_appeals`,
      );
      expect(appeals.map((a) => a.state).sort()).toEqual(['changed', 'pending']);
      const changed = appeals.find((a) => a.state === 'changed')!;
      const old = ratings.find((r) => r.id === changed.ratingId)!;
      expect(old.status).toBe('changed');
      const replacement = ratings.find((r) => r.replacesId === old.id)!;
      expect(replacement.status).toBe('current');
      expect(replacement.grade).not.toBe(old.grade);
      const steps = await env.query<{ actor: string }>(
        `SELECT ${col(env, 'actorUserId')} AS actor FROM rating_review_events
         WHERE ${col(env, 'submissionId')} = ? AND action IN ('return', 'propose', 'confirm', 'publish')`,
        [changed.submissionId],
      );
      expect(steps.length).toBeGreaterThanOrEqual(3);
      expect(steps.map((s) => s.actor)).not.toContain(changed.decidedBy);
      const pending = appeals.find((a) => a.state === 'pending')!;
      const appealed = ratings.find((r) => r.id === pending.ratingId)!;
      expect(appealed.status).toBe('current');
      expect(appealed.underAppeal).not.toBeNull();
    });

    it('keeps the reviewer with a declared link to a firm away from its submissions', async () => {
      const conflicts = await env.query<{ reviewer: string; firmId: string }>(
        `SELECT ${col(env, 'reviewerUserId')} AS reviewer, ${col(env, 'firmId')} AS "firmId"
         FROM rating_reviewer_conflicts WHERE ${col(env, 'removedAt')} IS NULL`,
      );
      expect(conflicts).toHaveLength(1);
      const acted = await env.query<{ actor: string | null }>(
        `SELECT ${col(env, 'actorUserId')} AS actor FROM rating_review_events
         WHERE ${col(env, 'firmId')} = ?`,
        [conflicts[0].firmId],
      );
      expect(acted.length).toBeGreaterThan(0);
      expect(acted.map((a) => a.actor)).not.toContain(conflicts[0].reviewer);
    });

    it('has drafts in the open cycle: partial ones, one awaiting review, one awaiting its second reviewer', () => {
      const open = inCycle(`${year} 年度评级`);
      expect(open.filter((s) => s.state === 'draft').length).toBeGreaterThanOrEqual(2);
      expect(open.filter((s) => s.state === 'submitted')).toHaveLength(1);
      const proposed = open.filter((s) => s.state === 'proposed');
      expect(proposed).toHaveLength(1);
      expect(proposed[0].proposedBy).not.toBeNull();
      expect(proposed[0].confirmedBy).toBeNull();
    });

    it('records every ratings step in the audit chain', async () => {
      const actions = await env.query<{ action: string }>(
        `SELECT DISTINCT action FROM audit_events WHERE action LIKE 'ratings.%'`,
      );
      expect(actions.length).toBeGreaterThanOrEqual(5);
      const events = await env.query<{ audit: string | null }>(
        `SELECT ${col(env, 'auditEventId')} AS audit FROM rating_review_events`,
      );
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.audit === null)).toEqual([]);
      for (const action of [
        'ratings.cycle_opened',
        'ratings.cycle_closed',
        'ratings.conflict_declared',
        'ratings.submit',
        'ratings.confirm',
        'ratings.publish',
        'ratings.appeal_decided',
      ])
        expect(actions.map((a) => a.action)).toContain(action);
    });
  });
});
