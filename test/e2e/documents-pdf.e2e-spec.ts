import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/common/auth/auth-context.js';
import { beijingDate } from '../../src/common/time/beijing.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import { DocumentLinks } from '../../src/modules/documents/document-links.js';
import { DuesService } from '../../src/modules/membership/dues.service.js';
import type { Invoice } from '../../src/modules/membership/entities/invoice.entity.js';
import { Firm } from '../../src/modules/membership/entities/firm.entity.js';
import { SignaturesService } from '../../src/modules/pledges/signatures.service.js';
import { staffActor } from '../factories/conventions.js';
import {
  mediationWithSignatory,
  sendSettlement,
  signSettlementByBoth,
  type SettlementSetup,
} from '../factories/disputes.js';
import { checkPathIn, getPagePdf, getPdf, pdfOf, tampered } from '../factories/documents.js';
import { pdfText } from '../factories/certificates.js';
import { createFirm, createUser, loginAs } from '../factories/index.js';
import {
  createSignatoryFirm,
  publishConvention,
  signConvention,
} from '../factories/pledge-lists.js';
import { signInWeb } from '../helpers/pages.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Token = { token: string };

describe('PDF documents: pledge receipt, dues invoice and receipt, settlement agreement', () => {
  let t: TestApp;
  let staff: Actor;
  let reviewer: Token;
  let outsider: Token;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffActor(t);
    reviewer = await loginAs(t, 'staff_reviewer');
    outsider = await loginAs(t, 'firm_admin');
  });
  afterAll(() => t.close());

  const html = (path: string) => t.http.get(path).set('Accept', 'text/html');

  describe('the pledge signing receipt', () => {
    let signatureId: string;
    let firmName: string;
    let firmToken: string;

    beforeAll(async () => {
      const version = await publishConvention(t, staff);
      const who = await createSignatoryFirm(t, { name: '深圳前海公约回执测试科技有限公司' });
      await signConvention(t, who, version);
      const row = await t.app.get(SignaturesService).findByFirmAndVersion(who.firm.id, version.id);
      signatureId = row!.id;
      firmName = who.firm.name;
      firmToken = (await loginAs(t, 'firm_member', { firmId: who.firm.id })).token;
    });

    it('downloads for the firm with the Chinese firm name, the signature id and the public check link', async () => {
      const { bytes, text } = await pdfOf(
        t,
        firmToken,
        `/api/v1/pledges/signatures/${signatureId}/pdf`,
      );
      expect(text).toContain(firmName);
      expect(text).toContain(signatureId);
      expect(text).toContain('自律公约签署回执');
      expect(text).toContain(`/verify/pledge/${signatureId}`);
      expect(text).toContain('有效Valid');
      const again = await pdfOf(t, reviewer.token, `/api/v1/pledges/signatures/${signatureId}/pdf`);
      expect(again.bytes.equals(bytes)).toBe(true);
      const page = await html(`/verify/pledge/${signatureId}`).expect(200);
      expect(page.text).toContain('data-status="valid"');
    });

    it("answers 404 to another firm's user, as for an unknown id", async () => {
      const res = await getPdf(t, outsider.token, `/api/v1/pledges/signatures/${signatureId}/pdf`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('is linked from the receipt page and downloads there too', async () => {
      const web = await signInWeb(t, await createUser(t, { role: 'staff_reviewer' }));
      const page = await web.get(`/pledges/signatures/${signatureId}/receipt`).expect(200);
      expect(page.text).toContain(`href="/pledges/signatures/${signatureId}/receipt/pdf"`);
      const res = await getPagePdf(web, `/pledges/signatures/${signatureId}/receipt/pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
    });
  });

  describe('the dues invoice and receipt', () => {
    let year = 2051;
    async function openInvoice(firmId: string): Promise<Invoice> {
      const invoiceYear = year++;
      return t.app.get(TransactionService).run((m) =>
        t.app.get(DuesService).raiseInvoice(m, {
          firmId,
          year: invoiceYear,
          kind: 'renewal',
          tier: 'council',
          amountFen: 5_000_000,
          dueOn: `${invoiceYear}-03-31`,
          issuedAt: new Date(`${invoiceYear}-01-05T02:00:00Z`),
        }),
      );
    }
    async function pay(invoice: Invoice, amountFen: number): Promise<Invoice> {
      const fresh = await t.app.get(DuesService).findVisible(staff, invoice.id);
      const paid = await t.app.get(DuesService).recordPayment(staff, invoice.id, {
        amountFen,
        paidOn: beijingDate(new Date()),
        bankReference: `ICBC-${invoice.year}`,
        version: fresh.version,
      });
      return paid.invoice;
    }

    it('gives the invoice with the Chinese firm name and its number, the same bytes each time', async () => {
      const firm = await createFirm(t, { name: '深圳福田会费测试金融有限公司' });
      const member = await loginAs(t, 'firm_member', { firmId: firm.id });
      const invoice = await openInvoice(firm.id);
      const path = `/api/v1/invoices/${invoice.id}/pdf`;
      const { bytes, text } = await pdfOf(t, member.token, path);
      expect(text).toContain('深圳福田会费测试金融有限公司');
      expect(text).toContain(invoice.number);
      expect(text).toContain('会费缴费通知单');
      expect(text).toContain('50,000.00');
      expect(text).toContain('待缴Open');
      expect((await pdfOf(t, reviewer.token, path)).bytes.equals(bytes)).toBe(true);
    });

    it('refuses a receipt while nothing is paid, with a clear problem', async () => {
      const firm = await createFirm(t);
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const invoice = await openInvoice(firm.id);
      const res = await getPdf(t, admin.token, `/api/v1/invoices/${invoice.id}/receipt/pdf`);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = JSON.parse((res.body as Buffer).toString('utf8')) as Record<string, unknown>;
      expect(problem).toMatchObject({ code: 'NOTHING_PAID', status: 409 });
    });

    it('gives a receipt once money is received, numbered by the payments it covers', async () => {
      const firm = await createFirm(t, { name: '深圳南山收据测试科技有限公司' });
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const invoice = await pay(await openInvoice(firm.id), 2_000_000);
      const path = `/api/v1/invoices/${invoice.id}/receipt/pdf`;
      const { bytes, text } = await pdfOf(t, admin.token, path);
      expect(text).toContain('深圳南山收据测试科技有限公司');
      expect(text).toContain(`${invoice.number}-R1`);
      expect(text).toContain('会费收据');
      expect(text).toContain('20,000.00');
      expect(text).toContain(`ICBC-${invoice.year}`);
      expect((await pdfOf(t, admin.token, path)).bytes.equals(bytes)).toBe(true);
    });

    it("answers 404 to another firm's user for the invoice and the receipt", async () => {
      const firm = await createFirm(t);
      const invoice = await pay(await openInvoice(firm.id), 100);
      for (const path of [
        `/api/v1/invoices/${invoice.id}/pdf`,
        `/api/v1/invoices/${invoice.id}/receipt/pdf`,
      ]) {
        const res = await getPdf(t, outsider.token, path);
        expect(res.status).toBe(404);
      }
      const web = await signInWeb(t, await createUser(t, { role: 'firm_admin' }));
      expect((await getPagePdf(web, `/firm/invoices/${invoice.id}/pdf`)).status).toBe(404);
    });

    it("opens the QR code's check page with the invoice's current status; a changed or missing token is unknown", async () => {
      const firm = await createFirm(t, { name: '深圳罗湖核验测试金融有限公司' });
      const admin = await loginAs(t, 'firm_admin', { firmId: firm.id });
      const invoice = await openInvoice(firm.id);
      const { text } = await pdfOf(t, admin.token, `/api/v1/invoices/${invoice.id}/pdf`);
      const check = checkPathIn(text);
      expect(check).toBe(t.app.get(DocumentLinks).verifyPath('invoice', invoice.id));

      const open = await html(check).expect(200);
      expect(open.text).toContain('data-status="open"');
      expect(open.text).toContain('深圳罗湖核验测试金融有限公司');
      expect(open.text).toContain(invoice.number);
      expect(open.text).toContain('50,000.00');

      await pay(invoice, 5_000_000);
      const paid = await html(check).expect(200);
      expect(paid.text).toContain('data-status="paid"');
      expect(paid.text).toContain('会费缴费通知单');
      const english = await html(`${check}&lang=en`).expect(200);
      expect(english.text).toContain('Membership dues invoice');
      expect(english.text).toContain('Paid');
      expect(paid.text).toContain('0.00');

      for (const wrong of [
        tampered(check),
        check.replace(/\?t=.*$/, ''),
        check.replace('/invoice/', '/receipt/'),
        check.replace('/invoice/', '/settlement/'),
      ]) {
        const res = await html(wrong);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('深圳罗湖核验测试金融有限公司');
      }
    });

    it('offers the PDFs on the firm invoice page, and staff download them from theirs', async () => {
      const firm = await createFirm(t);
      const admin = await createUser(t, { role: 'firm_admin', firmId: firm.id });
      const invoice = await pay(await openInvoice(firm.id), 100);
      const web = await signInWeb(t, admin);
      const page = await web.get(`/firm/invoices/${invoice.id}`).expect(200);
      expect(page.text).toContain(`href="/firm/invoices/${invoice.id}/pdf"`);
      const receiptPage = await web.get(`/firm/invoices/${invoice.id}/receipt`).expect(200);
      expect(receiptPage.text).toContain(`href="/firm/invoices/${invoice.id}/receipt/pdf"`);
      const staffWeb = await signInWeb(t, await createUser(t, { role: 'staff_admin' }));
      const res = await getPagePdf(staffWeb, `/staff/invoices/${invoice.id}/receipt/pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(pdfText(res.body as Buffer).replace(/\s+/g, '')).toContain(`${invoice.number}-R1`);
    });
  });

  describe('the settlement agreement', () => {
    let s: SettlementSetup;
    let settlementId: string;
    let firmName: string;
    let number: string;

    beforeAll(async () => {
      s = await mediationWithSignatory(t);
      const sent = await sendSettlement(t, s);
      settlementId = String(sent.id);
      firmName = (await t.dataSource.getRepository(Firm).findOneByOrFail({ id: s.firmId })).name;
      number = s.ticket.number!;
    });

    it('downloads once sent, with the firm, the case number, the text and who has signed', async () => {
      const path = `/api/v1/disputes/settlements/${settlementId}/pdf`;
      const before = await pdfOf(t, s.complainant.token, path);
      expect(before.text).toContain(firmName);
      expect(before.text).toContain(`${number}-R1`);
      expect(before.text).toContain('调解协议书');
      expect(before.text).toContain('乙方退还服务费并书面致歉。');
      expect(before.text).toContain('尚无签名Notsigned');

      await signSettlementByBoth(t, s, settlementId);
      const after = await pdfOf(t, s.mediator.token, path);
      expect(after.text).toContain(s.names.complainant);
      expect(after.text).toContain(`${s.names.firmAdmin}（总经理）`);
      expect(after.text).toContain('已签署生效');
      expect(after.text).not.toContain('尚无签名');
      expect((await pdfOf(t, s.firmAdmin.token, path)).bytes.equals(after.bytes)).toBe(true);
    });

    it('answers 404 to a user of another firm and to another complainant', async () => {
      const stranger = await loginAs(t, 'complainant');
      for (const who of [outsider, stranger]) {
        const res = await getPdf(t, who.token, `/api/v1/disputes/settlements/${settlementId}/pdf`);
        expect(res.status).toBe(404);
      }
    });

    it("opens the QR code's check page with the agreement's current state; a changed token is unknown", async () => {
      const own = await mediationWithSignatory(t);
      const id = String((await sendSettlement(t, own)).id);
      const { text } = await pdfOf(
        t,
        own.complainant.token,
        `/api/v1/disputes/settlements/${id}/pdf`,
      );
      const check = checkPathIn(text);
      expect(check).toBe(t.app.get(DocumentLinks).verifyPath('settlement', id));
      const awaiting = await html(check).expect(200);
      expect(awaiting.text).toContain('data-kind="settlement"');
      expect(awaiting.text).toContain(`${own.ticket.number!}-R1`);
      expect(awaiting.text).toContain('data-status="awaiting_signatures"');
      expect(awaiting.text).not.toContain('乙方退还服务费');

      await signSettlementByBoth(t, own, id);
      const signed = await html(check).expect(200);
      expect(signed.text).toContain('data-status="signed"');
      for (const wrong of [tampered(check), check.replace('/settlement/', '/invoice/')]) {
        const res = await html(wrong);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(own.ticket.number!);
      }
    });

    it('is linked from the signing page and the ticket page, and downloads there for the party', async () => {
      const web = await signInWeb(t, s.complainant);
      const page = await web.get(`/disputes/settlements/${settlementId}/sign`).expect(200);
      expect(page.text).toContain(`href="/disputes/settlements/${settlementId}/pdf"`);
      const ticket = await web.get(`/disputes/tickets/${s.ticket.id}`).expect(200);
      expect(ticket.text).toContain(`href="/disputes/settlements/${settlementId}/pdf"`);
      const res = await getPagePdf(web, `/disputes/settlements/${settlementId}/pdf`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
    });
  });
});
