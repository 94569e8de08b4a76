import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { CyclesService } from './cycles.service.js';
import { SubmissionsService } from './submissions.service.js';

/** A firm admin is asked to submit for each open cycle, and to correct a returned submission. */
@Injectable()
export class SubmissionsHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'ratings.submissions';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly cycles: CyclesService,
    private readonly submissions: SubmissionsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const { role, firmId } = viewer.user;
    if (role !== 'firm_admin' || !firmId) return [];
    const open = await this.cycles.list(['open']);
    if (open.length === 0) return [];
    const mine = await this.submissions.byCycles(
      firmId,
      open.map((c) => c.id),
    );
    const tasks: HomeTask[] = [];
    for (const cycle of open) {
      const state = mine.find((s) => s.cycleId === cycle.id)?.state ?? 'draft';
      const name = locale === 'en' ? cycle.nameEn : cycle.nameZh;
      const href = `/firm/ratings/cycles/${cycle.id}`;
      if (state === 'returned')
        tasks.push({
          id: `ratings.submission-returned.${cycle.id}`,
          priority: 'urgent',
          title: translate(locale, 'ratings.submissions.task.returnedTitle'),
          detail: translate(locale, 'ratings.submissions.task.returnedDetail', { cycle: name }),
          href,
          actionLabel: translate(locale, 'ratings.submissions.task.returnedAction'),
        });
      else if (state === 'draft')
        tasks.push({
          id: `ratings.submission-due.${cycle.id}`,
          priority: 'normal',
          title: translate(locale, 'ratings.submissions.task.dueTitle', { date: cycle.closesOn }),
          detail: translate(locale, 'ratings.submissions.task.dueDetail', {
            cycle: name,
            date: cycle.closesOn,
          }),
          href,
          actionLabel: translate(locale, 'ratings.submissions.task.dueAction'),
        });
    }
    return tasks;
  }
}
