import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { DisputesModule } from '../disputes/disputes.module.js';
import { FilesModule } from '../files/files.module.js';
import { HomeTasksModule } from '../home/home-tasks.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { SchedulerModule } from '../scheduler/scheduler.module.js';
import { UsersModule } from '../users/users.module.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingAppeal } from './entities/rating-appeal.entity.js';
import { RatingCycle } from './entities/rating-cycle.entity.js';
import { RatingDocument } from './entities/rating-document.entity.js';
import { RatingReminder } from './entities/rating-reminder.entity.js';
import { RatingReviewEvent } from './entities/rating-review-event.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';
import { ReviewerConflict } from './entities/reviewer-conflict.entity.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { ReviewHistoryService } from './review-history.service.js';
import { CyclesController } from './cycles.controller.js';
import { CyclesService } from './cycles.service.js';
import { RatingDocumentsService } from './documents.service.js';
import { RatingsCyclesJobs } from './ratings-jobs-cycles.js';
import { RatingsAdminPagesController } from './ratings-admin.pages.controller.js';
import { RatingsFirmPagesController } from './ratings-firm.pages.controller.js';
import { ScorecardsController } from './scorecards.controller.js';
import { ScorecardsService } from './scorecards.service.js';
import { SubmissionsController } from './submissions.controller.js';
import { SubmissionsHomeTasks } from './submissions-home-tasks.js';
import { SubmissionsService } from './submissions.service.js';

import { AppealsController } from './appeals.controller.js';
import { AppealsService } from './appeals.service.js';
import { ConflictsService } from './conflicts.service.js';
import { ExpiryService } from './expiry.service.js';
import { OverviewController } from './overview.controller.js';
import { OverviewService } from './overview.service.js';
import { PublicationService } from './publication.service.js';
import { RatingDirectorySection } from './rating-section.js';
import { RatingsExpiryJob } from './ratings-jobs-expiry.js';
import { RatingsQueryService } from './ratings-query.service.js';
import { RatingsPublicPagesController } from './ratings-public.pages.controller.js';
import { RatingsReviewPagesController } from './ratings-review.pages.controller.js';
import { ReviewController } from './review.controller.js';
import { ReviewHomeTasks } from './review-home-tasks.js';
import { ReviewService } from './review.service.js';

/** Credit ratings (issue 6). See docs/ratings.md. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      FirmRating,
      RatingAppeal,
      RatingCycle,
      RatingDocument,
      RatingReminder,
      RatingReviewEvent,
      RatingSubmission,
      ReviewerConflict,
      ScorecardVersion,
    ]),
    AuditModule,
    DisputesModule,
    FilesModule,
    HomeTasksModule,
    MembershipModule,
    NotificationsModule,
    SchedulerModule,
    UsersModule,
  ],
  controllers: [
    // helper G (scorecards, cycles, submissions)
    ScorecardsController,
    CyclesController,
    SubmissionsController,
    RatingsFirmPagesController,
    RatingsAdminPagesController,
    // helper H (review, publication, appeals, overview)
    ReviewController,
    AppealsController,
    OverviewController,
    RatingsReviewPagesController,
    RatingsPublicPagesController,
  ],
  providers: [
    ReviewHistoryService,
    // helper G
    ScorecardsService,
    CyclesService,
    SubmissionsService,
    RatingDocumentsService,
    RatingsCyclesJobs,
    SubmissionsHomeTasks,
    // helper H
    ConflictsService,
    ReviewService,
    PublicationService,
    AppealsService,
    ExpiryService,
    RatingsExpiryJob,
    RatingsQueryService,
    RatingDirectorySection,
    OverviewService,
    ReviewHomeTasks,
  ],
  exports: [RatingsQueryService],
})
export class RatingsModule {}
