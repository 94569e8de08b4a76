import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { sha256Hex } from '../../common/crypto/tokens.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate, isCalendarDate } from '../../common/time/beijing.js';
import { ViewService } from '../../common/views/view.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { formatFen, formatFenPlain, parseYuanToFen } from '../../common/money.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { DisputesError } from './disputes.errors.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { Settlement, type SettlementStatus } from './entities/settlement.entity.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { ticketPath } from './ticket-page-actions.js';
import type { TicketParty } from './visibility.js';

export interface SettlementInput {
  facts: string;
  terms: string;
  /** CNY as typed, e.g. "1234.50": parsed to exact fen. */
  amount: string;
  /** Beijing date (YYYY-MM-DD) after today. */
  performanceDeadline: string;
}

/** A settlement as the parties, the mediator and staff read it. */
export interface SettlementView {
  id: string;
  ticketId: string;
  revision: number;
  status: SettlementStatus;
  facts: string;
  terms: string;
  amountFen: number;
  amount: string;
  performanceDeadline: string;
  renderedText: string | null;
  textFingerprint: string | null;
  draftedBy: string;
  sentAt: string | null;
  signedAt: string | null;
  performedAt: string | null;
  performanceNote: string | null;
  performanceConfirmedAt: string | null;
  createdAt: string;
  version: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSettlementView(row: Settlement): SettlementView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    revision: row.revision,
    status: row.status,
    facts: row.facts,
    terms: row.terms,
    amountFen: row.amountFen,
    amount: formatFenPlain(row.amountFen),
    performanceDeadline: row.performanceDeadline,
    renderedText: row.renderedText,
    textFingerprint: row.textFingerprint,
    draftedBy: row.draftedBy,
    sentAt: iso(row.sentAt),
    signedAt: iso(row.signedAt),
    performedAt: iso(row.performedAt),
    performanceNote: row.performanceNote,
    performanceConfirmedAt: iso(row.performanceConfirmedAt),
    createdAt: row.createdAt.toISOString(),
    version: row.version,
  };
}

/** Who hears about a settlement event. */
export type SettlementAudience = 'complainant' | 'firm' | 'mediator';

/** Events the parties are told about; each has a title and a line in the catalogue. */
export type SettlementEvent =
  'sent' | 'withdrawn' | 'signed' | 'settled' | 'performed' | 'confirmed' | 'reopened' | 'lapsed';

const HTML_ESCAPES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#x60;': '`',
  '&#x3D;': '=',
};

/**
 * The agreement is plain text, but Handlebars escapes for HTML: undo exactly that escaping in
 * one pass (the template's own text holds no entities), so "O'Brien & Co" stays as typed.
 * Pages escape the text again when they show it.
 */
export function plainTextOf(rendered: string): string {
  return rendered.replace(/&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/g, (m) => HTML_ESCAPES[m] ?? m);
}

/** NFC, \n line ends, no trailing blanks, one final newline: the bytes that are fingerprinted. */
export function canonicalAgreementText(text: string): string {
  const lines = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  return `${lines.join('\n').trim()}\n`;
}

const ACTIVE: SettlementStatus[] = ['draft', 'awaiting_signatures'];

/**
 * Settlement agreements: the accepted mediator drafts one (revisions numbered per ticket, one in
 * progress at a time), sends it, which renders templates/disputes/settlement-agreement.hbs once
 * and freezes the text with its SHA-256; until both parties have signed the mediator may withdraw
 * it and draft a new revision. Signing is SettlementSigningService's.
 */
@Injectable()
export class SettlementsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly events: TicketEventsService,
    private readonly views: ViewService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
  ) {}

  async draft(
    actor: Actor,
    ticketId: string,
    input: SettlementInput,
    meta: Partial<RequestMeta> = {},
  ): Promise<SettlementView> {
    const fields = this.validate(input);
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      this.assertMediator(ticket, party);
      if (ticket.state !== 'in_mediation')
        throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action: 'draft' });
      const existing = await manager.find(Settlement, { where: { ticketId: ticket.id } });
      if (existing.some((s) => ACTIVE.includes(s.status)))
        throw new DisputesError('SETTLEMENT_EXISTS');
      const now = new Date();
      const row: Settlement = {
        id: randomUUID(),
        ticketId: ticket.id,
        revision: existing.reduce((max, s) => Math.max(max, s.revision), 0) + 1,
        status: 'draft',
        ...fields,
        renderedText: null,
        textFingerprint: null,
        draftedBy: actor.id,
        sentAt: null,
        signedAt: null,
        performedAt: null,
        performedBy: null,
        performanceNote: null,
        performanceConfirmedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await manager.insert(Settlement, row);
      // Drafts are the mediator's working papers: the parties hear of the agreement when sent.
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'settlement_drafted',
        detail: { settlementId: row.id, revision: row.revision },
        audience: 'internal',
        meta,
        at: now,
      });
      return toSettlementView(row);
    });
  }

  /**
   * The ticket a mediator may draft a settlement for (the drafting page): their accepted case,
   * in mediation, with no settlement in progress unless `editing` one.
   */
  async draftable(actor: Actor, ticketId: string, editing = false): Promise<DisputeTicket> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      this.assertMediator(ticket, party);
      if (ticket.state !== 'in_mediation')
        throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action: 'draft' });
      if (!editing) {
        const existing = await manager.find(Settlement, { where: { ticketId: ticket.id } });
        if (existing.some((s) => ACTIVE.includes(s.status)))
          throw new DisputesError('SETTLEMENT_EXISTS');
      }
      return ticket;
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: Partial<SettlementInput>,
    expectedVersion?: number,
  ): Promise<SettlementView> {
    return this.tx.run(async (manager) => {
      const { settlement, ticket, party } = await this.findVisible(manager, actor, id);
      this.assertMediator(ticket, party);
      if (settlement.status !== 'draft') throw new DisputesError('SETTLEMENT_NOT_DRAFT');
      const fields = this.validate({
        facts: input.facts ?? settlement.facts,
        terms: input.terms ?? settlement.terms,
        amount: input.amount ?? formatFenPlain(settlement.amountFen),
        performanceDeadline: input.performanceDeadline ?? settlement.performanceDeadline,
      });
      const version = expectedVersion ?? settlement.version;
      const updated = { ...settlement, ...fields, updatedAt: new Date() };
      await updateVersioned(manager, Settlement, settlement.id, version, {
        ...fields,
        updatedAt: updated.updatedAt,
      });
      return toSettlementView({ ...updated, version: version + 1 });
    });
  }

  /** Renders and freezes the agreement, and asks both parties to sign it. */
  async send(
    actor: Actor,
    id: string,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<SettlementView> {
    return this.tx.run(async (manager) => {
      const { settlement, ticket, party } = await this.findVisible(manager, actor, id);
      this.assertMediator(ticket, party);
      if (settlement.status !== 'draft') throw new DisputesError('SETTLEMENT_NOT_DRAFT');
      if (ticket.state !== 'in_mediation')
        throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action: 'send' });
      if (settlement.performanceDeadline <= beijingDate(new Date()))
        throw new DisputesError('SETTLEMENT_DEADLINE_INVALID');
      const renderedText = await this.render(ticket, settlement);
      const now = new Date();
      const changes = {
        status: 'awaiting_signatures' as const,
        renderedText,
        textFingerprint: sha256Hex(renderedText),
        sentAt: now,
        updatedAt: now,
      };
      await updateVersioned(
        manager,
        Settlement,
        settlement.id,
        expectedVersion ?? settlement.version,
        changes,
      );
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'settlement_sent',
        detail: {
          settlementId: settlement.id,
          revision: settlement.revision,
          textFingerprint: changes.textFingerprint,
        },
        meta,
        at: now,
      });
      await this.notify(manager, ticket, ['complainant', 'firm'], 'sent', settlement.id);
      return toSettlementView({ ...settlement, ...changes, version: settlement.version + 1 });
    });
  }

  /** The mediator takes back a draft or an agreement not yet signed by both. */
  async withdraw(
    actor: Actor,
    id: string,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<SettlementView> {
    return this.tx.run(async (manager) => {
      const { settlement, ticket, party } = await this.findVisible(manager, actor, id);
      this.assertMediator(ticket, party);
      if (!ACTIVE.includes(settlement.status)) throw new DisputesError('SETTLEMENT_NOT_AWAITING');
      const now = new Date();
      await updateVersioned(
        manager,
        Settlement,
        settlement.id,
        expectedVersion ?? settlement.version,
        {
          status: 'withdrawn',
          updatedAt: now,
        },
      );
      const wasSent = settlement.status === 'awaiting_signatures';
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'settlement_withdrawn',
        detail: { settlementId: settlement.id, revision: settlement.revision },
        audience: wasSent ? 'all' : 'internal',
        meta,
        at: now,
      });
      if (wasSent)
        await this.notify(manager, ticket, ['complainant', 'firm'], 'withdrawn', settlement.id);
      return toSettlementView({
        ...settlement,
        status: 'withdrawn',
        updatedAt: now,
        version: settlement.version + 1,
      });
    });
  }

  async get(actor: Actor, id: string): Promise<SettlementView> {
    return this.tx.run(async (manager) =>
      toSettlementView((await this.findVisible(manager, actor, id)).settlement),
    );
  }

  /** The frozen text exactly as signed, with its fingerprint. */
  async text(actor: Actor, id: string): Promise<{ text: string; textFingerprint: string }> {
    const { settlement } = await this.tx.run((manager) => this.findVisible(manager, actor, id));
    if (settlement.renderedText === null || settlement.textFingerprint === null)
      throw new DisputesError('SETTLEMENT_NOT_FOUND');
    return { text: settlement.renderedText, textFingerprint: settlement.textFingerprint };
  }

  /**
   * A settlement with its ticket and the actor's part on it. Drafts are the mediator's (and
   * staff's) only; anything the actor may not see is SETTLEMENT_NOT_FOUND.
   */
  async findVisible(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<{ settlement: Settlement; ticket: DisputeTicket; party: TicketParty }> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const settlement = uuid.test(id) ? await manager.findOneBy(Settlement, { id }) : null;
    if (!settlement) throw new DisputesError('SETTLEMENT_NOT_FOUND');
    const visible = await this.lookup
      .findVisible(manager, actor, settlement.ticketId)
      .catch((error: unknown) => {
        if (error instanceof DisputesError && error.code === 'TICKET_NOT_FOUND')
          throw new DisputesError('SETTLEMENT_NOT_FOUND');
        throw error;
      });
    if (!this.maySee(settlement, visible.party)) throw new DisputesError('SETTLEMENT_NOT_FOUND');
    return { settlement, ...visible };
  }

  /** The ticket's settlements the party may see, newest revision first. */
  async forTicket(
    manager: EntityManager,
    ticketId: string,
    party: TicketParty,
  ): Promise<Settlement[]> {
    const rows = await manager.find(Settlement, {
      where: { ticketId },
      order: { revision: 'DESC' },
    });
    return rows.filter((s) => this.maySee(s, party));
  }

  /** The agreement the parties signed last (the one performance and reopening are about). */
  latestSigned(manager: EntityManager, ticketId: string): Promise<Settlement | null> {
    return manager.findOne(Settlement, {
      where: { ticketId, status: 'signed' },
      order: { revision: 'DESC' },
    });
  }

  /** Settled tickets' latest signed agreements, for jobs that scan many tickets. */
  signedFor(manager: EntityManager, ticketIds: string[]): Promise<Settlement[]> {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return manager.find(Settlement, {
      where: { ticketId: In(ticketIds), status: 'signed' },
      order: { revision: 'DESC' },
    });
  }

  /**
   * Tells the chosen sides of a ticket about a settlement event, by e-mail and in the app. The
   * firm side is its administrators and its authorised signatory. No message text is included.
   */
  async notify(
    manager: EntityManager,
    ticket: DisputeTicket,
    audience: SettlementAudience[],
    event: SettlementEvent,
    settlementId: string | null,
  ): Promise<void> {
    const recipients = new Map<string, { id: string; email: string; locale: 'zh-CN' | 'en' }>();
    const add = (u: { id: string; email: string; locale: 'zh-CN' | 'en' } | null): void => {
      if (u) recipients.set(u.id, { id: u.id, email: u.email, locale: u.locale });
    };
    if (audience.includes('complainant')) add(await this.users.findById(ticket.complainantUserId));
    if (audience.includes('firm') && ticket.firmId) {
      for (const admin of await this.users.firmAdmins(manager, ticket.firmId)) add(admin);
      const firm = await this.firms.findById(ticket.firmId);
      if (firm?.signatoryUserId) add(await this.users.findById(firm.signatoryUserId));
    }
    if (audience.includes('mediator') && ticket.mediatorUserId)
      add(await this.users.findById(ticket.mediatorUserId));
    const link =
      event === 'sent' && settlementId
        ? `/disputes/settlements/${settlementId}/sign`
        : `${ticketPath(ticket.id)}#settlement`;
    const number = ticket.number ?? '';
    for (const r of recipients.values()) {
      await this.notifications.notify(manager, {
        userId: r.id,
        kind: `disputes.settlement_${event}`,
        titleZh: translate('zh-CN', `disputes.settlement.notice.${event}`, { number }),
        titleEn: translate('en', `disputes.settlement.notice.${event}`, { number }),
        link,
      });
      await this.notifications.queueEmail(manager, {
        to: r.email,
        template: 'dispute-settlement-update',
        locale: r.locale,
        context: {
          number,
          headline: translate(r.locale, `disputes.settlement.notice.${event}`, { number }),
          detail: translate(r.locale, `disputes.settlement.noticeDetail.${event}`, { number }),
          link,
        },
      });
    }
  }

  /** The agreement text for a settlement, rendered from the template with the parties' facts. */
  async render(ticket: DisputeTicket, settlement: Settlement): Promise<string> {
    const firm = ticket.firmId ? await this.firms.findById(ticket.firmId) : null;
    const complainant = await this.users.findById(ticket.complainantUserId);
    const mediator = ticket.mediatorUserId
      ? await this.users.findById(ticket.mediatorUserId)
      : null;
    const rendered = this.views.render('disputes/settlement-agreement', {
      number: ticket.number ?? '',
      revision: settlement.revision,
      associationNameZh: translate('zh-CN', 'app.name'),
      associationNameEn: translate('en', 'app.name'),
      complainantName: complainant?.name ?? '',
      firmName: firm?.name ?? '',
      firmCreditCode: firm?.creditCode ?? '',
      mediatorName: mediator?.name ?? '',
      facts: settlement.facts,
      terms: settlement.terms,
      amountYuan: formatFen(settlement.amountFen),
      performanceDeadline: settlement.performanceDeadline,
    });
    return canonicalAgreementText(plainTextOf(rendered));
  }

  private maySee(settlement: Settlement, party: TicketParty): boolean {
    return settlement.status !== 'draft' || party === 'mediator' || party === 'staff';
  }

  private assertMediator(ticket: DisputeTicket, party: TicketParty): void {
    if (party !== 'mediator' || ticket.assignment !== 'accepted')
      throw new CommonError('FORBIDDEN');
  }

  private validate(
    input: SettlementInput,
  ): Pick<Settlement, 'facts' | 'terms' | 'amountFen' | 'performanceDeadline'> {
    const facts = input.facts.trim();
    const terms = input.terms.trim();
    if (facts === '' || terms === '' || facts.length > 10_000 || terms.length > 10_000)
      throw new CommonError('VALIDATION_FAILED');
    const amountFen = parseYuanToFen(input.amount);
    if (amountFen === null) throw new DisputesError('AMOUNT_INVALID');
    const deadline = input.performanceDeadline.trim();
    if (!isCalendarDate(deadline) || deadline <= beijingDate(new Date()))
      throw new DisputesError('SETTLEMENT_DEADLINE_INVALID');
    return { facts, terms, amountFen, performanceDeadline: deadline };
  }
}
