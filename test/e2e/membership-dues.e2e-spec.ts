import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate, addDays } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipTier } from '../../src/modules/membership/entities/membership-tier.entity.js';
import { Payment } from '../../src/modules/membership/entities/payment.entity.js';
import { createFirm, createUser, loginAs } from '../factories/index.js';
import { bearer, lastEmail } from '../helpers/auth-flows.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Problem {
  code: string;
  errors?: Array<{ field: string }>;
  balanceFen?: number;
}

describe('tiers, dues invoices and payments', () => {
  let t: TestApp;
  let dues: DuesService;
  let staff: { token: string; id: string };
  beforeAll(async () => {
    t = await startTestApp();
    dues = t.app.get(DuesService);
    staff = await loginAs(t, 'staff_admin');
  });
  afterAll(() => t.close());

  let year = 2030;
  /** An open invoice of 16,666.67 for a new active firm (its own year, so none collide). */
  async function openInvoice(firmId?: string): Promise<Invoice> {
    const firm = firmId ?? (await createFirm(t)).id;
    const invoiceYear = year++;
    return t.app.get(TransactionService).run((m) =>
      dues.raiseInvoice(m, {
        firmId: firm,
        year: invoiceYear,
        kind: 'initial',
        tier: 'member',
        amountFen: 1_666_667,
        dueOn: `${invoiceYear}-04-14`,
      }),
    );
  }
  const stored = (id: string): Promise<Invoice> =>
    t.dataSource.getRepository(Invoice).findOneByOrFail({ id });
  const pay = (id: string, body: object, token = staff.token) =>
    t.http
      .post(`/api/v1/invoices/${id}/payments`)
      .set(...bearer(token))
      .send(body);
  const today = beijingDate(new Date());

  describe('tiers', () => {
    it('lists the four tiers, highest first, with their fees', async () => {
      const user = await loginAs(t, 'firm_member');
      const res = await t.http
        .get('/api/v1/tiers')
        .set(...bearer(user.token))
        .expect(200);
      expect((res.body as { items: Array<{ code: string }> }).items.map((i) => i.code)).toEqual([
        'president',
        'vice_president',
        'council',
        'member',
      ]);
      expect(res.body.items[3]).toMatchObject({
        nameZh: '会员单位',
        annualFeeFen: 2_000_000,
        annualFee: '20,000.00',
      });
    });

    it('lets a staff administrator set a fee in yuan, exactly to the fen, and audits the change', async () => {
      const res = await t.http
        .put('/api/v1/tiers/council')
        .set(...bearer(staff.token))
        .send({ annualFee: '50,000.05' })
        .expect(200);
      expect(res.body).toMatchObject({ code: 'council', annualFeeFen: 5_000_005 });
      const tier = await t.dataSource
        .getRepository(MembershipTier)
        .findOneByOrFail({ code: 'council' });
      expect(tier).toMatchObject({ annualFeeFen: 5_000_005, updatedBy: staff.id });
      const audit = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'membership.tier_fee_set', subjectId: 'council' });
      expect(audit).toHaveLength(1);
    });

    it('refuses a fee with fractions of a fen (400 naming the field), an unknown tier (404) and a reviewer (403)', async () => {
      const bad = await t.http
        .put('/api/v1/tiers/member')
        .set(...bearer(staff.token))
        .send({ annualFee: '1.234' })
        .expect(400);
      expect((bad.body as Problem).errors?.map((e) => e.field)).toEqual(['annualFee']);
      const unknown = await t.http
        .put('/api/v1/tiers/emperor')
        .set(...bearer(staff.token))
        .send({ annualFee: '1' })
        .expect(404);
      expect((unknown.body as Problem).code).toBe('TIER_NOT_FOUND');
      const reviewer = await loginAs(t, 'staff_reviewer');
      await t.http
        .put('/api/v1/tiers/member')
        .set(...bearer(reviewer.token))
        .send({ annualFee: '1' })
        .expect(403);
      const tier = await t.dataSource
        .getRepository(MembershipTier)
        .findOneByOrFail({ code: 'member' });
      expect(tier.annualFeeFen).toBe(2_000_000);
    });
  });

  describe('invoices', () => {
    it('numbers invoices SZIFA-INV-{year}-{six digits}, one series per year', async () => {
      const a = await openInvoice();
      expect(a.number).toBe(`SZIFA-INV-${a.year}-000001`);
      const firm = await createFirm(t);
      const b = await t.app.get(TransactionService).run((m) =>
        dues.raiseInvoice(m, {
          firmId: firm.id,
          year: a.year,
          kind: 'renewal',
          tier: 'member',
          amountFen: 100,
          dueOn: `${a.year}-12-31`,
        }),
      );
      expect(b.number).toBe(`SZIFA-INV-${a.year}-000002`);
    });

    it('refuses a second invoice of the same kind for the same firm and year', async () => {
      const first = await openInvoice();
      await expect(
        t.app.get(TransactionService).run((m) =>
          dues.raiseInvoice(m, {
            firmId: first.firmId,
            year: first.year,
            kind: 'initial',
            tier: 'member',
            amountFen: 100,
            dueOn: `${first.year}-01-31`,
          }),
        ),
      ).rejects.toMatchObject({ code: 'INVOICE_ALREADY_RAISED' });
    });

    it('leaves a balance after a part payment, refuses an overpayment, and marks the invoice paid when the rest arrives', async () => {
      const firm = await createFirm(t);
      const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
      const invoice = await openInvoice(firm.id);

      const part = await pay(invoice.id, {
        amount: '5,000.00',
        paidOn: today,
        bankReference: 'CMB-0001',
        version: 1,
      }).expect(200);
      expect(part.body).toMatchObject({
        status: 'open',
        paidFen: 500_000,
        balanceFen: 1_166_667,
        balance: '11,666.67',
        version: 2,
      });
      expect(part.body.payments).toHaveLength(1);
      const receiptMail = await lastEmail(t, admin.email, 'invoice-payment-recorded');
      expect(receiptMail.textBody).toContain('11,666.67');

      const over = await pay(invoice.id, {
        amount: '11666.68',
        paidOn: today,
        bankReference: 'CMB-0002',
        version: 2,
      }).expect(422);
      expect(over.body).toMatchObject({ code: 'PAYMENT_EXCEEDS_BALANCE', balanceFen: 1_166_667 });
      expect(await stored(invoice.id)).toMatchObject({ paidFen: 500_000, version: 2 });

      const rest = await pay(invoice.id, {
        amount: '11666.67',
        paidOn: today,
        bankReference: 'CMB-0003',
        version: 2,
      }).expect(200);
      expect(rest.body).toMatchObject({ status: 'paid', balanceFen: 0, paidFen: 1_666_667 });

      const after = await pay(invoice.id, {
        amount: '1',
        paidOn: today,
        bankReference: 'CMB-0004',
        version: 3,
      }).expect(409);
      expect((after.body as Problem).code).toBe('INVOICE_NOT_OPEN');
      expect(await t.dataSource.getRepository(Payment).countBy({ invoiceId: invoice.id })).toBe(2);
      const audit = await t.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'membership.payment_recorded', subjectId: invoice.id });
      expect(audit).toHaveLength(2);
    });

    it('refuses a payment dated in the future, a zero amount and a stale version', async () => {
      const invoice = await openInvoice();
      const future = await pay(invoice.id, {
        amount: '1',
        paidOn: addDays(today, 2),
        bankReference: 'X',
        version: 1,
      }).expect(400);
      expect((future.body as Problem).code).toBe('PAYMENT_DATE_INVALID');
      const zero = await pay(invoice.id, {
        amount: '0.00',
        paidOn: today,
        bankReference: 'X',
        version: 1,
      }).expect(400);
      expect((zero.body as Problem).code).toBe('AMOUNT_INVALID');
      const stale = await pay(invoice.id, {
        amount: '1',
        paidOn: today,
        bankReference: 'X',
        version: 9,
      }).expect(409);
      expect((stale.body as Problem).code).toBe('CONFLICT');
      expect(await stored(invoice.id)).toMatchObject({ paidFen: 0, version: 1 });
    });

    it('waives what is owed with a reason, which stays on the invoice; a waived invoice takes nothing more', async () => {
      const invoice = await openInvoice();
      await pay(invoice.id, {
        amount: '100',
        paidOn: today,
        bankReference: 'A',
        version: 1,
      }).expect(200);
      const noReason = await t.http
        .post(`/api/v1/invoices/${invoice.id}/waive`)
        .set(...bearer(staff.token))
        .send({ reason: '', version: 2 })
        .expect(400);
      expect((noReason.body as Problem).errors?.map((e) => e.field)).toContain('reason');
      const waived = await t.http
        .post(`/api/v1/invoices/${invoice.id}/waive`)
        .set(...bearer(staff.token))
        .send({ reason: '受灾企业，理事会决议减免。', version: 2 })
        .expect(200);
      expect(waived.body).toMatchObject({
        status: 'waived',
        balanceFen: 0,
        paidFen: 10_000,
        waivedReason: '受灾企业，理事会决议减免。',
      });
      const again = await t.http
        .post(`/api/v1/invoices/${invoice.id}/waive`)
        .set(...bearer(staff.token))
        .send({ reason: '再次', version: 3 })
        .expect(409);
      expect((again.body as Problem).code).toBe('INVOICE_NOT_OPEN');
      await pay(invoice.id, { amount: '1', paidOn: today, bankReference: 'B', version: 3 }).expect(
        409,
      );
    });

    it('refuses to set the status through a body, naming the field, and changes nothing', async () => {
      const invoice = await openInvoice();
      const res = await pay(invoice.id, {
        amount: '1',
        paidOn: today,
        bankReference: 'X',
        version: 1,
        status: 'paid',
      }).expect(400);
      expect((res.body as Problem).errors?.map((e) => e.field)).toContain('status');
      const waive = await t.http
        .post(`/api/v1/invoices/${invoice.id}/waive`)
        .set(...bearer(staff.token))
        .send({ reason: 'x', version: 1, status: 'paid', paidFen: 1_666_667 })
        .expect(400);
      expect((waive.body as Problem).errors?.map((e) => e.field)).toEqual(
        expect.arrayContaining(['status', 'paidFen']),
      );
      expect(await stored(invoice.id)).toMatchObject({ status: 'open', paidFen: 0, version: 1 });
    });

    it("shows a firm its own invoices and answers 404 for another firm's", async () => {
      const mine = await createFirm(t);
      const user = await loginAs(t, 'firm_member', { firmId: mine.id });
      const own = await openInvoice(mine.id);
      const other = await openInvoice();
      await t.http
        .get(`/api/v1/invoices/${own.id}`)
        .set(...bearer(user.token))
        .expect(200);
      const hidden = await t.http
        .get(`/api/v1/invoices/${other.id}`)
        .set(...bearer(user.token))
        .expect(404);
      expect((hidden.body as Problem).code).toBe('INVOICE_NOT_FOUND');
      const list = await t.http
        .get(`/api/v1/invoices?firmId=${other.firmId}`)
        .set(...bearer(user.token))
        .expect(200);
      expect((list.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([
        own.id,
      ]);
      expect(await dues.invoicesForFirm(mine.id)).toHaveLength(1);
    });

    it('lets only staff administrators record payments or waive (firm users and reviewers get 403)', async () => {
      const invoice = await openInvoice();
      const firmAdmin = await loginAs(t, 'firm_admin', { firmId: invoice.firmId });
      const reviewer = await loginAs(t, 'staff_reviewer');
      const body = { amount: '1', paidOn: today, bankReference: 'X', version: 1 };
      await pay(invoice.id, body, firmAdmin.token).expect(403);
      await pay(invoice.id, body, reviewer.token).expect(403);
      await t.http
        .post(`/api/v1/invoices/${invoice.id}/waive`)
        .set(...bearer(firmAdmin.token))
        .send({ reason: 'x', version: 1 })
        .expect(403);
      await t.http.get(`/api/v1/invoices/${invoice.id}`).expect(401);
      expect((await stored(invoice.id)).version).toBe(1);
    });

    it('lets staff filter invoices by status and year, with a bounded page size', async () => {
      const paid = await openInvoice();
      await pay(paid.id, {
        amount: '16666.67',
        paidOn: today,
        bankReference: 'P',
        version: 1,
      }).expect(200);
      const list = async (query: string): Promise<string[]> => {
        const res = await t.http
          .get(`/api/v1/invoices?${query}`)
          .set(...bearer(staff.token))
          .expect(200);
        return (res.body as { items: Array<{ id: string }> }).items.map((i) => i.id);
      };
      expect(await list(`year=${paid.year}&status=paid`)).toEqual([paid.id]);
      expect(await list(`year=${paid.year}&status=open`)).toEqual([]);
      await t.http
        .get('/api/v1/invoices?limit=101')
        .set(...bearer(staff.token))
        .expect(400);
      await t.http
        .get('/api/v1/invoices?status=overdue')
        .set(...bearer(staff.token))
        .expect(400);
    });
  });
});
