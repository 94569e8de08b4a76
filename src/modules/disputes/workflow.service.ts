import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { TransactionService } from '../../database/transaction.service.js';
import { DeadlinesService } from './deadlines.service.js';
import { DisputesError } from './disputes.errors.js';
import type { DisputeDeadline } from './entities/dispute-deadline.entity.js';
import {
  REJECT_REASONS,
  type DisputeTicket,
  type RejectReason,
} from './entities/dispute-ticket.entity.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { SurveysService } from './surveys.service.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';
import type { TicketParty } from './visibility.js';
import { WorkflowNotices, type NoticeAudience } from './workflow-notices.js';

/** Longest firm response or reason kept. */
export const WORKFLOW_TEXT_MAX = 10_000;

export interface DeadlineView {
  kind: string;
  startedOn: string;
  dueOn: string;
  status: string;
  metAt: string | null;
  breachedAt: string | null;
}

/** What a workflow action answers: the ticket's state after it, and its clocks. */
export interface WorkflowTicketView {
  id: string;
  number: string | null;
  state: string;
  version: number;
  outcome: string | null;
  rejectReason: string | null;
  triagedAt: string | null;
  firmRespondedAt: string | null;
  mediationStartedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  extensionRequestedAt: string | null;
  extendedAt: string | null;
  deadlines: DeadlineView[];
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toDeadlineView(d: DisputeDeadline): DeadlineView {
  return {
    kind: d.kind,
    startedOn: d.startedOn,
    dueOn: d.dueOn,
    status: d.status,
    metAt: iso(d.metAt),
    breachedAt: iso(d.breachedAt),
  };
}

export interface ActionInput {
  expectedVersion?: number;
}

interface Acted {
  ticket: DisputeTicket;
  notice?: {
    audience: NoticeAudience;
    key: string;
    params?: Record<string, unknown>;
    keyParams?: Record<string, string>;
  };
}

/**
 * The ticket workflow's actions: triage (accept / reject), the firm's response, withdrawal,
 * mediation failure, closing, and the one-time extension of the mediation clock. Each runs in
 * one transaction: version check, transition (audit + timeline), clocks, notices.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly workflow: TicketWorkflowService,
    private readonly deadlines: DeadlinesService,
    private readonly notices: WorkflowNotices,
    private readonly surveys: SurveysService,
  ) {}

  accept(actor: Actor, id: string, input: ActionInput, meta?: Partial<RequestMeta>) {
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      await this.deadlines.meet(m, ticket.id, 'triage', at);
      const next = await this.workflow.transition(m, actor, ticket, 'accept', {
        party,
        changes: { triagedAt: at },
        meta,
        at,
      });
      const clock = await this.deadlines.start(m, next, 'firm_response', at);
      return {
        ticket: next,
        notice: {
          audience: { complainant: true, firmAdmins: true },
          key: 'disputes.workflow.notice.accepted',
          params: { dueOn: clock.dueOn },
        },
      };
    });
  }

  reject(
    actor: Actor,
    id: string,
    input: ActionInput & { reason: string; note?: string | null },
    meta?: Partial<RequestMeta>,
  ) {
    const reason = input.reason as RejectReason;
    if (!REJECT_REASONS.includes(reason)) throw new DisputesError('REJECT_REASON_INVALID');
    const note = (input.note ?? '').trim().slice(0, WORKFLOW_TEXT_MAX);
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      await this.deadlines.meet(m, ticket.id, 'triage', at);
      await this.deadlines.cancel(m, ticket.id);
      const next = await this.workflow.transition(m, actor, ticket, 'reject', {
        party,
        reason: note !== '' ? note : translate('zh-CN', `disputes.rejectReason.${reason}`),
        changes: { rejectReason: reason, triagedAt: at },
        detail: { rejectReason: reason },
        meta,
        at,
      });
      return {
        ticket: next,
        notice: {
          audience: { complainant: true },
          key: 'disputes.workflow.notice.rejected',
          keyParams: { reason: `disputes.rejectReason.${reason}` },
        },
      };
    });
  }

  respond(
    actor: Actor,
    id: string,
    input: ActionInput & { response: string },
    meta?: Partial<RequestMeta>,
  ) {
    const response = (input.response ?? '').trim();
    if (response === '') throw new DisputesError('RESPONSE_REQUIRED');
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      await this.deadlines.meet(m, ticket.id, 'firm_response', at);
      const next = await this.workflow.transition(m, actor, ticket, 'respond', {
        party,
        changes: {
          firmResponse: response.slice(0, WORKFLOW_TEXT_MAX),
          firmRespondedAt: at,
          mediationStartedAt: at,
        },
        meta,
        at,
      });
      const clock = await this.deadlines.start(m, next, 'mediation', at);
      return {
        ticket: next,
        notice: {
          audience: { complainant: true, mediator: true },
          key: 'disputes.workflow.notice.responded',
          params: { dueOn: clock.dueOn },
        },
      };
    });
  }

  withdraw(
    actor: Actor,
    id: string,
    input: ActionInput & { reason?: string | null },
    meta?: Partial<RequestMeta>,
  ) {
    const reason = (input.reason ?? '').trim().slice(0, WORKFLOW_TEXT_MAX);
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      const next = await this.workflow.transition(m, actor, ticket, 'withdraw', {
        party,
        reason: reason !== '' ? reason : null,
        changes: { resolvedAt: at },
        meta,
        at,
      });
      await this.deadlines.cancel(m, ticket.id);
      return {
        ticket: next,
        notice: {
          // A complaint still at triage has not been sent to the firm yet.
          audience: { firmAdmins: ticket.state !== 'filed', mediator: true, complainant: true },
          key: 'disputes.workflow.notice.withdrawn',
        },
      };
    });
  }

  fail(
    actor: Actor,
    id: string,
    input: ActionInput & { reason: string },
    meta?: Partial<RequestMeta>,
  ) {
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      this.requireAcceptedMediator(ticket, party);
      await this.deadlines.meet(m, ticket.id, 'mediation', at);
      const next = await this.workflow.transition(m, actor, ticket, 'fail', {
        party,
        reason: (input.reason ?? '').slice(0, WORKFLOW_TEXT_MAX),
        changes: { resolvedAt: at },
        meta,
        at,
      });
      await this.deadlines.cancel(m, ticket.id);
      return {
        ticket: next,
        notice: {
          audience: { complainant: true, firmAdmins: true },
          key: 'disputes.workflow.notice.failed',
        },
      };
    });
  }

  close(actor: Actor, id: string, input: ActionInput, meta?: Partial<RequestMeta>) {
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      this.requireAcceptedMediator(ticket, party);
      const next = await this.workflow.transition(m, actor, ticket, 'close', {
        party,
        changes: { closedAt: at },
        meta,
        at,
      });
      // Every closed case asks the complainant to rate the service, however it ended.
      await this.surveys.invite(m, next);
      return {
        ticket: next,
        notice: {
          audience: {
            complainant: true,
            firmAdmins: ticket.state !== 'withdrawn' || ticket.triagedAt !== null,
          },
          key: 'disputes.workflow.notice.closed',
        },
      };
    });
  }

  /** The accepted mediator asks both parties to extend the mediation clock (once per ticket). */
  requestExtension(actor: Actor, id: string, input: ActionInput, meta?: Partial<RequestMeta>) {
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      if (party !== 'mediator') throw new DisputesError('NOT_ACCEPTED_MEDIATOR');
      this.requireAcceptedMediator(ticket, party);
      this.requireInMediation(ticket);
      if (ticket.extensionRequestedAt !== null || ticket.extendedAt !== null)
        throw new DisputesError('EXTENSION_USED');
      const next = await this.workflow.update(m, actor, ticket, 'extension_requested', {
        party,
        changes: { extensionRequestedAt: at },
        meta,
        at,
      });
      return {
        ticket: next,
        notice: {
          audience: { complainant: true, firmAdmins: true },
          key: 'disputes.workflow.notice.extensionRequested',
        },
      };
    });
  }

  /** A party agrees to the extension; the second agreement moves the mediation due date. */
  consentExtension(actor: Actor, id: string, input: ActionInput, meta?: Partial<RequestMeta>) {
    return this.act(actor, id, input, async (m, ticket, party, at) => {
      if (party !== 'complainant' && party !== 'firm')
        throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state });
      this.requireInMediation(ticket);
      if (ticket.extendedAt !== null) throw new DisputesError('EXTENSION_USED');
      if (ticket.extensionRequestedAt === null) throw new DisputesError('EXTENSION_NOT_REQUESTED');
      const mine =
        party === 'complainant' ? 'extensionComplainantConsentAt' : 'extensionFirmConsentAt';
      const theirs =
        party === 'complainant' ? 'extensionFirmConsentAt' : 'extensionComplainantConsentAt';
      if (ticket[mine] !== null) throw new DisputesError('EXTENSION_CONSENT_GIVEN');
      const both = ticket[theirs] !== null;
      const dueOn = both ? await this.deadlines.extendMediation(m, ticket.id) : null;
      const next = await this.workflow.update(
        m,
        actor,
        ticket,
        both ? 'extended' : 'extension_consented',
        {
          party,
          changes: { [mine]: at, ...(both ? { extendedAt: at } : {}) },
          detail: dueOn ? { dueOn } : {},
          meta,
          at,
        },
      );
      if (!both)
        return {
          ticket: next,
          notice: {
            audience: { mediator: true },
            key: 'disputes.workflow.notice.extensionConsented',
            keyParams: { party: `disputes.party.${party}` },
          },
        };
      return {
        ticket: next,
        notice: {
          audience: { complainant: true, firmAdmins: true, mediator: true },
          key: 'disputes.workflow.notice.extended',
          params: { dueOn: dueOn ?? '' },
        },
      };
    });
  }

  private requireAcceptedMediator(ticket: DisputeTicket, party: TicketParty): void {
    if (party === 'mediator' && ticket.assignment !== 'accepted')
      throw new DisputesError('NOT_ACCEPTED_MEDIATOR');
  }

  private requireInMediation(ticket: DisputeTicket): void {
    if (ticket.state !== 'in_mediation')
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state });
  }

  private async act(
    actor: Actor,
    id: string,
    input: ActionInput,
    work: (
      manager: EntityManager,
      ticket: DisputeTicket,
      party: TicketParty,
      at: Date,
    ) => Promise<Acted>,
  ): Promise<WorkflowTicketView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        id,
        input.expectedVersion,
      );
      const at = new Date();
      const done = await work(manager, ticket, party, at);
      if (done.notice)
        await this.notices.tell(manager, done.ticket, done.notice.audience, {
          kind: `disputes.${done.notice.key.split('.').at(-1) ?? 'update'}`,
          key: done.notice.key,
          params: done.notice.params,
          keyParams: done.notice.keyParams,
          template: 'dispute-workflow-update',
        });
      const deadlines = await this.deadlines.forTicket(manager, ticket.id);
      return toWorkflowView(done.ticket, deadlines);
    });
  }
}

export function toWorkflowView(
  ticket: DisputeTicket,
  deadlines: DisputeDeadline[],
): WorkflowTicketView {
  return {
    id: ticket.id,
    number: ticket.number,
    state: ticket.state,
    version: ticket.version,
    outcome: ticket.outcome,
    rejectReason: ticket.rejectReason,
    triagedAt: iso(ticket.triagedAt),
    firmRespondedAt: iso(ticket.firmRespondedAt),
    mediationStartedAt: iso(ticket.mediationStartedAt),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    extensionRequestedAt: iso(ticket.extensionRequestedAt),
    extendedAt: iso(ticket.extendedAt),
    deadlines: deadlines.map(toDeadlineView),
  };
}
