import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/auth-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { formatFen } from '../../common/money.js';
import { beijingDate } from '../../common/time/beijing.js';
import {
  beijingDateTime,
  bilingual,
  type SettlementSignatureLine,
} from '../documents/document-facts.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentRenderer } from '../documents/document-renderer.js';
import { DisputesError } from './disputes.errors.js';
import { JudicialExportService } from './judicial-export.service.js';
import { SettlementsService } from './settlements.service.js';

/** The settlement agreement as a document: its facts for the public check, and its PDF. */
@Injectable()
export class SettlementDocumentsService {
  constructor(
    private readonly settlements: SettlementsService,
    private readonly exports: JudicialExportService,
    private readonly renderer: DocumentRenderer,
    private readonly links: DocumentLinks,
  ) {}

  /**
   * A sent settlement with its case file entry: the frozen text, both parties, the mediator and
   * each signature with its verification. Read through the services' own access rules (the parties
   * of the ticket, its accepted mediator, staff); a draft has no agreement yet and answers
   * SETTLEMENT_NOT_FOUND, as its text does.
   */
  async document(actor: Actor, id: string) {
    const view = await this.settlements.get(actor, id);
    if (view.renderedText === null || view.textFingerprint === null || view.sentAt === null)
      throw new DisputesError('SETTLEMENT_NOT_FOUND');
    const file = await this.exports.build(actor, view.ticketId).catch((error: unknown) => {
      if (error instanceof DisputesError && error.code === 'TICKET_NOT_FOUND')
        throw new DisputesError('SETTLEMENT_NOT_FOUND');
      throw error;
    });
    const entry = file.settlements.find((s) => s.id === view.id);
    if (!entry) throw new DisputesError('SETTLEMENT_NOT_FOUND');
    return { view, file, entry, sentOn: beijingDate(new Date(view.sentAt)) };
  }

  /** The agreement (调解协议书) as a PDF, with both parties' signature state and its check link. */
  async pdf(actor: Actor, id: string): Promise<{ fileName: string; pdf: Buffer }> {
    const { view, file, entry, sentOn } = await this.document(actor, id);
    const checks = new Map(entry.verification.signatures.map((c) => [c.signatureId, c]));
    const signatures: SettlementSignatureLine[] = (['complainant', 'firm'] as const).map(
      (party) => {
        const signature = entry.signatures.find((sig) => sig.party === party);
        const check = signature ? checks.get(signature.id) : undefined;
        return {
          party: bilingual(translate, `disputes.settlement.side.${party}`),
          signer: signature
            ? signature.signerTitle
              ? `${signature.typedName}（${signature.signerTitle}）`
              : signature.typedName
            : '—',
          signedAt: signature ? beijingDateTime(signature.signedAt) : '—',
          status: bilingual(
            translate,
            `disputes.settlement.verification.${!signature ? 'unsigned' : check?.valid ? 'valid' : 'altered'}`,
          ),
        };
      },
    );
    // The agreement's own number, as its text gives it (case number and revision).
    const ticketNumber = file.ticket.number ?? view.ticketId;
    const number = `${ticketNumber}-R${view.revision}`;
    const pdf = await this.renderer.render(
      'settlement-agreement',
      {
        holder: {
          firmNameZh: file.parties.firm?.name ?? '—',
          firmNameEn: null,
          creditCode: file.parties.firm?.creditCode ?? '—',
        },
        ticketNumber,
        revision: view.revision,
        complainantName: file.parties.complainant.name || '—',
        mediatorName: file.mediator?.name ?? '—',
        amount: formatFen(view.amountFen),
        performanceDeadline: view.performanceDeadline,
        status: bilingual(translate, `disputes.settlement.status.${view.status}`),
        textFingerprint: entry.textFingerprint ?? '—',
        signatures,
        agreementText: entry.text ?? '',
      },
      { number, issuedOn: sentOn, verifyUrl: this.links.verifyUrl('settlement', view.id) },
    );
    return { fileName: `${number}.pdf`, pdf };
  }
}
