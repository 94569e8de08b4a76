import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { DeadlinesService } from './deadlines.service.js';
import { REJECT_REASONS } from './entities/dispute-ticket.entity.js';
import {
  TicketSectionsRegistry,
  type TicketSection,
  type TicketSectionContext,
  type TicketSectionProvider,
} from './ticket-sections.js';
import { availableTicketActions } from './ticket.state.js';

/**
 * The ticket page's workflow block (order 20): the state, the clocks with their due dates and
 * overdue marks, and the forms of the actions this viewer can take now.
 */
@Injectable()
export class WorkflowSection implements TicketSectionProvider, OnModuleInit {
  readonly order = 20;
  readonly name = 'disputes/workflow';

  constructor(
    private readonly registry: TicketSectionsRegistry,
    private readonly deadlines: DeadlinesService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async build({ manager, ticket, party, locale }: TicketSectionContext): Promise<TicketSection> {
    const t = (key: string, params?: Record<string, unknown>): string =>
      translate(locale, key, params);
    const today = beijingDate(new Date());
    const clocks = (await this.deadlines.forTicket(manager, ticket.id))
      .filter((d) => d.status === 'open' || d.breachedAt !== null)
      .map((d) => {
        const overdue = d.status === 'open' && d.dueOn < today;
        return {
          kind: d.kind,
          label: t(`disputes.deadline.${d.kind}`),
          dueOn: d.dueOn,
          statusLabel: t(`disputes.workflow.clock.${d.status}`),
          open: d.status === 'open',
          late: overdue || d.breachedAt !== null,
        };
      });
    const can = new Set<string>(availableTicketActions(ticket.state, party));
    const mediatorOnCase = party === 'mediator' && ticket.assignment === 'accepted';
    const inMediation = ticket.state === 'in_mediation';
    const extensionOpen =
      inMediation && ticket.extensionRequestedAt !== null && ticket.extendedAt === null;
    const myConsent =
      party === 'complainant'
        ? ticket.extensionComplainantConsentAt
        : party === 'firm'
          ? ticket.extensionFirmConsentAt
          : null;
    return {
      partial: 'disputes/workflow',
      model: {
        state: ticket.state,
        stateLabel: t(`disputes.state.${ticket.state}`),
        clocks,
        rejectReasonLabel: ticket.rejectReason
          ? t(`disputes.rejectReason.${ticket.rejectReason}`)
          : null,
        decisionNote: ticket.decisionNote,
        firmResponse: ticket.firmResponse,
        extended: ticket.extendedAt !== null,
        extensionPending: extensionOpen,
        can: {
          accept: can.has('accept'),
          reject: can.has('reject'),
          respond: can.has('respond'),
          withdraw: can.has('withdraw'),
          fail: can.has('fail') && mediatorOnCase,
          close: can.has('close') && (party === 'staff' || mediatorOnCase),
          requestExtension:
            mediatorOnCase &&
            inMediation &&
            ticket.extensionRequestedAt === null &&
            ticket.extendedAt === null,
          consentExtension:
            extensionOpen && (party === 'complainant' || party === 'firm') && myConsent === null,
        },
        rejectReasons: REJECT_REASONS.map((value) => ({
          value,
          label: t(`disputes.rejectReason.${value}`),
        })),
      },
    };
  }
}
