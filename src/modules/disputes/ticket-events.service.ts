import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { AuditService } from '../audit/audit.service.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from './entities/dispute-timeline-entry.entity.js';
import type { TimelineAction } from './timeline-actions.js';
import type { TicketParty } from './visibility.js';

export interface TicketEventInput {
  ticket: Pick<DisputeTicket, 'id' | 'number' | 'firmId'>;
  /** Null for the platform (scheduled jobs, the last signature settling a ticket). */
  actor: Pick<Actor, 'id' | 'role'> | null;
  party: TicketParty;
  /** What happened; the audit action is `disputes.<action>`. */
  action: TimelineAction;
  fromState?: string | null;
  toState?: string | null;
  /** Facts for display and audit. Never put the text of an internal note here. */
  detail?: Record<string, unknown>;
  /** `internal` entries are shown to the mediator and staff only. */
  audience?: 'all' | 'internal';
  meta?: Partial<RequestMeta>;
  at?: Date;
}

/**
 * Writes one event of a ticket's history twice in the caller's transaction: into the
 * tamper-evident audit chain, and into the ticket's own timeline that pages and the judicial
 * export read (linked by audit event id).
 */
@Injectable()
export class TicketEventsService {
  constructor(private readonly audit: AuditService) {}

  async record(manager: EntityManager, input: TicketEventInput): Promise<DisputeTimelineEntry> {
    const at = input.at ?? new Date();
    const detail = input.detail ?? {};
    const event = await this.audit.record(manager, {
      actor: input.actor,
      action: `disputes.${input.action}`,
      subjectType: 'dispute_ticket',
      subjectId: input.ticket.id,
      summary: {
        number: input.ticket.number,
        firmId: input.ticket.firmId,
        party: input.party,
        from: input.fromState ?? null,
        to: input.toState ?? null,
        ...detail,
      },
      meta: input.meta,
    });
    const entry: DisputeTimelineEntry = {
      id: randomUUID(),
      ticketId: input.ticket.id,
      at,
      actorUserId: input.actor?.id ?? null,
      actorParty: input.party,
      action: input.action,
      fromState: input.fromState ?? null,
      toState: input.toState ?? null,
      detail: JSON.stringify(detail),
      audience: input.audience ?? 'all',
      auditEventId: event.id,
    };
    await manager.insert(DisputeTimelineEntry, entry);
    return entry;
  }
}
