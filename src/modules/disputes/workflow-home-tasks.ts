import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LessThan, type DataSource } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { isFirmRole, isStaff } from '../../common/auth/roles.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { DisputeDeadline } from './entities/dispute-deadline.entity.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';

/** Staff: complaints to triage and overdue clocks; firms: complaints awaiting their response. */
@Injectable()
export class WorkflowHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'disputes.workflow';

  constructor(
    private readonly registry: HomeTaskRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const { role, firmId } = viewer.user;
    const task = (
      id: string,
      key: string,
      count: number,
      href: string,
      priority: HomeTask['priority'],
    ): HomeTask => ({
      id,
      priority,
      title: translate(locale, `disputes.workflow.home.${key}.title`, { count }),
      detail: translate(locale, `disputes.workflow.home.${key}.detail`),
      href,
      actionLabel: translate(locale, `disputes.workflow.home.${key}.action`),
    });
    const tasks: HomeTask[] = [];
    if (isStaff(role)) {
      const toTriage = await this.db.getRepository(DisputeTicket).countBy({ state: 'filed' });
      if (toTriage > 0)
        tasks.push(
          task('disputes.triage', 'triage', toTriage, '/staff/disputes?state=filed', 'normal'),
        );
      const overdue = await this.db
        .getRepository(DisputeDeadline)
        .countBy({ status: 'open', dueOn: LessThan(beijingDate(new Date())) });
      if (overdue > 0)
        tasks.push(
          task(
            'disputes.overdue',
            'overdue',
            overdue,
            '/staff/disputes/dashboard#overdue',
            'urgent',
          ),
        );
    } else if (isFirmRole(role) && firmId) {
      const awaiting = await this.db
        .getRepository(DisputeTicket)
        .countBy({ firmId, state: 'awaiting_response' });
      if (awaiting > 0)
        tasks.push(
          task(
            'disputes.respond',
            'respond',
            awaiting,
            '/firm/disputes?state=awaiting_response',
            'urgent',
          ),
        );
    }
    return tasks;
  }
}
