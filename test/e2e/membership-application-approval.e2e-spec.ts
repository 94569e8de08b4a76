import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DomainEvents } from '../../src/common/events/domain-events.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { ApplicationsService } from '../../src/modules/membership/applications.service.js';
import { formatFen } from '../../src/modules/membership/dues.js';
import { ConventionSignatureCheck } from '../../src/modules/membership/convention-check.js';
import { FirmDocument } from '../../src/modules/membership/entities/firm-document.entity.js';
import { FirmStatusEvent } from '../../src/modules/membership/entities/firm-status-event.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipApplication } from '../../src/modules/membership/entities/membership-application.entity.js';
import { Notification } from '../../src/modules/notifications/entities/notification.entity.js';
import { actorOf, createApplication, createCompleteApplicant } from '../factories/applications.js';
import { createUser, loginAs } from '../factories/index.js';
import { bearer, emailsTo, lastEmail } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('approving a membership application', () => {
  let t: TestApp;
  let service: ApplicationsService;
  const activated: Array<{ firmId: string; year: number }> = [];
  beforeAll(async () => {
    t = await startTestApp();
    service = t.app.get(ApplicationsService);
    t.app.get(DomainEvents).on('membership.activated', (payload) => {
      activated.push(payload);
      return Promise.resolve();
    });
  });
  afterAll(() => t.close());

  const invoicesOf = (firmId: string): Promise<Invoice[]> =>
    t.dataSource.getRepository(Invoice).findBy({ firmId });
  const firmOf = (id: string): Promise<Firm> =>
    t.dataSource.getRepository(Firm).findOneByOrFail({ id });

  async function approveAt(instant: Date, tier: 'member' | 'council' = 'member') {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'under_review', { requestedTier: tier });
    const result = await service.transition(
      actorOf('staff_admin'),
      app.id,
      { action: 'approve', version: 1 },
      {},
      instant,
    );
    return { firm, app, result };
  }

  it('admits the firm in one step: active, the requested tier, member since today (Beijing), a public status event and a domain event', async () => {
    const instant = new Date('2026-03-15T02:00:00Z');
    const { firm, result } = await approveAt(instant, 'council');
    expect(result.application.state).toBe('approved');
    expect(await firmOf(firm.id)).toMatchObject({
      status: 'active',
      tier: 'council',
      memberSince: '2026-03-15',
    });
    const events = await t.dataSource.getRepository(FirmStatusEvent).findBy({ firmId: firm.id });
    expect(events).toEqual([
      expect.objectContaining({ status: 'active', reasonCategory: 'admitted' }),
    ]);
    expect(activated).toContainEqual({ firmId: firm.id, year: 2026 });
  });

  it('raises the first invoice pro-rated by month: approval in March of a 20,000.00 fee charges 16,666.67, due in 30 days', async () => {
    const { firm, result } = await approveAt(new Date('2026-03-15T02:00:00Z'));
    const [invoice] = await invoicesOf(firm.id);
    expect(invoice).toMatchObject({
      year: 2026,
      kind: 'initial',
      tier: 'member',
      amountFen: 1_666_667,
      paidFen: 0,
      status: 'open',
      dueOn: '2026-04-14',
    });
    expect(invoice.number).toMatch(/^SZIFA-INV-2026-\d{6}$/);
    expect(result.invoice?.id).toBe(invoice.id);
  });

  it('counts the Beijing month: 00:30 on 1 March in Beijing is still February in UTC, and pays ten months', async () => {
    const { firm } = await approveAt(new Date('2026-02-28T16:30:00Z'));
    const [invoice] = await invoicesOf(firm.id);
    expect(invoice.amountFen).toBe(1_666_667);
    expect((await firmOf(firm.id)).memberSince).toBe('2026-03-01');
  });

  it('charges a January joiner the whole year and a December joiner one twelfth', async () => {
    const january = await approveAt(new Date('2027-01-05T02:00:00Z'));
    expect((await invoicesOf(january.firm.id))[0]).toMatchObject({
      year: 2027,
      amountFen: 2_000_000,
    });
    const december = await approveAt(new Date('2027-12-20T02:00:00Z'));
    expect((await invoicesOf(december.firm.id))[0].amountFen).toBe(166_667);
  });

  it('tells the firm administrators by e-mail and in-app notice, with the invoice', async () => {
    const firm = await createCompleteApplicant(t);
    const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
    const member = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const app = await createApplication(t, firm.id, 'under_review');
    const { invoice } = await service.transition(actorOf('staff_admin'), app.id, {
      action: 'approve',
      version: 1,
    });
    if (!invoice) throw new Error('approval raised no invoice');
    const email = await lastEmail(t, admin.email, 'application-approved');
    expect(email.textBody).toContain(invoice.number);
    expect(email.textBody).toContain(formatFen(invoice.amountFen));
    expect(email.textBody).toContain(`/firm/invoices/${invoice.id}`);
    expect(await emailsTo(t, member.email, 'application-approved')).toHaveLength(0);
    const notices = await t.dataSource.getRepository(Notification).findBy({ userId: admin.id });
    expect(notices).toEqual([
      expect.objectContaining({ kind: 'application.approve', link: '/firm/application' }),
    ]);
  });

  it('tells the firm what to change when staff request changes, and why when they reject', async () => {
    const firm = await createCompleteApplicant(t);
    const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
    const app = await createApplication(t, firm.id, 'under_review');
    await service.transition(actorOf('staff_reviewer'), app.id, {
      action: 'request_changes',
      comment: '请补充 2025 年度审计报告。',
      version: 1,
    });
    const changes = await lastEmail(t, admin.email, 'application-changes-requested');
    expect(changes.textBody).toContain('请补充 2025 年度审计报告。');

    const other = await createCompleteApplicant(t);
    const otherAdmin = await createUser(t, { role: 'firm_admin', firmId: other.id });
    const rejected = await createApplication(t, other.id, 'under_review');
    await service.transition(actorOf('staff_admin'), rejected.id, {
      action: 'reject',
      comment: '业务范围不属于互联网金融。',
      version: 1,
    });
    const email = await lastEmail(t, otherAdmin.email, 'application-rejected');
    expect(email.textBody).toContain('业务范围不属于互联网金融。');
    expect(await invoicesOf(other.id)).toEqual([]);
  });

  it('refuses approval when the firm record stopped being complete, listing what is missing', async () => {
    const firm = await createCompleteApplicant(t);
    const app = await createApplication(t, firm.id, 'under_review');
    await t.app
      .get(TransactionService)
      .run((m) => m.update(FirmDocument, { firmId: firm.id }, { removedAt: new Date() }));
    await expect(
      service.transition(actorOf('staff_admin'), app.id, { action: 'approve', version: 1 }),
    ).rejects.toMatchObject({
      code: 'APPLICATION_INCOMPLETE',
      details: { problems: ['document.business_licence'] },
    });
    expect((await firmOf(firm.id)).status).toBe('applicant');
    expect(await invoicesOf(firm.id)).toEqual([]);
  });

  describe('the self-discipline convention seam', () => {
    it('refuses approval with CONVENTION_NOT_SIGNED while a required convention is unsigned, and admits once it is signed', async () => {
      const conventions = t.app.get(ConventionSignatureCheck);
      const firm = await createCompleteApplicant(t);
      const app = await createApplication(t, firm.id, 'under_review');
      const admin = await loginAs(t, 'staff_admin');
      const spy = jest
        .spyOn(conventions, 'check')
        .mockResolvedValue({ required: true, signed: false });
      try {
        const res = await t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(...bearer(admin.token))
          .send({ action: 'approve', version: 1 })
          .expect(409);
        expect(res.body.code).toBe('CONVENTION_NOT_SIGNED');
        expect(spy).toHaveBeenCalledWith(firm.id);
        expect(
          await t.dataSource.getRepository(MembershipApplication).findOneByOrFail({ id: app.id }),
        ).toMatchObject({ state: 'under_review', version: 1 });
        expect((await firmOf(firm.id)).status).toBe('applicant');
        expect(await invoicesOf(firm.id)).toEqual([]);

        spy.mockResolvedValue({ required: true, signed: true });
        await t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(...bearer(admin.token))
          .send({ action: 'approve', version: 1 })
          .expect(200);
        expect((await firmOf(firm.id)).status).toBe('active');
      } finally {
        spy.mockRestore();
      }
    });

    it('asks nothing of the firm until the pledges module provides a convention', async () => {
      await expect(t.app.get(ConventionSignatureCheck).check('any-firm')).resolves.toEqual({
        required: false,
        signed: false,
      });
    });
  });
});
