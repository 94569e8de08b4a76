import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Public, Roles } from '../../common/auth/decorators.js';
import { CommonError, type FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { fieldError, formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import {
  DOCUMENT_CHECK_READER,
  documentCheckContext,
  documentCheckHeaders,
} from '../documents/document-check.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentsError } from '../documents/documents.errors.js';
import { sendPdf } from '../files/uploaded-file.js';
import {
  bodyOf,
  labelOr,
  localeOf,
  messageOf,
  options,
  text,
  tierLabel,
  withQuery,
} from './application-pages.js';
import { DuesPdfService } from './dues-pdf.service.js';
import { parseYuanToFen } from './dues.js';
import {
  DuesService,
  INVOICE_PAGE_DEFAULT,
  INVOICE_STATUSES,
  toInvoiceView,
  toPaymentView,
  toTierView,
} from './dues.service.js';
import { ListInvoicesDto } from './dto/list-invoices.dto.js';
import { RecordPaymentDto } from './dto/record-payment.dto.js';
import { SetTierFeeDto } from './dto/set-tier-fee.dto.js';
import { WaiveInvoiceDto } from './dto/waive-invoice.dto.js';
import type { Invoice } from './entities/invoice.entity.js';
import { FirmsService } from './firms.service.js';
import { MembershipError, type MembershipErrorCode } from './membership.errors.js';

const PAYMENT_FIELDS = ['amount', 'paidOn', 'bankReference'] as const;
type PaymentField = (typeof PAYMENT_FIELDS)[number];
const WAIVE_FIELDS = ['reason'] as const;
const FILTER_FIELDS = ['status', 'year'] as const;

/** Service refusals that belong beside one field of the payment form. */
const PAYMENT_FIELD_OF: Partial<Record<MembershipErrorCode, PaymentField>> = {
  AMOUNT_INVALID: 'amount',
  PAYMENT_EXCEEDS_BALANCE: 'amount',
  PAYMENT_DATE_INVALID: 'paidOn',
};

interface FormState<F extends string> {
  values: Record<F, string>;
  problems: FieldError[];
  formMessage: string | null;
}

/** What the invoice page shows of a failed form: at most one of the two forms at a time. */
interface InvoiceForms {
  payment: FormState<PaymentField> | null;
  waive: FormState<'reason'> | null;
}

function refused(error: unknown): MembershipError | CommonError {
  if (error instanceof MembershipError && error.spec.status !== 404) return error;
  if (error instanceof CommonError && error.code === 'CONFLICT') return error;
  throw error;
}

function statusLabel(locale: Locale, status: string): string {
  return labelOr(locale, `dues.status.${status}`, status);
}

function kindLabel(locale: Locale, kind: string): string {
  return labelOr(locale, `dues.kind.${kind}`, kind);
}

/**
 * Tiers and fees (staff), invoices and receipts for staff (all firms) and for a firm (its own;
 * anyone else's answers 404). Invoices and receipts print on their own: the print stylesheet
 * leaves only the document.
 */
@Controller()
export class DuesPagesController {
  constructor(
    private readonly dues: DuesService,
    private readonly firms: FirmsService,
    private readonly pages: PageRenderer,
    private readonly links: DocumentLinks,
    private readonly documents: DuesPdfService,
  ) {}

  // ---- Tiers ----

  @Get('staff/tiers')
  @Roles('staff_admin', 'staff_reviewer')
  async tiers(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const done = text(req.query.done, 16);
    await this.renderTiers(auth, req, res, { done: done || null }, 200);
  }

  @Post('staff/tiers/:code')
  @Roles('staff_admin')
  async setFee(
    @Auth() auth: AuthContext,
    @Param('code') code: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.dues.tier(code);
    const body = bodyOf(req);
    const value = text(body.annualFee, 32);
    const { errors } = await validateForm(SetTierFeeDto, body);
    const fen = parseYuanToFen(value);
    let problems = errors;
    if (problems.length === 0 && fen === null)
      problems = [this.codeError('annualFee', 'AMOUNT_INVALID')];
    if (problems.length > 0 || fen === null) {
      return this.renderTiers(auth, req, res, { failed: { code, value, problems } }, 400);
    }
    await this.dues.setTierFee(auth.user, code, fen, requestMeta(req));
    this.pages.redirect(res, `/staff/tiers?done=${encodeURIComponent(code)}`);
  }

  private async renderTiers(
    auth: AuthContext,
    req: Request,
    res: Response,
    state: {
      done?: string | null;
      failed?: { code: string; value: string; problems: FieldError[] };
    },
    status: number,
  ): Promise<void> {
    const locale = localeOf(req);
    const label = translate(locale, 'tier.field.annualFee');
    const tiers = (await this.dues.listTiers()).map(toTierView);
    const failed = state.failed ?? null;
    const doneTier = tiers.find((tier) => tier.code === state.done) ?? null;
    this.pages.send(
      req,
      res,
      'dues/tiers',
      {
        titleKey: 'tier.title',
        canEdit: auth.user.role === 'staff_admin',
        done: doneTier
          ? translate(locale, 'tier.saved', {
              tier: tierLabel(locale, doneTier.code),
              fee: doneTier.annualFee,
            })
          : null,
        tiers: tiers.map((tier) => {
          const mine = failed?.code === tier.code ? failed : null;
          const form = formErrors(locale, ['annualFee'], mine?.problems ?? [], {
            labels: { annualFee: label },
          });
          return {
            ...tier,
            label: tierLabel(locale, tier.code),
            value: mine ? mine.value : tier.annualFee,
            error: form.errors.annualFee,
          };
        }),
        errorList: failed
          ? formErrors(locale, ['annualFee'], failed.problems, { labels: { annualFee: label } })
              .errorList
          : [],
      },
      status,
    );
  }

  // ---- Staff invoices ----

  @Get('staff/invoices')
  @Roles('staff_admin', 'staff_reviewer')
  async staffInvoices(@Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = localeOf(req);
    const input: Record<string, unknown> = {};
    for (const key of [...FILTER_FIELDS, 'offset']) {
      const value = text(req.query[key], 40).trim();
      if (value !== '') input[key] = value;
    }
    const { value, errors } = await validateForm(ListInvoicesDto, input);
    const labels = {
      status: translate(locale, 'dues.filter.status'),
      year: translate(locale, 'dues.filter.year'),
    };
    const page =
      errors.length > 0
        ? null
        : await this.dues.list({
            status: value.status,
            year: value.year,
            offset: value.offset,
            limit: INVOICE_PAGE_DEFAULT,
          });
    const years = await this.dues.invoiceYears();
    const current = { status: value.status, year: value.year };
    const offset = page?.offset ?? 0;
    this.pages.send(
      req,
      res,
      'dues/staff-invoices',
      {
        titleKey: 'dues.staff.title',
        labels,
        statusOptions: options(INVOICE_STATUSES, (s) => statusLabel(locale, s), text(input.status)),
        yearOptions: options(years.map(String), (y) => y, text(input.year)),
        ...formErrors(locale, FILTER_FIELDS, errors, { labels }),
        items: (page?.items ?? []).map((item) => ({
          ...item,
          url: `/staff/invoices/${item.id}`,
          statusLabel: statusLabel(locale, item.status),
          kindLabel: kindLabel(locale, item.kind),
          tierLabel: tierLabel(locale, item.tier),
        })),
        total: page?.total ?? 0,
        prevUrl:
          page && offset > 0
            ? withQuery('/staff/invoices', {
                ...current,
                offset: Math.max(offset - page.limit, 0) || undefined,
              })
            : null,
        nextUrl:
          page && offset + page.items.length < page.total
            ? withQuery('/staff/invoices', { ...current, offset: offset + page.limit })
            : null,
        resetUrl: '/staff/invoices',
      },
      errors.length > 0 ? 400 : 200,
    );
  }

  @Get('staff/invoices/:id')
  @Roles('staff_admin', 'staff_reviewer')
  async staffInvoice(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const invoice = await this.dues.findVisible(auth.user, id);
    const done = text(req.query.done, 16);
    await this.renderInvoice(auth, invoice, req, res, {
      forms: { payment: null, waive: null },
      done: done === 'payment' || done === 'waive' ? done : null,
      status: 200,
    });
  }

  @Post('staff/invoices/:id/payments')
  @Roles('staff_admin')
  async recordPayment(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const invoice = await this.dues.findVisible(auth.user, id);
    const body = bodyOf(req);
    const values: Record<PaymentField, string> = {
      amount: text(body.amount, 32),
      paidOn: text(body.paidOn, 10),
      bankReference: text(body.bankReference, 100),
    };
    const { value, errors } = await validateForm(RecordPaymentDto, body);
    const form: FormState<PaymentField> = { values, problems: errors, formMessage: null };
    const amountFen = parseYuanToFen(values.amount);
    if (errors.length === 0 && amountFen !== null) {
      try {
        await this.dues.recordPayment(
          auth.user,
          invoice.id,
          {
            amountFen,
            paidOn: value.paidOn,
            bankReference: value.bankReference,
            version: value.version,
          },
          requestMeta(req),
        );
        return this.pages.redirect(res, `/staff/invoices/${invoice.id}?done=payment`);
      } catch (error) {
        const refusal = refused(error);
        const field = refusal instanceof MembershipError ? PAYMENT_FIELD_OF[refusal.code] : null;
        if (field)
          form.problems = [fieldError(field, refusal.code, refusal.spec.zh, refusal.spec.en)];
        else form.formMessage = messageOf(localeOf(req), refusal);
        const fresh = await this.dues.findVisible(auth.user, id);
        return this.renderInvoice(auth, fresh, req, res, {
          forms: { payment: form, waive: null },
          done: null,
          status: refusal.spec.status,
        });
      }
    }
    if (form.problems.length === 0) form.problems = [this.codeError('amount', 'AMOUNT_INVALID')];
    await this.renderInvoice(auth, invoice, req, res, {
      forms: { payment: form, waive: null },
      done: null,
      status: 400,
    });
  }

  @Post('staff/invoices/:id/waive')
  @Roles('staff_admin')
  async waive(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const invoice = await this.dues.findVisible(auth.user, id);
    const body = bodyOf(req);
    const values = { reason: text(body.reason, 1000) };
    const submitted = { ...body, reason: values.reason.trim() };
    const { value, errors } = await validateForm(WaiveInvoiceDto, submitted);
    const form: FormState<'reason'> = { values, problems: errors, formMessage: null };
    if (errors.length === 0) {
      try {
        await this.dues.waive(auth.user, invoice.id, value, requestMeta(req));
        return this.pages.redirect(res, `/staff/invoices/${invoice.id}?done=waive`);
      } catch (error) {
        const refusal = refused(error);
        form.formMessage = messageOf(localeOf(req), refusal);
        const fresh = await this.dues.findVisible(auth.user, id);
        return this.renderInvoice(auth, fresh, req, res, {
          forms: { payment: null, waive: form },
          done: null,
          status: refusal.spec.status,
        });
      }
    }
    await this.renderInvoice(auth, invoice, req, res, {
      forms: { payment: null, waive: form },
      done: null,
      status: 400,
    });
  }

  @Get('staff/invoices/:id/receipt')
  @Roles('staff_admin', 'staff_reviewer')
  async staffReceipt(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderReceipt(auth, id, req, res, `/staff/invoices/${id}`);
  }

  // ---- The firm's invoices ----

  @Get('firm/invoices')
  @Roles('firm_admin', 'firm_member')
  async firmInvoices(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const firmId = auth.user.firmId;
    if (!firmId) throw new MembershipError('FIRM_NOT_FOUND');
    const firm = await this.firms.findVisible(auth.user, firmId);
    const invoices = await this.dues.invoicesForFirm(firmId);
    this.pages.send(req, res, 'dues/firm-invoices', {
      titleKey: 'dues.firm.title',
      firmName: firm.name,
      items: invoices.map((invoice) => ({
        ...toInvoiceView(invoice),
        url: `/firm/invoices/${invoice.id}`,
        receiptUrl: invoice.paidFen > 0 ? `/firm/invoices/${invoice.id}/receipt` : null,
        statusLabel: statusLabel(locale, invoice.status),
        kindLabel: kindLabel(locale, invoice.kind),
        tierLabel: tierLabel(locale, invoice.tier),
      })),
    });
  }

  @Get('firm/invoices/:id')
  @Roles('firm_admin', 'firm_member')
  async firmInvoice(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const invoice = await this.dues.findVisible(auth.user, id);
    await this.renderInvoice(auth, invoice, req, res, {
      forms: { payment: null, waive: null },
      done: null,
      status: 200,
    });
  }

  @Get('firm/invoices/:id/receipt')
  @Roles('firm_admin', 'firm_member')
  async firmReceipt(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderReceipt(auth, id, req, res, `/firm/invoices/${id}`);
  }

  // ---- PDFs (staff: every firm's; a firm: its own; anyone else 404) ----

  @Get('staff/invoices/:id/pdf')
  @Roles('staff_admin', 'staff_reviewer')
  async staffInvoicePdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.sendPdf(res, auth, id, 'invoice');
  }

  @Get('staff/invoices/:id/receipt/pdf')
  @Roles('staff_admin', 'staff_reviewer')
  async staffReceiptPdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.sendPdf(res, auth, id, 'receipt');
  }

  @Get('firm/invoices/:id/pdf')
  @Roles('firm_admin', 'firm_member')
  async firmInvoicePdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.sendPdf(res, auth, id, 'invoice');
  }

  @Get('firm/invoices/:id/receipt/pdf')
  @Roles('firm_admin', 'firm_member')
  async firmReceiptPdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.sendPdf(res, auth, id, 'receipt');
  }

  // ---- The public check the PDFs' QR codes open ----

  @Get('verify/document/invoice/:id')
  @Public()
  async checkInvoice(
    @Param('id') id: string,
    @Query('t') token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderCheck('invoice', id, token, req, res);
  }

  @Get('verify/document/receipt/:id')
  @Public()
  async checkReceipt(
    @Param('id') id: string,
    @Query('t') token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderCheck('receipt', id, token, req, res);
  }

  // ---- Rendering ----

  private async sendPdf(
    res: Response,
    auth: AuthContext,
    id: string,
    kind: 'invoice' | 'receipt',
  ): Promise<void> {
    const { fileName, pdf } = await this.documents.render(auth.user, id, kind);
    sendPdf(res, fileName, pdf);
  }

  /**
   * The check page of an invoice or receipt: only with the token its PDF carries; a wrong or
   * missing token, an unknown id and a receipt with nothing paid all answer 404 alike.
   */
  private async renderCheck(
    kind: 'invoice' | 'receipt',
    id: string,
    token: unknown,
    req: Request,
    res: Response,
  ): Promise<void> {
    if (!this.links.check(kind, id, token)) throw new DocumentsError('DOCUMENT_NOT_FOUND');
    const invoice = await this.dues
      .findVisible(DOCUMENT_CHECK_READER, id)
      .catch((error: unknown) => {
        if (error instanceof MembershipError) return null;
        throw error;
      });
    if (!invoice || (kind === 'receipt' && invoice.paidFen <= 0))
      throw new DocumentsError('DOCUMENT_NOT_FOUND');
    const firm = await this.firms.findById(invoice.firmId);
    const view = toInvoiceView(invoice);
    documentCheckHeaders(res);
    this.pages.send(
      req,
      res,
      'documents/verify',
      documentCheckContext(localeOf(req), {
        kind,
        status: invoice.status,
        statusKey: `dues.status.${invoice.status}`,
        tone: invoice.status === 'open' ? 'warn' : 'ok',
        rows: [
          { label: 'documentPdf.field.number', value: invoice.number, code: true },
          { label: 'documentPdf.field.firm', value: firm?.name ?? '—' },
          { label: 'documentPdf.field.year', value: String(invoice.year) },
          { label: 'documentPdf.field.issuedOn', value: beijingDate(invoice.issuedAt) },
          { label: 'documentPdf.field.dueOn', value: invoice.dueOn },
          { label: 'documentPdf.field.amount', value: view.amount },
          { label: 'documentPdf.field.paid', value: view.paid },
          { label: 'documentPdf.field.balance', value: view.balance },
        ],
      }),
    );
  }

  private async renderInvoice(
    auth: AuthContext,
    invoice: Invoice,
    req: Request,
    res: Response,
    state: { forms: InvoiceForms; done: 'payment' | 'waive' | null; status: number },
  ): Promise<void> {
    const locale = localeOf(req);
    const staff = auth.user.role === 'staff_admin' || auth.user.role === 'staff_reviewer';
    const base = staff ? '/staff/invoices' : '/firm/invoices';
    const [firm, payments] = await Promise.all([
      this.firms.findById(invoice.firmId),
      this.dues.paymentsOf(invoice.id),
    ]);
    const view = toInvoiceView(invoice);
    const canAct = auth.user.role === 'staff_admin' && invoice.status === 'open';
    const paymentLabels = {
      amount: translate(locale, 'dues.payment.amount'),
      paidOn: translate(locale, 'dues.payment.paidOn'),
      bankReference: translate(locale, 'dues.payment.bankReference'),
    };
    const payment = state.forms.payment;
    const waive = state.forms.waive;
    const paymentForm = formErrors(locale, PAYMENT_FIELDS, payment?.problems ?? [], {
      formMessage: payment?.formMessage ?? null,
      labels: paymentLabels,
    });
    const waiveForm = formErrors(locale, WAIVE_FIELDS, waive?.problems ?? [], {
      formMessage: waive?.formMessage ?? null,
      labels: { reason: translate(locale, 'dues.waive.reason') },
    });
    this.pages.send(
      req,
      res,
      'dues/invoice',
      {
        titleKey: 'dues.invoice.title',
        staff,
        backUrl: base,
        invoice: {
          ...view,
          statusLabel: statusLabel(locale, invoice.status),
          kindLabel: kindLabel(locale, invoice.kind),
          tierLabel: tierLabel(locale, invoice.tier),
          issuedOn: beijingDate(invoice.issuedAt),
        },
        firm: {
          name: firm?.name ?? '',
          creditCode: firm?.creditCode ?? '',
          address: firm?.address ?? null,
        },
        payments: payments.map(toPaymentView),
        receiptUrl: invoice.paidFen > 0 ? `${base}/${invoice.id}/receipt` : null,
        pdfUrl: `${base}/${invoice.id}/pdf`,
        receiptPdfUrl: invoice.paidFen > 0 ? `${base}/${invoice.id}/receipt/pdf` : null,
        done: state.done ? translate(locale, `dues.done.${state.done}`) : null,
        canAct,
        today: beijingDate(new Date()),
        payment: {
          values: payment?.values ?? { amount: view.balance, paidOn: '', bankReference: '' },
          labels: paymentLabels,
          ...paymentForm,
        },
        waive: { values: waive?.values ?? { reason: '' }, ...waiveForm },
      },
      state.status,
    );
  }

  private async renderReceipt(
    auth: AuthContext,
    id: string,
    req: Request,
    res: Response,
    invoiceUrl: string,
  ): Promise<void> {
    const locale = localeOf(req);
    const invoice = await this.dues.findVisible(auth.user, id);
    const [firm, payments] = await Promise.all([
      this.firms.findById(invoice.firmId),
      this.dues.paymentsOf(invoice.id),
    ]);
    this.pages.send(req, res, 'dues/receipt', {
      titleKey: 'dues.receipt.title',
      invoiceUrl,
      pdfUrl: invoice.paidFen > 0 ? `${invoiceUrl}/receipt/pdf` : null,
      invoice: {
        ...toInvoiceView(invoice),
        statusLabel: statusLabel(locale, invoice.status),
        tierLabel: tierLabel(locale, invoice.tier),
      },
      firm: { name: firm?.name ?? '', creditCode: firm?.creditCode ?? '' },
      payments: payments.map(toPaymentView),
      paidInFull: invoice.status === 'paid',
    });
  }

  private codeError(field: string, code: MembershipErrorCode): FieldError {
    const error = new MembershipError(code);
    return fieldError(field, code, error.spec.zh, error.spec.en);
  }
}
