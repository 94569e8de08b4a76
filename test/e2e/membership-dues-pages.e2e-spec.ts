import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { MembershipTier } from '../../src/modules/membership/entities/membership-tier.entity.js';
import { createFirm, createUser } from '../factories/index.js';
import { csrfFrom, signInWeb, type WebAgent } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

async function postForm(
  agent: WebAgent,
  page: string,
  action: string,
  fields: Record<string, string>,
  status: number,
) {
  const html = (await agent.get(page).set('Accept', 'text/html')).text;
  return agent
    .post(action)
    .set('Accept', 'text/html')
    .type('form')
    .send({ _csrf: csrfFrom(html), ...fields })
    .expect(status);
}

describe('dues pages', () => {
  let t: TestApp;
  let staffWeb: WebAgent;
  beforeAll(async () => {
    t = await startTestApp();
    staffWeb = await signInWeb(t, await createUser(t, { role: 'staff_admin' }));
  });
  afterAll(() => t.close());

  let year = 2040;
  async function openInvoice(firmId: string): Promise<Invoice> {
    const invoiceYear = year++;
    return t.app.get(TransactionService).run((m) =>
      t.app.get(DuesService).raiseInvoice(m, {
        firmId,
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
  const today = beijingDate(new Date());

  it('lets a staff administrator change a fee on the tiers page; a bad amount stays in the form with its error', async () => {
    const page = await staffWeb.get('/staff/tiers').expect(200);
    expect(page.text).toContain('data-testid="fee-member">20,000.00<');
    await postForm(
      staffWeb,
      '/staff/tiers',
      '/staff/tiers/member',
      { annualFee: '1.234' },
      400,
    ).then((res) => {
      expect(res.text).toContain('value="1.234"');
      expect(res.text).toContain('data-testid="error-summary"');
    });
    const saved = await postForm(
      staffWeb,
      '/staff/tiers',
      '/staff/tiers/vice_president',
      { annualFee: '120,000.50' },
      303,
    );
    expect(saved.headers.location).toBe('/staff/tiers?done=vice_president');
    const tier = await t.dataSource
      .getRepository(MembershipTier)
      .findOneByOrFail({ code: 'vice_president' });
    expect(tier.annualFeeFen).toBe(12_000_050);
    const after = await staffWeb.get('/staff/tiers?done=vice_president').expect(200);
    expect(after.text).toContain('data-testid="tier-saved"');
  });

  it('shows reviewers the fees without the forms', async () => {
    const web = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
    const page = await web.get('/staff/tiers').expect(200);
    expect(page.text).not.toContain('data-testid="form-tier-member"');
    await web
      .post('/staff/tiers/member')
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), annualFee: '1' })
      .expect(403);
  });

  it('records a part payment and a waiver from the invoice page, with a receipt for what was received', async () => {
    const firm = await createFirm(t);
    const invoice = await openInvoice(firm.id);
    const page = `/staff/invoices/${invoice.id}`;
    const html = (await staffWeb.get(page).expect(200)).text;
    expect(html).toContain('data-testid="form-payment"');
    expect(html).toContain('16,666.67');

    const over = await postForm(
      staffWeb,
      page,
      `${page}/payments`,
      { amount: '20000', paidOn: today, bankReference: 'CMB-1', version: '1' },
      422,
    );
    expect(over.text).toContain('付款金额超过了账单的未付余额');
    expect(over.text).toContain('value="20000"');
    expect((await stored(invoice.id)).paidFen).toBe(0);

    await postForm(
      staffWeb,
      page,
      `${page}/payments`,
      { amount: '6,666.67', paidOn: today, bankReference: 'CMB-2', version: '1' },
      303,
    );
    const paid = await staffWeb.get(`${page}?done=payment`).expect(200);
    expect(paid.text).toContain('data-testid="invoice-balance">10,000.00<');
    expect(paid.text).toContain('data-testid="receipt-link"');

    const receipt = await staffWeb.get(`${page}/receipt`).expect(200);
    expect(receipt.text).toContain('data-testid="receipt-total">6,666.67<');
    expect(receipt.text).toContain('CMB-2');
    expect(receipt.text).not.toContain('data-testid="paid-in-full"');

    const blank = await postForm(
      staffWeb,
      page,
      `${page}/waive`,
      { reason: '  ', version: '2' },
      400,
    );
    expect(blank.text).toContain('data-testid="error-summary"');
    await postForm(
      staffWeb,
      page,
      `${page}/waive`,
      { reason: '经理事会决议减免余额。', version: '2' },
      303,
    );
    const waived = await staffWeb.get(page).expect(200);
    expect(waived.text).toContain('data-status="waived"');
    expect(waived.text).toContain('经理事会决议减免余额。');
    expect(waived.text).not.toContain('data-testid="form-payment"');
  });

  it('lists invoices for staff, filtered by status and year', async () => {
    const firm = await createFirm(t);
    const invoice = await openInvoice(firm.id);
    const res = await staffWeb.get(`/staff/invoices?status=open&year=${invoice.year}`).expect(200);
    expect(res.text).toContain(invoice.number);
    const paid = await staffWeb.get(`/staff/invoices?status=paid&year=${invoice.year}`).expect(200);
    expect(paid.text).not.toContain(invoice.number);
    await staffWeb.get('/staff/invoices?status=late').expect(400);
  });

  it("shows a firm its own invoices and receipts, in both languages, and answers 404 for another firm's", async () => {
    const firm = await createFirm(t);
    const mine = await openInvoice(firm.id);
    const other = await openInvoice((await createFirm(t)).id);
    const member = await createUser(t, { role: 'firm_member', firmId: firm.id });
    const web = await signInWeb(t, member);
    const list = await web.get('/firm/invoices').expect(200);
    expect(list.text).toContain(mine.number);
    expect(list.text).not.toContain(other.number);
    const page = await web.get(`/firm/invoices/${mine.id}?lang=en`).expect(200);
    expect(page.text).toContain('Membership dues invoice');
    expect(page.text).toContain(`quoting the invoice number ${mine.number}`);
    expect(page.text).not.toContain('data-testid="form-payment"');
    await web.get(`/firm/invoices/${mine.id}/receipt`).expect(200);
    for (const path of [`/firm/invoices/${other.id}`, `/firm/invoices/${other.id}/receipt`]) {
      const res = await web.get(path).set('Accept', 'text/html').expect(404);
      expect(res.text).not.toContain(other.number);
    }
    await web.get(`/staff/invoices/${mine.id}`).set('Accept', 'text/html').expect(403);
  });
});
