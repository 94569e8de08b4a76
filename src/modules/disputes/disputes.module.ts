import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { HomeTasksModule } from '../home/home-tasks.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PledgesModule } from '../pledges/pledges.module.js';
import { SchedulerModule } from '../scheduler/scheduler.module.js';
import { UsersModule } from '../users/users.module.js';
import { CalendarService } from './calendar.service.js';
import { DeadlinesService } from './deadlines.service.js';
import { CalendarDay } from './entities/calendar-day.entity.js';
import { DisputeAttachment } from './entities/dispute-attachment.entity.js';
import { DisputeDeadline } from './entities/dispute-deadline.entity.js';
import { DisputeMessage } from './entities/dispute-message.entity.js';
import { DisputeSession } from './entities/dispute-session.entity.js';
import { DisputeSurvey } from './entities/dispute-survey.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from './entities/dispute-timeline-entry.entity.js';
import { MediatorAffiliation } from './entities/mediator-affiliation.entity.js';
import { MediatorChallenge } from './entities/mediator-challenge.entity.js';
import { MediatorProfile } from './entities/mediator-profile.entity.js';
import { SettlementSignature } from './entities/settlement-signature.entity.js';
import { Settlement } from './entities/settlement.entity.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketLookupService } from './ticket-lookup.service.js';
import { TicketSectionsRegistry } from './ticket-sections.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';

/** Complaints handled as mediation tickets (issue 5). See docs/disputes.md. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      CalendarDay,
      DisputeAttachment,
      DisputeDeadline,
      DisputeMessage,
      DisputeSession,
      DisputeSurvey,
      DisputeTicket,
      DisputeTimelineEntry,
      MediatorAffiliation,
      MediatorChallenge,
      MediatorProfile,
      Settlement,
      SettlementSignature,
    ]),
    AuditModule,
    AuthModule,
    FilesModule,
    HomeTasksModule,
    MembershipModule,
    NotificationsModule,
    PledgesModule,
    SchedulerModule,
    UsersModule,
  ],
  controllers: [
    // helper A (filing and lists)
    // helper B (workflow, deadlines, calendar, dashboard)
    // helper C (mediators and conversation)
    // helper D (settlements and surveys)
  ],
  providers: [
    CalendarService,
    DeadlinesService,
    TicketEventsService,
    TicketLookupService,
    TicketSectionsRegistry,
    TicketWorkflowService,
    // helper A
    // helper B
    // helper C
    // helper D
  ],
  exports: [CalendarService],
})
export class DisputesModule {}
