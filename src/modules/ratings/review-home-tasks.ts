import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { AppealsService } from './appeals.service.js';
import { ConflictsService } from './conflicts.service.js';
import { FirmRating } from './entities/firm-rating.entity.js';
import { RatingAppeal } from './entities/rating-appeal.entity.js';
import { RatingSubmission } from './entities/rating-submission.entity.js';

/**
 * Reviewers: submissions to review, proposals to confirm (not their own), appeals to decide;
 * firm administrators: the appeal window of a newly published rating.
 */
@Injectable()
export class ReviewHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'ratings.review';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly conflicts: ConflictsService,
    private readonly appeals: AppealsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const { role, firmId, id } = viewer.user;
    const tasks: HomeTask[] = [];
    const task = (
      key: string,
      params: Record<string, string | number>,
      href: string,
    ): HomeTask => ({
      id: `ratings.${key}`,
      priority: 'normal',
      title: translate(locale, `ratings.review.home.${key}.title`, params),
      detail: translate(locale, `ratings.review.home.${key}.detail`, params),
      href,
      actionLabel: translate(locale, `ratings.review.home.${key}.action`),
    });
    if (isStaff(role)) {
      const m = this.db.manager;
      const barred = await this.conflicts.firmsOf(m, id);
      const open = (
        await m.find(RatingSubmission, {
          where: [{ state: 'submitted' }, { state: 'proposed' }],
          select: { id: true, firmId: true, state: true, proposedBy: true },
        })
      ).filter((s) => !barred.has(s.firmId));
      const toReview = open.filter((s) => s.state === 'submitted').length;
      const toConfirm = open.filter((s) => s.state === 'proposed' && s.proposedBy !== id).length;
      if (toReview > 0) tasks.push(task('toReview', { count: toReview }, '/staff/ratings/reviews'));
      if (toConfirm > 0)
        tasks.push(task('toConfirm', { count: toConfirm }, '/staff/ratings/reviews'));
      const appeals = (await m.find(RatingAppeal, { where: { state: 'pending' } })).filter(
        (a) => !barred.has(a.firmId),
      ).length;
      if (appeals > 0) tasks.push(task('appeals', { count: appeals }, '/staff/ratings/appeals'));
    } else if (role === 'firm_admin' && firmId) {
      const current = await this.db.manager.findOneBy(FirmRating, { firmId, status: 'current' });
      if (current && !(await this.db.manager.existsBy(RatingAppeal, { ratingId: current.id }))) {
        const lastDay = this.appeals.lastDay(current.publishedAt);
        if (beijingDate(new Date()) <= lastDay)
          tasks.push(
            task(
              'appealWindow',
              { grade: current.grade, date: lastDay },
              `/firm/ratings/ratings/${current.id}/appeal`,
            ),
          );
      }
    }
    return tasks;
  }
}
