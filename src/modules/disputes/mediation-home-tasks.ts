import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { isStaff } from '../../common/auth/roles.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { ChallengesService } from './challenges.service.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { ASSIGNABLE_STATES } from './ticket.state.js';

/** Mediators: cases offered to them. Staff: challenges to decide. */
@Injectable()
export class MediationHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'disputes.mediation';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly challenges: ChallengesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    if (viewer.user.role === 'mediator') {
      const count = await this.dataSource.manager.countBy(DisputeTicket, {
        mediatorUserId: viewer.user.id,
        assignment: 'offered',
        state: In([...ASSIGNABLE_STATES]),
      });
      return count === 0 ? [] : [this.task('offered', 'urgent', count, '/mediator/cases', locale)];
    }
    if (isStaff(viewer.user.role)) {
      const count = await this.challenges.countOpen();
      return count === 0
        ? []
        : [this.task('challenges', 'normal', count, '/staff/disputes', locale)];
    }
    return [];
  }

  private task(
    what: 'offered' | 'challenges',
    priority: HomeTask['priority'],
    count: number,
    href: string,
    locale: Locale,
  ): HomeTask {
    const key = `disputes.mediation.task.${what}`;
    return {
      id: `disputes.mediation.${what}`,
      priority,
      title: translate(locale, `${key}.title`, { count }),
      detail: translate(locale, `${key}.detail`),
      href,
      actionLabel: translate(locale, `${key}.action`),
    };
  }
}
