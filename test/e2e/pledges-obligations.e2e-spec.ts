import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { addDays, beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { ConventionSignatureCheck } from '../../src/modules/membership/convention-check.js';
import { ConventionsService } from '../../src/modules/pledges/conventions.service.js';
import type { ConventionVersion } from '../../src/modules/pledges/entities/convention-version.entity.js';
import { PledgeObligation } from '../../src/modules/pledges/entities/pledge-obligation.entity.js';
import { PledgeReminder } from '../../src/modules/pledges/entities/pledge-reminder.entity.js';
import {
  ObligationsService,
  PLEDGE_DEADLINE_JOB,
} from '../../src/modules/pledges/obligations.service.js';
import { SchedulerService } from '../../src/modules/scheduler/scheduler.service.js';
import { createApplication, createCompleteApplicant } from '../factories/applications.js';
import { publishConvention } from '../factories/conventions.js';
import { createFirm, createUser, loginAs } from '../factories/index.js';
import { bearer, emailsTo } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Noon in Beijing on a calendar date. */
const noon = (date: string): Date => new Date(`${date}T04:00:00Z`);

describe('pledge obligations', () => {
  let t: TestApp;
  let obligations: ObligationsService;
  let tx: TransactionService;
  let v1: ConventionVersion;
  const today = beijingDate(new Date());
  const firms: Record<string, Firm> = {};

  const obligationOf = (firmId: string, versionId: string): Promise<PledgeObligation | null> =>
    t.dataSource
      .getRepository(PledgeObligation)
      .findOneBy({ firmId, conventionVersionId: versionId });

  const sign = (firmId: string, versionId: string): Promise<PledgeObligation> =>
    tx.run((m) =>
      obligations.recordSigned(m, {
        firmId,
        conventionVersionId: versionId,
        signatureId: crypto.randomUUID(),
        at: new Date(),
      }),
    );

  beforeAll(async () => {
    t = await startTestApp();
    obligations = t.app.get(ObligationsService);
    tx = t.app.get(TransactionService);
    for (const status of ['active', 'suspended', 'applicant', 'expelled', 'lapsed'] as const)
      firms[status] = await createFirm(t, { status });
    v1 = await publishConvention(t);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('publication', () => {
    it('makes every active and suspended member owe a signature, due PLEDGE_RESIGN_DAYS after the effective date', async () => {
      for (const key of ['active', 'suspended']) {
        expect(await obligationOf(firms[key].id, v1.id)).toMatchObject({
          state: 'pending',
          deadlineOn: addDays(today, 30),
        });
        await expect(obligations.statusFor(firms[key].id)).resolves.toBe('needs_signing');
      }
      for (const key of ['applicant', 'expelled', 'lapsed']) {
        expect(await obligationOf(firms[key].id, v1.id)).toBeNull();
        await expect(obligations.statusFor(firms[key].id)).resolves.toBe('none');
      }
    });

    it('flips a member that signed the old version to needs-signing when a new version is published', async () => {
      const member = await createFirm(t, { status: 'active' });
      const old = await publishConvention(t, { bodyZh: '旧版本' });
      await sign(member.id, old.id);
      await expect(obligations.statusFor(member.id)).resolves.toBe('signed');
      const counts = await obligations.countsFor(old.id);
      expect(counts.signed).toBeGreaterThanOrEqual(1);

      const next = await publishConvention(t, { bodyZh: '新版本' });
      expect(await obligationOf(member.id, next.id)).toMatchObject({
        state: 'pending',
        deadlineOn: addDays(today, 30),
      });
      await expect(obligations.statusFor(member.id)).resolves.toBe('needs_signing');
      // The old signature stays, shown as superseded; unsigned old obligations end.
      expect(await obligationOf(member.id, old.id)).toMatchObject({ state: 'signed' });
      const page = await obligations.listForVersion(old.id, { limit: 200 });
      expect(page.items.find((i) => i.firmId === member.id)).toMatchObject({
        status: 'superseded',
        firmName: member.name,
      });
      expect(await obligationOf(firms.active.id, old.id)).toMatchObject({ state: 'ended' });
      v1 = next;
    });

    it('gives a firm admitted after publication a pending obligation too', async () => {
      const late = await createFirm(t, { status: 'active' });
      await tx.run((m) =>
        t.app.get(DomainEvents).emit(m, 'membership.activated', { firmId: late.id, year: 2026 }),
      );
      expect(await obligationOf(late.id, v1.id)).toMatchObject({ state: 'pending' });
    });

    it('ends the obligations of an expelled or withdrawn member', async () => {
      const expelled = await createFirm(t, { status: 'active' });
      const withdrawn = await createFirm(t, { status: 'active' });
      await tx.run(async (m) => {
        await t.app
          .get(DomainEvents)
          .emit(m, 'membership.activated', { firmId: expelled.id, year: 2026 });
        await t.app
          .get(DomainEvents)
          .emit(m, 'membership.activated', { firmId: withdrawn.id, year: 2026 });
      });
      await tx.run(async (m) => {
        const events = t.app.get(DomainEvents);
        await events.emit(m, 'membership.expelled', { firmId: expelled.id, decisionRef: 'X-1' });
        await events.emit(m, 'membership.withdrawn', { firmId: withdrawn.id });
      });
      for (const firm of [expelled, withdrawn]) {
        expect(await obligationOf(firm.id, v1.id)).toMatchObject({ state: 'ended' });
        await expect(obligations.statusFor(firm.id)).resolves.toBe('none');
      }
    });
  });

  describe('the deadline job', () => {
    it('flags exactly the pending obligations past their deadline, once', async () => {
      const late = await createFirm(t, { status: 'active' });
      const lateButSigned = await createFirm(t, { status: 'active' });
      const onTime = await createFirm(t, { status: 'active' });
      const events = t.app.get(DomainEvents);
      await tx.run(async (m) => {
        for (const f of [late, lateButSigned, onTime])
          await events.emit(m, 'membership.activated', { firmId: f.id, year: 2026 });
      });
      await sign(lateButSigned.id, v1.id);
      const deadline = addDays(today, 30);
      const onTimeObligation = (await obligationOf(onTime.id, v1.id))!;
      await tx.run((m) =>
        m.update(
          PledgeObligation,
          { id: onTimeObligation.id },
          { deadlineOn: addDays(deadline, 5) },
        ),
      );
      const scheduler = t.app.get(SchedulerService);

      // On the deadline itself nobody is late.
      const onDeadline = await scheduler.runNow(PLEDGE_DEADLINE_JOB, noon(deadline));
      expect(onDeadline).toMatchObject({ ran: true, outcome: { flagged: 0 } });

      const dayAfter = noon(addDays(deadline, 1));
      const first = await scheduler.runNow(PLEDGE_DEADLINE_JOB, dayAfter);
      expect(first.ran).toBe(true);
      expect(await obligationOf(late.id, v1.id)).toMatchObject({ state: 'overdue' });
      expect(await obligationOf(lateButSigned.id, v1.id)).toMatchObject({ state: 'signed' });
      await expect(obligations.statusFor(late.id)).resolves.toBe('overdue');

      expect(await obligationOf(onTime.id, v1.id)).toMatchObject({ state: 'pending' });
      await expect(obligations.statusFor(onTime.id)).resolves.toBe('needs_signing');
      const overdueCount = (): Promise<number> =>
        t.dataSource
          .getRepository(PledgeObligation)
          .countBy({ conventionVersionId: v1.id, state: 'overdue' });
      const overdueAfterFirstRun = await overdueCount();

      // The same day again is refused by the scheduler; a direct re-run flags nothing new.
      await expect(scheduler.runNow(PLEDGE_DEADLINE_JOB, dayAfter)).resolves.toMatchObject({
        ran: false,
        reason: 'ALREADY_RAN',
      });
      await expect(obligations.runDeadlines(dayAfter)).resolves.toMatchObject({ flagged: 0 });
      expect(await overdueCount()).toBe(overdueAfterFirstRun);
      expect(await obligationOf(late.id, v1.id)).toMatchObject({ state: 'overdue', version: 2 });
    });

    it('reminds the firm admins and the signatory 7 days and 1 day before the deadline, each once', async () => {
      const firm = await createFirm(t, { status: 'active' });
      const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
      const signatory = await createUser(t, { role: 'firm_member', firmId: firm.id });
      await tx.run(async (m) => {
        await m.update(Firm, { id: firm.id }, { signatoryUserId: signatory.id });
        await t.app
          .get(DomainEvents)
          .emit(m, 'membership.activated', { firmId: firm.id, year: 2026 });
      });
      const obligation = (await obligationOf(firm.id, v1.id))!;
      // Give this obligation its own deadline, away from the others.
      const deadline = addDays(today, 100);
      await tx.run((m) =>
        m.update(PledgeObligation, { id: obligation.id }, { deadlineOn: deadline }),
      );

      await obligations.runDeadlines(noon(addDays(deadline, -8)));
      expect(await emailsTo(t, admin.email)).toHaveLength(0);
      await obligations.runDeadlines(noon(addDays(deadline, -7)));
      await obligations.runDeadlines(noon(addDays(deadline, -7)));
      await obligations.runDeadlines(noon(addDays(deadline, -1)));
      await obligations.runDeadlines(noon(addDays(deadline, -1)));
      for (const person of [admin, signatory]) {
        const mails = (await emailsTo(t, person.email)).filter(
          (e) => e.template === 'pledge-deadline-reminder',
        );
        expect(mails).toHaveLength(2);
        expect(mails.every((e) => e.textBody.includes(deadline))).toBe(true);
      }
      const kinds = await t.dataSource
        .getRepository(PledgeReminder)
        .findBy({ obligationId: obligation.id });
      expect(kinds.map((r) => r.kind).sort()).toEqual(['before_1', 'before_7']);
    });
  });

  describe('admission while a convention is in force', () => {
    it('refuses approval with CONVENTION_NOT_SIGNED until the firm has signed the version in force', async () => {
      const check = t.app.get(ConventionSignatureCheck);
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'under_review');
      const staff = await loginAs(t, 'staff_admin');
      await expect(check.check(firm.id)).resolves.toEqual({ required: true, signed: false });
      const refused = await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(staff.token))
        .send({ action: 'approve', version: 1 })
        .expect(409);
      expect(refused.body.code).toBe('CONVENTION_NOT_SIGNED');

      const inForce = (await t.app.get(ConventionsService).current())!;
      expect(inForce.id).toBe(v1.id);
      await sign(firm.id, inForce.id);
      await expect(check.check(firm.id)).resolves.toEqual({ required: true, signed: true });
      await t.http
        .post(`/api/v1/applications/${app.id}/transitions`)
        .set(...bearer(staff.token))
        .send({ action: 'approve', version: 1 })
        .expect(200);
      // Admission keeps the signature the applicant gave.
      expect(await obligationOf(firm.id, inForce.id)).toMatchObject({ state: 'signed' });
      await expect(obligations.statusFor(firm.id)).resolves.toBe('signed');
    });
  });

  describe('a version announced for a later date', () => {
    it('leaves the version in force owed until the new one takes effect, then ends the old obligations', async () => {
      const member = await createFirm(t, { status: 'active' });
      await tx.run((m) =>
        t.app.get(DomainEvents).emit(m, 'membership.activated', { firmId: member.id, year: 2026 }),
      );
      const effectiveOn = addDays(today, 200);
      const announced = await publishConvention(t, { bodyZh: '将来的版本', effectiveOn });
      expect(await obligationOf(member.id, v1.id)).toMatchObject({ state: 'pending' });
      expect(await obligationOf(member.id, announced.id)).toMatchObject({
        state: 'pending',
        deadlineOn: addDays(effectiveOn, 30),
      });
      await obligations.runDeadlines(noon(addDays(effectiveOn, -1)));
      expect((await obligationOf(member.id, v1.id))?.state).not.toBe('ended');
      await obligations.runDeadlines(noon(effectiveOn));
      expect(await obligationOf(member.id, v1.id)).toMatchObject({
        state: 'ended',
        endedReason: 'superseded',
      });
      expect(await obligationOf(member.id, announced.id)).toMatchObject({ state: 'pending' });
    });
  });
});
