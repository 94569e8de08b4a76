import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { ticketPath } from './ticket-page-actions.js';

/** Who hears about a ticket event. */
export interface NoticeAudience {
  complainant?: boolean;
  firmAdmins?: boolean;
  mediator?: boolean;
  staffAdmins?: boolean;
}

export interface TicketNoticeInput {
  /** In-app notification kind, e.g. `disputes.accepted`. */
  kind: string;
  /** Catalogue key (without `.title`/`.body`) under disputes.workflow.notice.* */
  key: string;
  params?: Record<string, unknown>;
  /** Parameters that are themselves catalogue keys, translated into each reader's language. */
  keyParams?: Record<string, string>;
  /** E-mail template (both locales exist under templates/emails/). */
  template: 'dispute-workflow-update';
}

/**
 * Tells the people concerned by a ticket event, in each person's own language: an in-app
 * notification and an e-mail, queued in the caller's transaction. The texts come from the
 * catalogue and carry only the ticket number, states and dates: never a message body or note.
 */
@Injectable()
export class WorkflowNotices {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {}

  async recipients(
    manager: EntityManager,
    ticket: DisputeTicket,
    audience: NoticeAudience,
  ): Promise<User[]> {
    const found = new Map<string, User>();
    const add = (users: User[]): void => {
      for (const u of users) if (u.disabledAt === null) found.set(u.id, u);
    };
    if (audience.complainant) add(await this.users.byIds(manager, [ticket.complainantUserId]));
    if (audience.firmAdmins && ticket.firmId)
      add(await this.users.firmAdmins(manager, ticket.firmId));
    if (audience.mediator && ticket.mediatorUserId && ticket.assignment === 'accepted')
      add(await this.users.byIds(manager, [ticket.mediatorUserId]));
    if (audience.staffAdmins) add(await this.users.activeWithRoles(manager, ['staff_admin']));
    return [...found.values()];
  }

  async tell(
    manager: EntityManager,
    ticket: DisputeTicket,
    audience: NoticeAudience,
    notice: TicketNoticeInput,
  ): Promise<number> {
    const users = await this.recipients(manager, ticket, audience);
    const paramsIn = (locale: Locale): Record<string, unknown> => {
      const out: Record<string, unknown> = { number: ticket.number ?? '', ...notice.params };
      for (const [name, key] of Object.entries(notice.keyParams ?? {}))
        out[name] = translate(locale, key);
      return out;
    };
    const link = ticketPath(ticket.id);
    for (const user of users) {
      await this.notifications.notify(manager, {
        userId: user.id,
        kind: notice.kind,
        titleZh: translate('zh-CN', `${notice.key}.title`, paramsIn('zh-CN')),
        titleEn: translate('en', `${notice.key}.title`, paramsIn('en')),
        link,
      });
      await this.notifications.queueEmail(manager, {
        to: user.email,
        template: notice.template,
        locale: user.locale,
        context: {
          name: user.name,
          number: ticket.number ?? '',
          headline: translate(user.locale, `${notice.key}.title`, paramsIn(user.locale)),
          body: translate(user.locale, `${notice.key}.body`, paramsIn(user.locale)),
          link,
        },
      });
    }
    return users.length;
  }
}
