import { formatFenPlain } from '../../common/money.js';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate } from '../../common/i18n/i18n.js';
import { FirmsService } from '../membership/firms.service.js';
import type { SettlementSignature } from './entities/settlement-signature.entity.js';
import type { Settlement } from './entities/settlement.entity.js';
import { PerformanceService } from './performance.service.js';
import { SettlementSigningService } from './settlement-signing.service.js';
import { SettlementsService } from './settlements.service.js';
import { surveyPath, SurveysService } from './surveys.service.js';
import {
  TicketSectionsRegistry,
  type TicketSection,
  type TicketSectionContext,
} from './ticket-sections.js';

/**
 * The ticket page's settlement block (order 50: agreements, frozen text, signatures, sign link,
 * performance, confirm/reopen) and survey block (order 60).
 */
@Injectable()
export class SettlementSections implements OnModuleInit {
  constructor(
    private readonly registry: TicketSectionsRegistry,
    private readonly settlements: SettlementsService,
    private readonly signing: SettlementSigningService,
    private readonly performance: PerformanceService,
    private readonly surveys: SurveysService,
    private readonly firms: FirmsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      order: 50,
      name: 'disputes/settlement',
      build: (context) => this.settlement(context),
    });
    this.registry.register({
      order: 60,
      name: 'disputes/survey',
      build: (context) => this.survey(context),
    });
  }

  private async settlement(context: TicketSectionContext): Promise<TicketSection | null> {
    const { manager, actor, ticket, party, locale } = context;
    const t = (key: string, params?: Record<string, unknown>): string =>
      translate(locale, key, params);
    const rows = await this.settlements.forTicket(manager, ticket.id, party);
    const mediatorOnCase = party === 'mediator' && ticket.assignment === 'accepted';
    const inProgress = rows.some((s) => s.status === 'draft' || s.status === 'awaiting_signatures');
    const canDraft = mediatorOnCase && ticket.state === 'in_mediation' && !inProgress;
    if (rows.length === 0 && !canDraft) return null;
    const firm = ticket.firmId ? await this.firms.findById(ticket.firmId) : null;
    const side =
      party === 'complainant'
        ? 'complainant'
        : party === 'firm' && firm?.signatoryUserId === actor.id
          ? 'firm'
          : null;
    const settlements = [];
    for (const s of rows) {
      const signatures = await this.signing.rowsOf(manager, s.id);
      settlements.push({
        id: s.id,
        revision: s.revision,
        revisionLabel: t('disputes.settlement.revision', { revision: s.revision }),
        status: s.status,
        statusLabel: t(`disputes.settlement.status.${s.status}`),
        amount: formatFenPlain(s.amountFen),
        performanceDeadline: s.performanceDeadline,
        facts: s.facts,
        terms: s.terms,
        renderedText: s.renderedText,
        textFingerprint: s.textFingerprint,
        signatures: await this.signatureLines(signatures, locale),
        canEdit: mediatorOnCase && s.status === 'draft',
        canSend: mediatorOnCase && s.status === 'draft',
        canWithdraw: mediatorOnCase && (s.status === 'draft' || s.status === 'awaiting_signatures'),
        canSign:
          side !== null &&
          s.status === 'awaiting_signatures' &&
          !signatures.some((sig) => sig.party === side),
        sent: s.renderedText !== null,
      });
    }
    const signed = rows.find((s) => s.status === 'signed') ?? null;
    return {
      partial: 'disputes/settlement',
      model: {
        canDraft,
        settlements,
        performance: signed ? await this.performanceModel(context, signed) : null,
        exportHref:
          rows.some((s) => s.renderedText !== null) &&
          (party !== 'mediator' || ticket.assignment === 'accepted')
            ? `/disputes/tickets/${ticket.id}/judicial-export`
            : null,
      },
    };
  }

  private async performanceModel(
    { ticket, party, actor, locale }: TicketSectionContext,
    signed: Settlement,
  ) {
    const t = (key: string, params?: Record<string, unknown>): string =>
      translate(locale, key, params);
    const window = await this.performance.windowFor(signed);
    const isSettled = ticket.state === 'settled';
    const reopenable =
      party === 'complainant' &&
      (ticket.state === 'settled' || ticket.state === 'closed') &&
      ticket.outcome === 'settled' &&
      ticket.reopenedAt === null &&
      window.open;
    return {
      settlementId: signed.id,
      performedAt: signed.performedAt,
      performanceNote: signed.performanceNote,
      performanceConfirmedAt: signed.performanceConfirmedAt,
      pendingText: t('disputes.settlement.performance.pending', {
        date: signed.performanceDeadline,
      }),
      canRecord:
        isSettled && party === 'firm' && actor.role === 'firm_admin' && !signed.performedAt,
      canConfirm: isSettled && party === 'complainant' && signed.performedAt !== null,
      canReopen: reopenable,
      reopenLead: t('disputes.settlement.reopen.lead', { date: window.lastDay }),
      reopenUsed: party === 'complainant' && ticket.reopenedAt !== null,
    };
  }

  private async signatureLines(
    rows: SettlementSignature[],
    locale: TicketSectionContext['locale'],
  ) {
    const lines = [];
    for (const row of rows) {
      lines.push({
        id: row.id,
        sideLabel: translate(locale, `disputes.settlement.side.${row.party}`),
        typedName: row.typedName,
        signerTitle: row.signerTitle,
        signedAt: row.signedAt,
        firmName: row.firmId ? ((await this.firms.findById(row.firmId))?.name ?? null) : null,
      });
    }
    return lines;
  }

  private async survey({
    manager,
    ticket,
    party,
  }: TicketSectionContext): Promise<TicketSection | null> {
    if (ticket.state !== 'closed') return null;
    if (party !== 'complainant' && party !== 'staff') return null;
    const row = await this.surveys.forTicket(manager, ticket.id);
    if (party === 'staff' && !row) return null;
    return {
      partial: 'disputes/survey',
      model: {
        isComplainant: party === 'complainant',
        surveyHref: surveyPath(ticket.id),
        survey: row
          ? { rating: row.rating, comment: row.comment, submittedAt: row.submittedAt }
          : null,
      },
    };
  }
}
