import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { TransactionService } from '../../database/transaction.service.js';
import { DisputesError } from './disputes.errors.js';
import type { ScheduleSessionDto } from './dto/dispute-session.dto.js';
import { DisputeSession, SESSION_MODES } from './entities/dispute-session.entity.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { isActive } from './ticket-access.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import type { TicketParty } from './visibility.js';
import { WorkflowNotices } from './workflow-notices.js';

export const SESSION_MIN_MINUTES = 15;
export const SESSION_MAX_MINUTES = 480;

export interface SessionView {
  id: string;
  ticketId: string;
  startsAt: string;
  durationMinutes: number;
  mode: DisputeSession['mode'];
  place: string;
  note: string | null;
  cancelledAt: string | null;
}

export function toSessionView(s: DisputeSession): SessionView {
  return {
    id: s.id,
    ticketId: s.ticketId,
    startsAt: s.startsAt.toISOString(),
    durationMinutes: s.durationMinutes,
    mode: s.mode,
    place: s.place,
    note: s.note,
    cancelledAt: s.cancelledAt?.toISOString() ?? null,
  };
}

/** Checks a session request; SESSION_INVALID for anything out of bounds. */
export function validSession(input: ScheduleSessionDto, now: Date): Date {
  const startsAt = new Date(input.startsAt);
  const place = input.place.trim();
  if (
    Number.isNaN(startsAt.getTime()) ||
    startsAt.getTime() <= now.getTime() ||
    !Number.isInteger(input.durationMinutes) ||
    input.durationMinutes < SESSION_MIN_MINUTES ||
    input.durationMinutes > SESSION_MAX_MINUTES ||
    !(SESSION_MODES as readonly string[]).includes(input.mode) ||
    place === '' ||
    place.length > 500
  )
    throw new DisputesError('SESSION_INVALID');
  return startsAt;
}

/** Mediation sessions: the accepted mediator schedules and cancels them; both parties see them. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly events: TicketEventsService,
    private readonly notices: WorkflowNotices,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async schedule(
    actor: Actor,
    ticketId: string,
    input: ScheduleSessionDto,
    meta?: RequestMeta,
  ): Promise<SessionView> {
    const now = new Date();
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      this.assertMediator(ticket, party);
      const startsAt = validSession(input, now);
      const row: DisputeSession = {
        id: randomUUID(),
        ticketId: ticket.id,
        startsAt,
        durationMinutes: input.durationMinutes,
        mode: input.mode,
        place: input.place.trim(),
        note: input.note?.trim() || null,
        createdBy: actor.id,
        createdAt: now,
        cancelledAt: null,
      };
      await manager.insert(DisputeSession, row);
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'session_scheduled',
        detail: { sessionId: row.id, startsAt: row.startsAt.toISOString(), mode: row.mode },
        meta,
      });
      await this.tell(manager, ticket, 'scheduled', row);
      return toSessionView(row);
    });
  }

  async cancel(actor: Actor, sessionId: string, meta?: RequestMeta): Promise<SessionView> {
    return this.tx.run(async (manager) => {
      const session = /^[0-9a-f-]{36}$/i.test(sessionId)
        ? await manager.findOneBy(DisputeSession, { id: sessionId })
        : null;
      if (!session) throw new DisputesError('SESSION_NOT_FOUND');
      const { ticket, party } = await this.lookup
        .findVisible(manager, actor, session.ticketId)
        .catch(() => {
          throw new DisputesError('SESSION_NOT_FOUND');
        });
      this.assertMediator(ticket, party);
      const at = new Date();
      const result = await manager.update(
        DisputeSession,
        { id: session.id, cancelledAt: IsNull() },
        { cancelledAt: at },
      );
      if (!result.affected) throw new DisputesError('SESSION_NOT_FOUND');
      await this.events.record(manager, {
        ticket,
        actor,
        party,
        action: 'session_cancelled',
        detail: { sessionId: session.id },
        meta,
        at,
      });
      const cancelled = { ...session, cancelledAt: at };
      await this.tell(manager, ticket, 'cancelled', cancelled);
      return toSessionView(cancelled);
    });
  }

  async list(actor: Actor, ticketId: string): Promise<SessionView[]> {
    const manager = this.dataSource.manager;
    const { ticket } = await this.lookup.findVisible(manager, actor, ticketId);
    return (await this.forTicket(manager, ticket.id)).map(toSessionView);
  }

  forTicket(manager: EntityManager, ticketId: string): Promise<DisputeSession[]> {
    return manager.find(DisputeSession, {
      where: { ticketId },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
  }

  private assertMediator(ticket: DisputeTicket, party: TicketParty): void {
    if (party !== 'mediator' || ticket.assignment !== 'accepted')
      throw new CommonError('FORBIDDEN');
    if (!isActive(ticket)) throw new DisputesError('TICKET_NOT_ACTIVE');
  }

  private async tell(
    manager: EntityManager,
    ticket: DisputeTicket,
    what: 'scheduled' | 'cancelled',
    s: DisputeSession,
  ): Promise<void> {
    await this.notices.tell(
      manager,
      ticket,
      { complainant: true, firmAdmins: true },
      {
        kind: `disputes.session_${what}`,
        key: `disputes.conversation.notice.session_${what}`,
        params: {
          startsAt: beijingDateTime(s.startsAt),
          durationMinutes: s.durationMinutes,
          place: s.place,
        },
        keyParams: { mode: `disputes.conversation.mode.${s.mode}` },
        template: 'dispute-workflow-update',
      },
    );
  }
}

/** 2026-12-01 14:30 (Beijing time), for notices. */
export function beijingDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
