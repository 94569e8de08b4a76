import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from '../home/home-tasks.js';
import { TicketsService } from './tickets.service.js';

/** A complainant with unfiled drafts is asked to finish their complaint. */
@Injectable()
export class FilingHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'disputes.filing';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly tickets: TicketsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    if (viewer.user.role !== 'complainant') return [];
    const drafts = await this.tickets.countDrafts(viewer.user.id);
    if (drafts === 0) return [];
    return [
      {
        id: 'disputes.finish-draft',
        priority: 'normal',
        title: translate(locale, 'disputes.filing.task.title', { count: drafts }),
        detail: translate(locale, 'disputes.filing.task.detail'),
        href: '/disputes',
        actionLabel: translate(locale, 'disputes.filing.task.action'),
      },
    ];
  }
}
