import { UsersService } from '../users/users.service.js';
import { formatFenPlain, parseYuanToFen } from '../../common/money.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isFirmRole, isStaff, STAFF_ROLES } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate, beijingYear } from '../../common/time/beijing.js';
import { SequenceService } from '../../database/sequence.service.js';
import { TransactionService } from '../../database/transaction.service.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { DirectoryService } from '../membership/directory.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { AttachmentsService } from './attachments.service.js';
import { isComplaintCategory, type ComplaintCategory } from './categories.js';
import { DeadlinesService } from './deadlines.service.js';
import { DisputesError, type DisputesErrorCode } from './disputes.errors.js';
import type { DisputeAttachment } from './entities/dispute-attachment.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from './entities/dispute-timeline-entry.entity.js';
import { CURRENT_RULES, rulesFingerprint } from './mediation-rules.js';
import { TicketLookupService, type VisibleTicket } from './ticket-lookup.service.js';
import { ticketPath } from './ticket-page-actions.js';
import { seesDetails, toTicketView, type TicketNames, type TicketView } from './ticket-view.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';
import type { TicketState } from './ticket.state.js';
import {
  clampLimit,
  decodeTicketCursor,
  encodeTicketCursor,
  fetchTicketPage,
  type TicketListFilters,
  type TicketScope,
} from './tickets-list.js';
import type { TicketParty } from './visibility.js';

/** What a draft form or PATCH may set; '' clears a field, undefined leaves it. */
export interface DraftInput {
  firmId?: string;
  category?: string;
  amount?: string;
  facts?: string;
  claim?: string;
  contactPhone?: string;
  accountRef?: string;
}

export interface FileInput {
  consent?: boolean;
  rulesVersion?: string;
  expectedVersion?: number;
}

/** A ticket row in a list, as one viewer sees it. */
export interface TicketListItem {
  id: string;
  number: string | null;
  state: TicketState;
  category: ComplaintCategory | null;
  amountFen: number | null;
  amount: string | null;
  firmId: string | null;
  firmName: string | null;
  mediatorUserId: string | null;
  assignment: string;
  createdAt: string;
  filedAt: string | null;
  version: number;
}

export interface TicketPage {
  items: TicketListItem[];
  nextCursor: string | null;
}

export interface TimelineItem {
  id: string;
  at: string;
  party: TicketParty;
  action: string;
  fromState: string | null;
  toState: string | null;
  audience: 'all' | 'internal';
  detail: Record<string, unknown>;
}

/** A draft field a refusal is about (for pages: the error goes beside that field). */
export const DRAFT_FIELD_OF: Partial<Record<DisputesErrorCode, keyof DraftInput>> = {
  RESPONDENT_NOT_MEMBER: 'firmId',
  CATEGORY_INVALID: 'category',
  AMOUNT_INVALID: 'amount',
};

/** Absent stays absent; blank, or null (which JSON clients send for "none"), clears. */
function blankToNull(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

const REQUIRED_TO_FILE = ['firmId', 'category', 'amount', 'facts', 'claim'] as const;

/** The fields a draft still lacks before it can be filed. */
export function missingToFile(ticket: DisputeTicket): Array<(typeof REQUIRED_TO_FILE)[number]> {
  return REQUIRED_TO_FILE.filter((field) => {
    if (field === 'amount') return ticket.amountFen === null;
    if (field === 'facts' || field === 'claim') return ticket[field].trim() === '';
    return ticket[field] === null;
  });
}

/**
 * Filing a complaint (issue 5 §1): drafts the complainant edits freely, evidence, filing with
 * consent to the mediation rules (number, triage clock, receipt), and the lists each role sees.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly workflow: TicketWorkflowService,
    private readonly deadlines: DeadlinesService,
    private readonly sequences: SequenceService,
    private readonly firms: FirmsService,
    private readonly directory: DirectoryService,
    private readonly notifications: NotificationsService,
    private readonly attachments: AttachmentsService,
    private readonly users: UsersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // ---- Drafts --------------------------------------------------------------------------

  /** A new draft of the complainant's, with whichever fields they gave (no history entry). */
  async createDraft(actor: Actor, input: DraftInput): Promise<DisputeTicket> {
    if (actor.role !== 'complainant') throw new CommonError('FORBIDDEN');
    return this.tx.run(async (manager) => {
      const changes = await this.draftChanges(manager, input);
      const now = new Date();
      const ticket = {
        id: randomUUID(),
        number: null,
        state: 'draft',
        complainantUserId: actor.id,
        firmId: null,
        category: null,
        amountFen: null,
        facts: '',
        claim: '',
        contactPhone: null,
        accountRef: null,
        consentVersion: null,
        consentAt: null,
        rejectReason: null,
        decisionNote: null,
        outcome: null,
        firmResponse: null,
        firmRespondedAt: null,
        mediatorUserId: null,
        assignment: 'none',
        assignedAt: null,
        mediatorAcceptedAt: null,
        contactReleasedAt: null,
        extensionRequestedAt: null,
        extensionComplainantConsentAt: null,
        extensionFirmConsentAt: null,
        extendedAt: null,
        reopenedAt: null,
        filedAt: null,
        triagedAt: null,
        mediationStartedAt: null,
        resolvedAt: null,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
        ...changes,
      } satisfies DisputeTicket;
      await manager.insert(DisputeTicket, ticket);
      return ticket;
    });
  }

  async updateDraft(
    actor: Actor,
    id: string,
    input: DraftInput,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<DisputeTicket> {
    return this.tx.run(async (manager) => {
      const { ticket } = await this.ownDraft(manager, actor, id, expectedVersion);
      const changes = await this.draftChanges(manager, input);
      return this.workflow.update(manager, actor, ticket, 'draft_updated', {
        party: 'complainant',
        changes,
        detail: { fields: Object.keys(changes) },
        meta,
      });
    });
  }

  /** Adds a file to a draft's evidence (at most MAX_EVIDENCE_FILES). */
  async addEvidence(
    actor: Actor,
    id: string,
    file: UploadedFileData | undefined,
  ): Promise<DisputeAttachment> {
    return this.tx.run(async (manager) => {
      const { ticket } = await this.ownDraft(manager, actor, id);
      return this.attachments.store(manager, actor, ticket, 'complainant', file, {
        messageId: null,
        visibility: 'parties',
      });
    });
  }

  /** Removes a file from a draft's evidence; filed evidence stays. */
  async removeEvidence(actor: Actor, id: string, attachmentId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.ownDraft(manager, actor, id);
      await this.attachments.removeEvidence(manager, id, attachmentId);
    });
  }

  // ---- Filing --------------------------------------------------------------------------

  /**
   * Files a draft: the complainant's e-mail must be verified, the draft complete, the
   * respondent still a member and the current rules accepted. The number comes from the
   * year's gap-free sequence in the same transaction, so concurrent filings get distinct,
   * contiguous numbers and a refused filing uses none.
   */
  async file(
    actor: Actor,
    emailVerified: boolean,
    id: string,
    input: FileInput,
    meta: Partial<RequestMeta> = {},
  ): Promise<DisputeTicket> {
    return this.tx.run(async (manager) => {
      const { ticket } = await this.ownDraft(manager, actor, id, input.expectedVersion);
      if (!emailVerified) throw new DisputesError('EMAIL_NOT_VERIFIED');
      const missing = missingToFile(ticket);
      if (missing.length > 0) throw new DisputesError('DRAFT_INCOMPLETE', { missing });
      if (!(await this.isCurrentMember(manager, ticket.firmId ?? '')))
        throw new DisputesError('RESPONDENT_NOT_MEMBER');
      if (input.consent !== true || input.rulesVersion !== CURRENT_RULES.version)
        throw new DisputesError('CONSENT_REQUIRED', { rulesVersion: CURRENT_RULES.version });

      const now = new Date();
      const year = beijingYear(now);
      const seq = await this.sequences.next(manager, `dispute-ticket-${year}`);
      const number = `SZIFA-M-${year}-${String(seq).padStart(6, '0')}`;
      const evidence = await this.attachments.listFor(manager, ticket.id, 'complainant');
      const filed = await this.workflow.transition(manager, actor, ticket, 'file', {
        party: 'complainant',
        changes: {
          number,
          filedAt: now,
          consentVersion: CURRENT_RULES.version,
          consentAt: now,
        },
        detail: {
          number,
          rulesVersion: CURRENT_RULES.version,
          rulesSha256: rulesFingerprint(CURRENT_RULES),
          evidence: evidence.map((a) => ({ id: a.id, sha256: a.sha256 })),
        },
        meta,
        at: now,
      });
      await this.deadlines.start(manager, filed, 'triage', now);
      await this.tellFiled(manager, actor, filed);
      return filed;
    });
  }

  // ---- Reading -------------------------------------------------------------------------

  /** One page of the tickets the actor may see, newest first, with the staff filters. */
  async list(
    actor: Actor,
    filters: TicketListFilters,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<TicketPage> {
    const limit = clampLimit(page.limit);
    const after = page.cursor ? decodeTicketCursor(page.cursor) : null;
    const scope = scopeOf(actor);
    const effective: TicketListFilters =
      scope.kind === 'staff' ? filters : { state: filters.state };
    const rows = await fetchTicketPage(
      this.dataSource.manager,
      scope,
      effective,
      after,
      limit,
      beijingDate(new Date()),
    );
    const pageRows = rows.slice(0, limit);
    const names = await this.firms.namesByIds([
      ...new Set(pageRows.map((r) => r.firmId).filter((f): f is string => f !== null)),
    ]);
    const items = pageRows.map((row) => {
      const party = scope.kind === 'staff' ? 'staff' : scope.kind;
      const details = seesDetails(party, row);
      return {
        id: row.id,
        number: row.number,
        state: row.state,
        category: details ? row.category : null,
        amountFen: details ? row.amountFen : null,
        amount: details && row.amountFen !== null ? formatFenPlain(row.amountFen) : null,
        firmId: row.firmId,
        firmName: row.firmId ? (names.get(row.firmId)?.name ?? null) : null,
        mediatorUserId: row.mediatorUserId,
        assignment: row.assignment,
        createdAt: row.createdAt.toISOString(),
        filedAt: row.filedAt?.toISOString() ?? null,
        version: row.version,
      };
    });
    const last = pageRows[pageRows.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeTicketCursor({ at: last.createdAt, id: last.id })
          : null,
    };
  }

  /** A ticket and the actor's part on it (404 for one they may not see). */
  find(actor: Actor, id: string): Promise<VisibleTicket> {
    return this.lookup.findVisible(this.dataSource.manager, actor, id);
  }

  /** The ticket as the actor may see it, with the filing evidence they may read. */
  async get(actor: Actor, id: string): Promise<TicketView & { evidence: DisputeAttachment[] }> {
    const { ticket, party } = await this.find(actor, id);
    return this.viewOf(ticket, party);
  }

  async viewOf(
    ticket: DisputeTicket,
    party: TicketParty,
  ): Promise<TicketView & { evidence: DisputeAttachment[] }> {
    const manager = this.dataSource.manager;
    const names = await this.namesOf(manager, ticket);
    const evidence = seesDetails(party, ticket)
      ? await this.attachments.listFor(manager, ticket.id, party)
      : [];
    return { ...toTicketView(ticket, party, names), evidence };
  }

  /** The history entries the party may read, oldest first. */
  async timeline(ticketId: string, party: TicketParty): Promise<TimelineItem[]> {
    const parties = party === 'complainant' || party === 'firm';
    const rows = await this.dataSource.manager.find(DisputeTimelineEntry, {
      where: parties ? { ticketId, audience: 'all' } : { ticketId },
      order: { at: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      party: row.actorParty,
      action: row.action,
      fromState: row.fromState,
      toState: row.toState,
      audience: row.audience,
      detail: parseDetail(row.detail),
    }));
  }

  /** Member firms a complainant can name as respondent (public directory data). */
  async respondents(
    q: string,
  ): Promise<Array<{ id: string; name: string; nameEn: string | null; creditCode: string }>> {
    const page = await this.directory.search({ q: q.trim().slice(0, 100) }, { limit: 50 });
    return page.items
      .filter((item) => item.status === 'active' || item.status === 'suspended')
      .map((item) => ({
        id: item.id,
        name: item.name,
        nameEn: item.nameEn,
        creditCode: item.creditCode,
      }));
  }

  /** A current member firm by id, as a respondent choice (null when not a member). */
  async respondentById(
    firmId: string,
  ): Promise<{ id: string; name: string; nameEn: string | null; creditCode: string } | null> {
    const firm = await this.firms.findById(firmId);
    if (!firm || (firm.status !== 'active' && firm.status !== 'suspended')) return null;
    return { id: firm.id, name: firm.name, nameEn: firm.nameEn, creditCode: firm.creditCode };
  }

  /** The manager for reads outside a transaction (the ticket page's sections). */
  readManager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Drafts of this complainant (home task). */
  countDrafts(userId: string): Promise<number> {
    return this.dataSource.manager.countBy(DisputeTicket, {
      complainantUserId: userId,
      state: 'draft',
    });
  }

  // ---- Internals -----------------------------------------------------------------------

  private async ownDraft(
    manager: EntityManager,
    actor: Actor,
    id: string,
    expectedVersion?: number,
  ): Promise<VisibleTicket> {
    const found = await this.lookup.findVisible(manager, actor, id, expectedVersion);
    if (found.party !== 'complainant') throw new DisputesError('TICKET_NOT_FOUND');
    if (found.ticket.state !== 'draft')
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: found.ticket.state });
    return found;
  }

  /** Checks the given draft fields and turns them into column values. */
  private async draftChanges(
    manager: EntityManager,
    input: DraftInput,
  ): Promise<Partial<DisputeTicket>> {
    const changes: Partial<DisputeTicket> = {};
    const firmId = blankToNull(input.firmId);
    if (firmId !== undefined) {
      if (firmId !== null && !(await this.isCurrentMember(manager, firmId)))
        throw new DisputesError('RESPONDENT_NOT_MEMBER', { field: 'firmId' });
      changes.firmId = firmId;
    }
    const category = blankToNull(input.category);
    if (category !== undefined) {
      if (category !== null && !isComplaintCategory(category))
        throw new DisputesError('CATEGORY_INVALID', { field: 'category' });
      changes.category = category;
    }
    const amount = blankToNull(input.amount);
    if (amount !== undefined) {
      const fen = amount === null ? null : parseYuanToFen(amount);
      if (amount !== null && fen === null)
        throw new DisputesError('AMOUNT_INVALID', { field: 'amount' });
      changes.amountFen = fen;
    }
    if (input.facts !== undefined) changes.facts = input.facts.trim();
    if (input.claim !== undefined) changes.claim = input.claim.trim();
    const phone = blankToNull(input.contactPhone);
    if (phone !== undefined) changes.contactPhone = phone;
    const accountRef = blankToNull(input.accountRef);
    if (accountRef !== undefined) changes.accountRef = accountRef;
    return changes;
  }

  private async isCurrentMember(manager: EntityManager, firmId: string): Promise<boolean> {
    if (firmId === '') return false;
    return (await this.firms.currentMemberIds(manager)).includes(firmId);
  }

  /**
   * Names for a ticket, read through `manager`: inside a transaction on PostgreSQL a second
   * pooled connection could wait for ever behind the filings queued on the sequence row.
   */
  private async namesOf(manager: EntityManager, ticket: DisputeTicket): Promise<TicketNames> {
    const firm = ticket.firmId
      ? ((await this.firms.namesByIds([ticket.firmId], manager)).get(ticket.firmId) ?? null)
      : null;
    const [complainant] = await this.users.byIds(manager, [ticket.complainantUserId]);
    return {
      firmName: firm?.name ?? null,
      complainant: complainant ? { name: complainant.name, email: complainant.email } : null,
    };
  }

  /** The receipt to the complainant and a notice to every staff member, in the transaction. */
  private async tellFiled(
    manager: EntityManager,
    actor: Actor,
    ticket: DisputeTicket,
  ): Promise<void> {
    const [complainant] = await this.users.byIds(manager, [actor.id]);
    const locale: Locale = complainant?.locale ?? 'zh-CN';
    const names = await this.namesOf(manager, ticket);
    const link = ticketPath(ticket.id);
    await this.notifications.queueEmail(manager, {
      to: complainant?.email ?? actor.email,
      template: 'dispute-filed',
      locale,
      context: {
        name: complainant?.name ?? actor.name,
        number: ticket.number ?? '',
        firmName: names.firmName ?? '',
        category: ticket.category ? translate(locale, `disputes.category.${ticket.category}`) : '',
        amount: ticket.amountFen !== null ? formatFenPlain(ticket.amountFen) : '',
        filedAt: ticket.filedAt?.toISOString() ?? '',
        rulesVersion: ticket.consentVersion ?? '',
        link,
      },
    });
    const staff = await this.users.activeWithRoles(manager, STAFF_ROLES);
    const params = { number: ticket.number ?? '' };
    for (const user of staff)
      await this.notifications.notify(manager, {
        userId: user.id,
        kind: 'disputes.filed',
        titleZh: translate('zh-CN', 'disputes.filing.notice.filed', params),
        titleEn: translate('en', 'disputes.filing.notice.filed', params),
        link,
      });
  }
}

function scopeOf(actor: Actor): TicketScope {
  if (actor.role === 'complainant') return { kind: 'complainant', userId: actor.id };
  if (isStaff(actor.role)) return { kind: 'staff' };
  if (isFirmRole(actor.role) && actor.firmId) return { kind: 'firm', firmId: actor.firmId };
  if (actor.role === 'mediator') return { kind: 'mediator', userId: actor.id };
  throw new CommonError('FORBIDDEN');
}

function parseDetail(detail: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(detail) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
