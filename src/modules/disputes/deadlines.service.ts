import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { beijingDate } from '../../common/time/beijing.js';
import { CalendarService } from './calendar.service.js';
import { DisputeDeadline, type DeadlineKind } from './entities/dispute-deadline.entity.js';

/** Working days each clock allows (issue 5 §3). */
export const DEADLINE_WORKING_DAYS: Record<DeadlineKind, number> = {
  triage: 2,
  firm_response: 5,
  mediator_acceptance: 1,
  mediation: 30,
};

/** Working days added when both parties agree to extend mediation (once). */
export const MEDIATION_EXTENSION_WORKING_DAYS = 30;

/**
 * A ticket's clocks. Each is started, met or cancelled by the transition that causes it, in
 * the same transaction; messages and internal notes never touch them.
 */
@Injectable()
export class DeadlinesService {
  constructor(private readonly calendars: CalendarService) {}

  /** Starts a clock at `at` (its Beijing date); any open clock of the same kind is cancelled. */
  async start(
    manager: EntityManager,
    ticket: { id: string; firmId: string | null },
    kind: DeadlineKind,
    at: Date,
  ): Promise<DisputeDeadline> {
    await this.cancel(manager, ticket.id, [kind]);
    const calendar = await this.calendars.calendar(manager);
    const startedOn = beijingDate(at);
    const row: DisputeDeadline = {
      id: randomUUID(),
      ticketId: ticket.id,
      firmId: ticket.firmId ?? '',
      kind,
      startedOn,
      dueOn: calendar.addWorkingDays(startedOn, DEADLINE_WORKING_DAYS[kind]),
      status: 'open',
      metAt: null,
      breachedAt: null,
      createdAt: at,
    };
    await manager.insert(DisputeDeadline, row);
    return row;
  }

  /**
   * Marks the open clock of `kind` met. One met after its due date keeps (or gets) breachedAt:
   * lateness counts even when the escalation job has not run yet.
   */
  async meet(
    manager: EntityManager,
    ticketId: string,
    kind: DeadlineKind,
    at: Date,
  ): Promise<void> {
    const open = await manager.findOneBy(DisputeDeadline, { ticketId, kind, status: 'open' });
    if (!open) return;
    const late = beijingDate(at) > open.dueOn;
    await manager.update(
      DisputeDeadline,
      { id: open.id },
      { status: 'met', metAt: at, breachedAt: open.breachedAt ?? (late ? at : null) },
    );
  }

  /** Stops open clocks (all kinds when `kinds` is omitted), e.g. when a ticket is withdrawn. */
  async cancel(manager: EntityManager, ticketId: string, kinds?: DeadlineKind[]): Promise<void> {
    await manager.update(
      DisputeDeadline,
      kinds ? { ticketId, status: 'open', kind: In(kinds) } : { ticketId, status: 'open' },
      { status: 'cancelled' },
    );
  }

  /** Moves the open mediation clock's due date on by the extension. */
  async extendMediation(manager: EntityManager, ticketId: string): Promise<string | null> {
    const open = await manager.findOneBy(DisputeDeadline, {
      ticketId,
      kind: 'mediation',
      status: 'open',
    });
    if (!open) return null;
    const calendar = await this.calendars.calendar(manager);
    const dueOn = calendar.addWorkingDays(open.dueOn, MEDIATION_EXTENSION_WORKING_DAYS);
    await manager.update(DisputeDeadline, { id: open.id }, { dueOn });
    return dueOn;
  }

  /** A ticket's clocks, oldest first (pages show the open ones and the late ones). */
  forTicket(manager: EntityManager, ticketId: string): Promise<DisputeDeadline[]> {
    return manager.find(DisputeDeadline, {
      where: { ticketId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}
