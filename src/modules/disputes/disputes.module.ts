import { Module } from '@nestjs/common';
// helper D imports
import { JudicialExportService } from './judicial-export.service.js';
import { PerformanceService } from './performance.service.js';
import { SettlementDocumentsService } from './settlement-documents.service.js';
import { SettlementHomeTasks } from './settlement-home-tasks.js';
import { SettlementJobs } from './settlement-jobs.js';
import { SettlementSections } from './settlement-sections.js';
import { SettlementsPagesController } from './settlements.pages.controller.js';
import { SettlementSigningService } from './settlement-signing.service.js';
import { SettlementsController } from './settlements.controller.js';
import { SettlementsService } from './settlements.service.js';
import { SurveysService } from './surveys.service.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { HomeTasksModule } from '../home/home-tasks.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { SigningModule } from '../signing/signing.module.js';
import { SchedulerModule } from '../scheduler/scheduler.module.js';
import { UsersModule } from '../users/users.module.js';
import { AttachmentsService } from './attachments.service.js';
import { FilingHomeTasks } from './filing-home-tasks.js';
import { TicketPageSections } from './tickets.pages.controller.js';
import { TicketsController } from './tickets.controller.js';
import { TicketsPagesController } from './tickets.pages.controller.js';
import { TicketsService } from './tickets.service.js';
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

import { AssignmentController } from './assignment.controller.js';
import { AssignmentService } from './assignment.service.js';
import { ChallengesService } from './challenges.service.js';
import { ConversationController } from './conversation.controller.js';
import { ConversationService } from './conversation.service.js';
import { MediationHomeTasks } from './mediation-home-tasks.js';
import { MediationPagesController, MediationSections } from './mediation.pages.controller.js';
import { MediatorsController } from './mediators.controller.js';
import { MediatorsPagesController } from './mediators.pages.controller.js';
import { MediatorsService } from './mediators.service.js';
import { SessionsService } from './sessions.service.js';
// helper B imports
import { CalendarController } from './calendar.controller.js';
import { CalendarPagesController } from './calendar.pages.controller.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardPagesController } from './dashboard.pages.controller.js';
import { DashboardService } from './dashboard.service.js';
import { OverdueJobs } from './overdue-jobs.js';
import { OverdueService } from './overdue.service.js';
import { DisputeStatisticsService } from './statistics.service.js';
import { WorkflowHomeTasks } from './workflow-home-tasks.js';
import { WorkflowNotices } from './workflow-notices.js';
import { WorkflowController } from './workflow.controller.js';
import { WorkflowPagesController } from './workflow.pages.controller.js';
import { WorkflowSection } from './workflow.section.js';
import { WorkflowService } from './workflow.service.js';
import { DocumentsModule } from '../documents/documents.module.js';
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
    DocumentsModule,
    FilesModule,
    HomeTasksModule,
    MembershipModule,
    NotificationsModule,
    SigningModule,
    SchedulerModule,
    UsersModule,
  ],
  controllers: [
    TicketsController,
    TicketsPagesController, // helper A (filing and lists)
    WorkflowController,
    WorkflowPagesController,
    DashboardController,
    DashboardPagesController,
    CalendarController,
    CalendarPagesController, // helper B (workflow, deadlines, calendar, dashboard)
    MediatorsController,
    AssignmentController,
    ConversationController,
    MediatorsPagesController,
    MediationPagesController, // helper C (mediators and conversation)
    SettlementsController,
    SettlementsPagesController, // helper D (settlements and surveys)
  ],
  providers: [
    SettlementDocumentsService,
    CalendarService,
    DeadlinesService,
    TicketEventsService,
    TicketLookupService,
    TicketSectionsRegistry,
    TicketWorkflowService,
    AttachmentsService,
    TicketsService,
    FilingHomeTasks,
    TicketPageSections, // helper A
    WorkflowService,
    WorkflowNotices,
    WorkflowSection,
    OverdueService,
    OverdueJobs,
    DisputeStatisticsService,
    DashboardService,
    WorkflowHomeTasks, // helper B
    MediatorsService,
    AssignmentService,
    ChallengesService,
    ConversationService,
    SessionsService,
    MediationSections,
    MediationHomeTasks, // helper C
    SettlementsService,
    SettlementSigningService,
    PerformanceService,
    JudicialExportService,
    SurveysService,
    SettlementJobs,
    SettlementSections,
    SettlementHomeTasks, // helper D
  ],
  exports: [CalendarService, DisputeStatisticsService],
})
export class DisputesModule {}
