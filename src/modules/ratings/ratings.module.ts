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
    // helper H (review, publication, appeals, overview)
  ],
  providers: [
    ReviewHistoryService,
    // helper G
    // helper H
  ],
  exports: [],
})
export class RatingsModule {}
