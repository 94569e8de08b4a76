import { formatFenPlain } from '../../common/money.js';
import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AppConfig } from '../../config/app-config.js';
import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeAttachment } from './entities/dispute-attachment.entity.js';
import { DisputeMessage } from './entities/dispute-message.entity.js';
import { DisputeTimelineEntry } from './entities/dispute-timeline-entry.entity.js';
import { Settlement } from './entities/settlement.entity.js';
import {
  JWKS_PATH,
  SettlementSigningService,
  toSettlementSignatureView,
  type SettlementSignatureView,
  type SettlementVerification,
} from './settlement-signing.service.js';

import { TicketLookupService } from './ticket-lookup.service.js';

export const JUDICIAL_EXPORT_FORMAT = 'szifa.judicial-export/v1';

export interface JudicialExport {
  format: string;
  generatedAt: string;
  ticket: {
    id: string;
    number: string | null;
    state: string;
    outcome: string | null;
    category: string | null;
    amountFen: number | null;
    amount: string | null;
    facts: string;
    claim: string;
    firmResponse: string | null;
    filedAt: string | null;
    resolvedAt: string | null;
    closedAt: string | null;
    reopenedAt: string | null;
  };
  parties: {
    complainant: { userId: string; name: string };
    firm: { id: string; name: string; creditCode: string } | null;
  };
  mediator: { userId: string; name: string } | null;
  settlements: Array<{
    id: string;
    revision: number;
    status: string;
    amountFen: number;
    amount: string;
    performanceDeadline: string;
    sentAt: string | null;
    signedAt: string | null;
    performedAt: string | null;
    performanceNote: string | null;
    performanceConfirmedAt: string | null;
    text: string | null;
    textFingerprint: string | null;
    signatures: SettlementSignatureView[];
    verification: SettlementVerification;
  }>;
  keys: { jwksPath: string; jwksUrl: string; algorithm: 'EdDSA (Ed25519)' };
  evidence: Array<{
    id: string;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    messageId: string | null;
    uploaderParty: string;
    createdAt: string;
  }>;
  messages: Array<{ id: string; at: string; authorParty: string; body: string }>;
  timeline: Array<{
    id: string;
    at: string;
    actorParty: string;
    action: string;
    fromState: string | null;
    toState: string | null;
    detail: Record<string, unknown>;
    auditEventId: string | null;
  }>;
  auditEventIds: string[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The case file for judicial confirmation (司法确认): the ticket's facts, the parties and the
 * mediator, every sent agreement with its frozen text, fingerprint and signatures (payload,
 * key id, signature, with their verification), where the public keys are, the filing evidence
 * with hashes, the messages both parties saw, the shared timeline and its audit event ids.
 * Internal notes, caucus messages and internal timeline entries never appear in it.
 */
@Injectable()
export class JudicialExportService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly signing: SettlementSigningService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async build(actor: Actor, ticketId: string): Promise<JudicialExport> {
    const data = await this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      // The two parties, the mediator who took the case, and staff.
      if (party === 'mediator' && ticket.assignment !== 'accepted')
        throw new DisputesError('TICKET_NOT_FOUND');
      const settlements = await manager.find(Settlement, {
        where: { ticketId: ticket.id, status: Not('draft'), renderedText: Not(IsNull()) },
        order: { revision: 'ASC' },
      });
      const signatures = await Promise.all(
        settlements.map((s) => this.signing.rowsOf(manager, s.id)),
      );
      const evidence = await manager.find(DisputeAttachment, {
        where: { ticketId: ticket.id, visibility: 'parties', removedAt: IsNull() },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      const messages = await manager.find(DisputeMessage, {
        where: { ticketId: ticket.id, visibility: In(['parties']) },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      const timeline = await manager.find(DisputeTimelineEntry, {
        where: { ticketId: ticket.id, audience: 'all' },
        order: { at: 'ASC', id: 'ASC' },
      });
      return { ticket, settlements, signatures, evidence, messages, timeline };
    });
    const { ticket } = data;
    const complainant = await this.users.findById(ticket.complainantUserId);
    const firm = ticket.firmId ? await this.firms.findById(ticket.firmId) : null;
    const mediator =
      ticket.mediatorUserId && ticket.assignment === 'accepted'
        ? await this.users.findById(ticket.mediatorUserId)
        : null;
    const settlements: JudicialExport['settlements'] = [];
    for (const [i, s] of data.settlements.entries()) {
      const rows = data.signatures[i];
      settlements.push({
        id: s.id,
        revision: s.revision,
        status: s.status,
        amountFen: s.amountFen,
        amount: formatFenPlain(s.amountFen),
        performanceDeadline: s.performanceDeadline,
        sentAt: iso(s.sentAt),
        signedAt: iso(s.signedAt),
        performedAt: iso(s.performedAt),
        performanceNote: s.performanceNote,
        performanceConfirmedAt: iso(s.performanceConfirmedAt),
        text: s.renderedText,
        textFingerprint: s.textFingerprint,
        signatures: rows.map(toSettlementSignatureView),
        verification: await this.signing.check(s, rows),
      });
    }
    const auditEventIds = [
      ...new Set([
        ...data.timeline.map((e) => e.auditEventId).filter((id): id is string => id !== null),
        ...settlements.flatMap((s) => s.signatures.map((sig) => sig.auditEventId)),
      ]),
    ];
    return {
      format: JUDICIAL_EXPORT_FORMAT,
      generatedAt: new Date().toISOString(),
      ticket: {
        id: ticket.id,
        number: ticket.number,
        state: ticket.state,
        outcome: ticket.outcome,
        category: ticket.category,
        amountFen: ticket.amountFen,
        amount: ticket.amountFen === null ? null : formatFenPlain(ticket.amountFen),
        facts: ticket.facts,
        claim: ticket.claim,
        firmResponse: ticket.firmResponse,
        filedAt: iso(ticket.filedAt),
        resolvedAt: iso(ticket.resolvedAt),
        closedAt: iso(ticket.closedAt),
        reopenedAt: iso(ticket.reopenedAt),
      },
      parties: {
        complainant: { userId: ticket.complainantUserId, name: complainant?.name ?? '' },
        firm: firm ? { id: firm.id, name: firm.name, creditCode: firm.creditCode } : null,
      },
      mediator: mediator ? { userId: mediator.id, name: mediator.name } : null,
      settlements,
      keys: {
        jwksPath: JWKS_PATH,
        jwksUrl: `${this.config.PUBLIC_URL}${JWKS_PATH}`,
        algorithm: 'EdDSA (Ed25519)',
      },
      evidence: data.evidence.map((a) => ({
        id: a.id,
        fileName: a.fileName,
        contentType: a.contentType,
        sizeBytes: a.sizeBytes,
        sha256: a.sha256,
        messageId: a.messageId,
        uploaderParty: a.uploaderParty,
        createdAt: a.createdAt.toISOString(),
      })),
      messages: data.messages.map((m) => ({
        id: m.id,
        at: m.createdAt.toISOString(),
        authorParty: m.authorParty,
        body: m.body,
      })),
      timeline: data.timeline.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actorParty: e.actorParty,
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        detail: JSON.parse(e.detail) as Record<string, unknown>,
        auditEventId: e.auditEventId,
      })),
      auditEventIds,
    };
  }
}
