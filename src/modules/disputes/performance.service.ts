import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { beijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { CalendarService } from './calendar.service.js';
import { DeadlinesService } from './deadlines.service.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { Settlement } from './entities/settlement.entity.js';
import {
  SettlementsService,
  toSettlementView,
  type SettlementView,
} from './settlements.service.js';
import { SurveysService } from './surveys.service.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';
import type { WorkingCalendar } from './working-calendar.js';

/** Working days after the performance deadline during which the complainant may reopen. */
export const REOPEN_WORKING_DAYS = 10;

/** The scheduler's name for the daily job that closes settled tickets whose window passed. */
export const SETTLEMENT_LAPSE_JOB = 'disputes.settlement-lapse';

/** The last Beijing date on which a settled ticket may be reopened. */
export function reopenWindowEnd(calendar: WorkingCalendar, performanceDeadline: string): string {
  return calendar.addWorkingDays(performanceDeadline, REOPEN_WORKING_DAYS);
}

/**
 * After a ticket is settled: the firm records that it performed the agreement, the complainant
 * confirms it (the ticket closes) or, if it was not performed, reopens the mediation once
 * within 10 working days after the performance deadline. A daily job closes settled tickets
 * whose window has passed.
 */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly workflow: TicketWorkflowService,
    private readonly events: TicketEventsService,
    private readonly deadlines: DeadlinesService,
    private readonly calendars: CalendarService,
    private readonly settlements: SettlementsService,
    private readonly surveys: SurveysService,
  ) {}

  /** The firm (an administrator of the respondent) says the agreement has been performed. */
  async record(
    actor: Actor,
    ticketId: string,
    note: string,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<SettlementView> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      if (party !== 'firm' || actor.role !== 'firm_admin') throw new CommonError('FORBIDDEN');
      const settlement = await this.signedSettlement(manager, ticket, 'record_performance');
      if (settlement.performedAt) throw new DisputesError('ALREADY_PERFORMED');
      const text = note.trim();
      if (text === '') throw new DisputesError('REASON_REQUIRED');
      const at = new Date();
      const changes = {
        performedAt: at,
        performedBy: actor.id,
        performanceNote: text.slice(0, 5000),
        updatedAt: at,
      };
      await updateVersioned(manager, Settlement, settlement.id, settlement.version, changes);
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'performance_recorded',
        detail: { settlementId: settlement.id },
        meta,
        at,
      });
      await this.settlements.notify(
        manager,
        ticket,
        ['complainant', 'mediator'],
        'performed',
        settlement.id,
      );
      return toSettlementView({ ...settlement, ...changes, version: settlement.version + 1 });
    });
  }

  /** The complainant confirms performance: the ticket closes and the survey opens. */
  async confirm(
    actor: Actor,
    ticketId: string,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<DisputeTicket> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      if (party !== 'complainant') throw new CommonError('FORBIDDEN');
      const settlement = await this.signedSettlement(manager, ticket, 'confirm_performance');
      if (!settlement.performedAt) throw new DisputesError('NOT_PERFORMED');
      const at = new Date();
      await updateVersioned(manager, Settlement, settlement.id, settlement.version, {
        performanceConfirmedAt: at,
        updatedAt: at,
      });
      const closed = await this.workflow.transition(manager, actor, ticket, 'confirm_performance', {
        party,
        changes: { closedAt: at },
        detail: { settlementId: settlement.id },
        meta,
        at,
      });
      await this.settlements.notify(
        manager,
        closed,
        ['firm', 'mediator'],
        'confirmed',
        settlement.id,
      );
      await this.surveys.invite(manager, closed);
      return closed;
    });
  }

  /**
   * The complainant reopens a settled (or closed-after-settlement) ticket whose agreement was
   * not performed: once, within the window. Mediation starts again with a fresh clock; the
   * signed agreement stays as evidence and a new revision may be drafted.
   */
  async reopen(
    actor: Actor,
    ticketId: string,
    reason: string,
    expectedVersion?: number,
    meta: Partial<RequestMeta> = {},
  ): Promise<DisputeTicket> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(
        manager,
        actor,
        ticketId,
        expectedVersion,
      );
      if (party !== 'complainant') throw new CommonError('FORBIDDEN');
      if (ticket.reopenedAt) throw new DisputesError('REOPEN_USED');
      if (ticket.outcome !== 'settled') throw new DisputesError('REOPEN_NOT_AFTER_SETTLEMENT');
      const settlement = await this.settlements.latestSigned(manager, ticket.id);
      if (!settlement) throw new DisputesError('REOPEN_NOT_AFTER_SETTLEMENT');
      const at = new Date();
      const calendar = await this.calendars.calendar(manager);
      const lastDay = reopenWindowEnd(calendar, settlement.performanceDeadline);
      if (beijingDate(at) > lastDay) throw new DisputesError('REOPEN_WINDOW_CLOSED', { lastDay });
      const reopened = await this.workflow.transition(manager, actor, ticket, 'reopen', {
        party,
        reason,
        changes: { reopenedAt: at, outcome: null, resolvedAt: null, closedAt: null },
        detail: { settlementId: settlement.id, lastDay },
        meta,
        at,
      });
      await this.deadlines.start(manager, reopened, 'mediation', at);
      await this.settlements.notify(
        manager,
        reopened,
        ['firm', 'mediator'],
        'reopened',
        settlement.id,
      );
      return reopened;
    });
  }

  /**
   * The daily job: settled tickets whose reopen window ended before `now`'s Beijing date close
   * (lapse). Idempotent: a ticket already closed is no longer `settled`.
   */
  async lapse(now: Date): Promise<{ lapsed: number }> {
    const today = beijingDate(now);
    const calendar = await this.calendars.calendar();
    const settled = await this.tx.run((manager) =>
      manager.find(DisputeTicket, { where: { state: 'settled' }, select: { id: true } }),
    );
    let lapsed = 0;
    for (const { id } of settled) {
      const done = await this.tx.run(async (manager) => {
        const ticket = await manager.findOneBy(DisputeTicket, { id });
        if (!ticket || ticket.state !== 'settled') return false;
        const settlement = await this.settlements.latestSigned(manager, ticket.id);
        if (!settlement || today <= reopenWindowEnd(calendar, settlement.performanceDeadline))
          return false;
        const closed = await this.workflow.transition(manager, null, ticket, 'lapse', {
          party: 'system',
          changes: { closedAt: now },
          detail: { settlementId: settlement.id },
          at: now,
        });
        await this.settlements.notify(
          manager,
          closed,
          ['complainant', 'firm', 'mediator'],
          'lapsed',
          settlement.id,
        );
        await this.surveys.invite(manager, closed);
        return true;
      });
      if (done) lapsed += 1;
    }
    return { lapsed };
  }

  /** What the complainant may still do about a settled ticket (pages offer these). */
  async windowFor(settlement: Settlement): Promise<{ lastDay: string; open: boolean }> {
    const lastDay = reopenWindowEnd(
      await this.calendars.calendar(),
      settlement.performanceDeadline,
    );
    return { lastDay, open: beijingDate(new Date()) <= lastDay };
  }

  private async signedSettlement(
    manager: EntityManager,
    ticket: DisputeTicket,
    action: string,
  ): Promise<Settlement> {
    if (ticket.state !== 'settled')
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action });
    const settlement = await this.settlements.latestSigned(manager, ticket.id);
    if (!settlement)
      throw new DisputesError('TRANSITION_NOT_ALLOWED', { state: ticket.state, action });
    return settlement;
  }
}
