import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/auth-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { bilingual } from '../documents/document-facts.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentRenderer } from '../documents/document-renderer.js';
import { DocumentsError } from '../documents/documents.errors.js';
import { DuesService, toInvoiceView, toPaymentView } from './dues.service.js';
import { FirmsService } from './firms.service.js';

/**
 * The invoice (会费缴费通知单, not a tax fapiao) or its receipt (会费收据) as a PDF, for the same
 * readers as the pages: staff, and the firm's own users (others 404). A receipt needs money
 * received (NOTHING_PAID otherwise); its number counts the payments it covers, so each new
 * payment gives a new receipt. The QR code opens the public check with the link's token.
 */
@Injectable()
export class DuesPdfService {
  constructor(
    private readonly dues: DuesService,
    private readonly firms: FirmsService,
    private readonly renderer: DocumentRenderer,
    private readonly links: DocumentLinks,
  ) {}

  async render(
    actor: Actor,
    id: string,
    kind: 'invoice' | 'receipt',
  ): Promise<{ fileName: string; pdf: Buffer }> {
    const invoice = await this.dues.findVisible(actor, id);
    if (kind === 'receipt' && invoice.paidFen <= 0) throw new DocumentsError('NOTHING_PAID');
    const [firm, payments] = await Promise.all([
      this.firms.findById(invoice.firmId),
      this.dues.paymentsOf(invoice.id),
    ]);
    const view = toInvoiceView(invoice);
    const lastPaidOn = payments
      .map((p) => p.paidOn)
      .sort()
      .at(-1);
    const number = kind === 'receipt' ? `${invoice.number}-R${payments.length}` : invoice.number;
    const pdf = await this.renderer.render(
      kind === 'receipt' ? 'dues-receipt' : 'dues-invoice',
      {
        holder: {
          firmNameZh: firm?.name ?? '—',
          firmNameEn: firm?.nameEn ?? null,
          creditCode: firm?.creditCode ?? '—',
        },
        year: invoice.year,
        kind: bilingual(translate, `dues.kind.${invoice.kind}`),
        tier: bilingual(translate, `tier.name.${invoice.tier}`),
        amount: view.amount,
        paid: view.paid,
        balance: view.balance,
        dueOn: invoice.dueOn,
        status: bilingual(translate, `dues.status.${invoice.status}`),
        payments: payments.map((p) => {
          const line = toPaymentView(p);
          return { paidOn: line.paidOn, amount: line.amount, bankReference: line.bankReference };
        }),
        waivedReason: invoice.waivedReason,
      },
      {
        number,
        issuedOn: kind === 'receipt' && lastPaidOn ? lastPaidOn : beijingDate(invoice.issuedAt),
        verifyUrl: this.links.verifyUrl(kind, invoice.id),
      },
    );
    return { fileName: `${number}.pdf`, pdf };
  }
}
