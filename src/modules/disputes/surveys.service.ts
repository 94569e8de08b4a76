import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { translate } from '../../common/i18n/i18n.js';
import { TransactionService } from '../../database/transaction.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { UsersService } from '../users/users.service.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeSurvey } from './entities/dispute-survey.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';

export const SURVEY_COMMENT_MAX = 2000;

export interface SurveyInput {
  rating: number;
  comment?: string | null;
}

export interface SurveyView {
  ticketId: string;
  rating: number;
  comment: string | null;
  submittedAt: string;
}

export interface SurveyGroup {
  id: string;
  name: string;
  count: number;
  /** Mean rating, two decimals. */
  average: number;
}

export interface SurveySummary {
  by: 'mediator' | 'firm';
  groups: SurveyGroup[];
  total: { count: number; average: number | null };
  recentComments: Array<{
    ticketId: string;
    number: string | null;
    rating: number;
    comment: string;
    mediatorName: string | null;
    firmName: string;
    submittedAt: string;
  }>;
}

export function surveyPath(ticketId: string): string {
  return `/disputes/tickets/${ticketId}/survey`;
}

const toView = (row: DisputeSurvey): SurveyView => ({
  ticketId: row.ticketId,
  rating: row.rating,
  comment: row.comment,
  submittedAt: row.submittedAt.toISOString(),
});

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * The satisfaction survey: once a ticket is closed the complainant is invited (e-mail, in-app,
 * home task) to rate the service 1–5 with an optional comment, once. Staff see the results per
 * mediator and per firm.
 */
@Injectable()
export class SurveysService {
  constructor(
    private readonly tx: TransactionService,
    private readonly lookup: TicketLookupService,
    private readonly events: TicketEventsService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Invites the complainant of a ticket that has just closed (the caller's transaction). */
  async invite(manager: EntityManager, ticket: DisputeTicket): Promise<void> {
    const complainant = await this.users.findById(ticket.complainantUserId);
    if (!complainant) return;
    const number = ticket.number ?? '';
    const link = surveyPath(ticket.id);
    await this.notifications.notify(manager, {
      userId: complainant.id,
      kind: 'disputes.survey',
      titleZh: translate('zh-CN', 'disputes.survey.notice', { number }),
      titleEn: translate('en', 'disputes.survey.notice', { number }),
      link,
    });
    await this.notifications.queueEmail(manager, {
      to: complainant.email,
      template: 'dispute-survey',
      locale: complainant.locale,
      context: { number, name: complainant.name, link },
    });
  }

  async submit(
    actor: Actor,
    ticketId: string,
    input: SurveyInput,
    meta: Partial<RequestMeta> = {},
  ): Promise<SurveyView> {
    const rating = input.rating;
    const comment = input.comment?.trim() ?? '';
    if (
      !Number.isInteger(rating) ||
      rating < 1 ||
      rating > 5 ||
      comment.length > SURVEY_COMMENT_MAX
    )
      throw new DisputesError('RATING_INVALID');
    try {
      return await this.tx.run(async (manager) => {
        const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
        if (party !== 'complainant') throw new CommonError('FORBIDDEN');
        if (ticket.state !== 'closed') throw new DisputesError('SURVEY_NOT_OPEN');
        if (await manager.findOneBy(DisputeSurvey, { ticketId: ticket.id }))
          throw new DisputesError('SURVEY_DONE');
        const row: DisputeSurvey = {
          ticketId: ticket.id,
          complainantUserId: actor.id,
          mediatorUserId: ticket.mediatorUserId,
          firmId: ticket.firmId ?? '',
          rating,
          comment: comment === '' ? null : comment,
          submittedAt: new Date(),
        };
        await manager.insert(DisputeSurvey, row);
        // The rating is for staff and the mediator's record; the comment stays in the survey.
        await this.events.record(manager, {
          ticket,
          actor,
          party,
          action: 'survey_submitted',
          detail: { rating },
          audience: 'internal',
          meta,
          at: row.submittedAt,
        });
        return toView(row);
      });
    } catch (error) {
      // A double submission meets the primary key.
      if (!(error instanceof DisputesError) && !(error instanceof CommonError)) {
        const raced = await this.tx.run((m) => m.findOneBy(DisputeSurvey, { ticketId }));
        if (raced) throw new DisputesError('SURVEY_DONE');
      }
      throw error;
    }
  }

  /** The survey of a ticket, if answered (for the ticket page). */
  forTicket(manager: EntityManager, ticketId: string): Promise<DisputeSurvey | null> {
    return manager.findOneBy(DisputeSurvey, { ticketId });
  }

  /** The survey page's facts: the ticket (complainant only) and the answer if any. */
  async page(
    actor: Actor,
    ticketId: string,
  ): Promise<{ ticket: DisputeTicket; survey: SurveyView | null }> {
    return this.tx.run(async (manager) => {
      const { ticket, party } = await this.lookup.findVisible(manager, actor, ticketId);
      if (party !== 'complainant') throw new DisputesError('TICKET_NOT_FOUND');
      const row = await this.forTicket(manager, ticket.id);
      return { ticket, survey: row ? toView(row) : null };
    });
  }

  /** Closed tickets of a complainant still waiting for a rating (home task). */
  async pendingFor(
    complainantUserId: string,
  ): Promise<Array<Pick<DisputeTicket, 'id' | 'number'>>> {
    return this.tx.run((manager) =>
      manager
        .createQueryBuilder(DisputeTicket, 't')
        .leftJoin(DisputeSurvey, 's', 's.ticketId = t.id')
        .select(['t.id', 't.number'])
        .where('t.complainantUserId = :id', { id: complainantUserId })
        .andWhere('t.state = :state', { state: 'closed' })
        .andWhere('s.ticketId IS NULL')
        .orderBy('t.closedAt', 'DESC')
        .limit(20)
        .getMany(),
    );
  }

  /** Averages and counts per mediator or per firm (with names), and recent comments. */
  async summary(by: 'mediator' | 'firm'): Promise<SurveySummary> {
    const column = by === 'mediator' ? 's.mediatorUserId' : 's.firmId';
    const { grouped, commented, numbers } = await this.tx.run(async (manager) => {
      const grouped = await manager
        .createQueryBuilder(DisputeSurvey, 's')
        .select(column, 'id')
        .addSelect('COUNT(*)', 'count')
        .addSelect('SUM(s.rating)', 'sum')
        .groupBy(column)
        .getRawMany<{ id: string | null; count: string | number; sum: string | number }>();
      const commented = await manager.find(DisputeSurvey, {
        where: { comment: Not(IsNull()) },
        order: { submittedAt: 'DESC', ticketId: 'ASC' },
        take: 20,
      });
      const numbers =
        commented.length === 0
          ? []
          : await manager.find(DisputeTicket, {
              where: { id: In(commented.map((r) => r.ticketId)) },
              select: { id: true, number: true },
            });
      return { grouped, commented, numbers };
    });
    const firmIds = new Set(commented.map((r) => r.firmId));
    const mediatorIds = new Set(
      commented.map((r) => r.mediatorUserId).filter((id): id is string => id !== null),
    );
    for (const g of grouped) if (g.id) (by === 'mediator' ? mediatorIds : firmIds).add(g.id);
    const firmNames = await this.firms.namesByIds([...firmIds]);
    const mediatorNames = new Map<string, string>();
    for (const id of mediatorIds)
      mediatorNames.set(id, (await this.users.findById(id))?.name ?? id);
    const nameOf = (id: string | null): string =>
      id === null
        ? '—'
        : by === 'mediator'
          ? (mediatorNames.get(id) ?? id)
          : (firmNames.get(id)?.name ?? id);
    const groups = grouped.map((g) => {
      const count = Number(g.count);
      return { id: g.id ?? '', name: nameOf(g.id), count, average: round2(Number(g.sum) / count) };
    });
    const count = groups.reduce((n, g) => n + g.count, 0);
    const sum = grouped.reduce((n, g) => n + Number(g.sum), 0);
    const numberOf = new Map(numbers.map((t) => [t.id, t.number]));
    return {
      by,
      groups: groups.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      total: { count, average: count ? round2(sum / count) : null },
      recentComments: commented.map((r) => ({
        ticketId: r.ticketId,
        number: numberOf.get(r.ticketId) ?? null,
        rating: r.rating,
        comment: r.comment ?? '',
        mediatorName: r.mediatorUserId ? (mediatorNames.get(r.mediatorUserId) ?? null) : null,
        firmName: firmNames.get(r.firmId)?.name ?? '',
        submittedAt: r.submittedAt.toISOString(),
      })),
    };
  }
}
