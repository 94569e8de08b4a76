import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { requiresMfa } from '../../common/auth/roles.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { HomeTaskRegistry, type HomeTask, type HomeTaskProvider } from './home-tasks.js';

/** The foundation's own tasks about the account itself: a verified e-mail, a second factor. */
@Injectable()
export class AccountHomeTasks implements HomeTaskProvider, OnModuleInit {
  readonly name = 'account';

  constructor(private readonly registry: HomeTaskRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  tasksFor(viewer: AuthContext, locale: Locale): Promise<HomeTask[]> {
    const tasks: HomeTask[] = [];
    if (!viewer.emailVerified) {
      tasks.push({
        id: 'account.verify-email',
        priority: 'urgent',
        title: translate(locale, 'home.task.verifyEmail.title'),
        detail: translate(locale, 'home.task.verifyEmail.detail', { email: viewer.user.email }),
        href: '/account',
        actionLabel: translate(locale, 'home.task.verifyEmail.action'),
      });
    }
    if (!viewer.mfaEnabled) {
      // Staff and mediators see confidential case files: for them a second factor is a duty
      // (and compulsory in production), for everyone else a recommendation.
      const duty = requiresMfa(viewer.user.role);
      tasks.push({
        id: 'account.enable-mfa',
        priority: duty ? 'urgent' : 'info',
        title: translate(locale, 'home.task.mfa.title'),
        detail: translate(
          locale,
          duty ? 'home.task.mfa.detailRequired' : 'home.task.mfa.detailRecommended',
        ),
        href: '/account/mfa',
        actionLabel: translate(locale, 'home.task.mfa.action'),
      });
    }
    return Promise.resolve(tasks);
  }
}
