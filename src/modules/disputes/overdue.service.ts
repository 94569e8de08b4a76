import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, type Repository } from 'typeorm';
import { beijingDate } from '../../common/time/beijing.js';
import { TransactionService } from '../../database/transaction.service.js';
import { DisputeDeadline } from './entities/dispute-deadline.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { TicketEventsService } from './ticket-events.service.js';
import { WorkflowNotices } from './workflow-notices.js';

export const DISPUTES_OVERDUE_JOB = 'disputes.overdue';

/** Deadlines escalated per transaction batch. */
const BATCH = 200;

export interface OverdueItem {
  ticketId: string;
  number: string | null;
  state: string;
  firmId: string;
  kind: string;
  dueOn: string;
  breachedAt: string | null;
}

/**
 * Escalates late clocks once a day (Beijing date): an open deadline whose due date has passed
 * gets `breachedAt` once, a timeline entry all parties see, and notices to the association's
 * admins and, for the firm's response, to the respondent's admins. Running twice changes
 * nothing: a deadline already marked is skipped.
 */
@Injectable()
export class OverdueService {
  constructor(
    @InjectRepository(DisputeDeadline) private readonly deadlines: Repository<DisputeDeadline>,
    private readonly tx: TransactionService,
    private readonly events: TicketEventsService,
    private readonly notices: WorkflowNotices,
  ) {}

  async escalate(now: Date): Promise<Record<string, unknown>> {
    const today = beijingDate(now);
    let breached = 0;
    let notified = 0;
    for (;;) {
      const due = await this.deadlines.find({
        where: { status: 'open', dueOn: LessThan(today), breachedAt: IsNull() },
        order: { dueOn: 'ASC', id: 'ASC' },
        take: BATCH,
      });
      for (const deadline of due) {
        const sent = await this.tx.run(async (manager) => {
          // Claim it: another run (or instance) that marked it first leaves nothing to do.
          const claimed = await manager.update(
            DisputeDeadline,
            { id: deadline.id, status: 'open', breachedAt: IsNull() },
            { breachedAt: now },
          );
          if (claimed.affected !== 1) return null;
          const ticket = await manager.findOneByOrFail(DisputeTicket, { id: deadline.ticketId });
          await this.events.record(manager, {
            ticket,
            actor: null,
            party: 'system',
            action: 'deadline_breached',
            detail: { kind: deadline.kind, dueOn: deadline.dueOn },
            audience: 'all',
            at: now,
          });
          return this.notices.tell(
            manager,
            ticket,
            { staffAdmins: true, firmAdmins: deadline.kind === 'firm_response' },
            {
              kind: 'disputes.overdue',
              key: 'disputes.workflow.notice.overdue',
              params: { dueOn: deadline.dueOn },
              keyParams: { clock: `disputes.deadline.${deadline.kind}` },
              template: 'dispute-workflow-update',
            },
          );
        });
        if (sent !== null) {
          breached += 1;
          notified += sent;
        }
      }
      if (due.length < BATCH) break;
    }
    return { today, breached, notified };
  }

  /** Open clocks past their due date (marked or not yet), most overdue first: the staff list. */
  async overdue(now: Date, limit = 200): Promise<OverdueItem[]> {
    const today = beijingDate(now);
    const late = await this.deadlines.find({
      where: { status: 'open', dueOn: LessThan(today) },
      order: { dueOn: 'ASC', id: 'ASC' },
      take: limit,
    });
    const ids = [...new Set(late.map((d) => d.ticketId))];
    const tickets = ids.length
      ? await this.deadlines.manager.findBy(DisputeTicket, { id: In(ids) })
      : [];
    const byId = new Map(tickets.map((t) => [t.id, t]));
    return late.map((d) => ({
      ticketId: d.ticketId,
      number: byId.get(d.ticketId)?.number ?? null,
      state: byId.get(d.ticketId)?.state ?? '',
      firmId: d.firmId,
      kind: d.kind,
      dueOn: d.dueOn,
      breachedAt: d.breachedAt ? new Date(d.breachedAt).toISOString() : null,
    }));
  }
}
