import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from './home-tasks.js';

/** Unread in-app notifications, counted from the notifications table. */
@Injectable()
export class NotificationHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'notifications';

  constructor(
    private readonly registry: HomeTaskRegistry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const unread = await this.notifications.countUnread(viewer.user.id);
    if (unread === 0) return [];
    return [
      {
        id: 'notifications.unread',
        priority: 'normal',
        title: translate(locale, 'home.task.unread.title', { count: unread }),
        detail: translate(locale, 'home.task.unread.detail'),
        href: '/notifications',
        actionLabel: translate(locale, 'home.task.unread.action'),
      },
    ];
  }
}
