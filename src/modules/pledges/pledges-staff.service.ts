import { Injectable } from '@nestjs/common';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { PledgesError } from './pledges.errors.js';
import { SignatoryListService } from './signatory-list.service.js';

/** Firms one request may remind by name; "every overdue firm" has no such bound. */
export const REMINDER_MAX_FIRMS = 500;

/** Whom to remind: the listed firms, or every firm past its deadline. */
export type ReminderTarget = { firmIds: string[] } | { overdue: true };

export interface ReminderResult {
  versionNumber: number;
  /** Firms reminded; selected firms that have signed (or left) are skipped. */
  firms: Array<{ firmId: string; recipients: number }>;
}

/**
 * Staff reminders to sign a convention version. Each firm reminded gets an e-mail to its
 * authorised signatory and its administrators (each once), an in-app notice, and one audit
 * event; all of it in one transaction, so a failure reminds nobody twice on retry.
 */
@Injectable()
export class PledgesStaffService {
  constructor(
    private readonly lists: SignatoryListService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
  ) {}

  async remind(
    actor: Actor,
    versionNumber: number,
    target: ReminderTarget,
    meta?: Partial<RequestMeta>,
    now = new Date(),
  ): Promise<ReminderResult> {
    const { entity: version } = await this.lists.version(versionNumber);
    const firmIds = 'firmIds' in target ? [...new Set(target.firmIds)] : null;
    if (firmIds !== null && (firmIds.length === 0 || firmIds.length > REMINDER_MAX_FIRMS))
      throw new PledgesError('REMINDER_NO_FIRMS');
    const due = await this.lists.unsigned(version.id, firmIds, now);
    if (due.length === 0) throw new PledgesError('REMINDER_NO_FIRMS');
    return this.tx.run(async (manager) => {
      const reminded: ReminderResult['firms'] = [];
      for (const obligation of due) {
        const firm = await this.firms.findById(obligation.firmId);
        if (!firm) continue;
        const recipients = new Map<string, User>();
        const signatory = firm.signatoryUserId
          ? await this.users.findById(firm.signatoryUserId)
          : null;
        if (signatory && signatory.firmId === firm.id && !signatory.disabledAt)
          recipients.set(signatory.id, signatory);
        for (const admin of await this.users.firmAdmins(manager, firm.id))
          recipients.set(admin.id, admin);
        for (const user of recipients.values()) {
          await this.notifications.queueEmail(manager, {
            to: user.email,
            template: 'pledge-reminder',
            locale: user.locale,
            context: {
              name: user.name,
              firmName: firm.name,
              versionNumber: version.versionNumber,
              deadlineOn: obligation.deadlineOn,
              overdue: obligation.overdue,
            },
          });
          await this.notifications.notify(manager, {
            userId: user.id,
            kind: 'pledge.reminder',
            titleZh: translate('zh-CN', 'pledgeStaff.remind.notice', {
              number: version.versionNumber,
            }),
            titleEn: translate('en', 'pledgeStaff.remind.notice', {
              number: version.versionNumber,
            }),
            link: '/firm/pledge',
          });
        }
        await this.audit.record(manager, {
          actor,
          action: 'pledges.reminder_sent',
          subjectType: 'firm',
          subjectId: firm.id,
          summary: {
            conventionVersion: version.versionNumber,
            deadlineOn: obligation.deadlineOn,
            overdue: obligation.overdue,
            recipients: recipients.size,
          },
          meta,
        });
        reminded.push({ firmId: firm.id, recipients: recipients.size });
      }
      return { versionNumber: version.versionNumber, firms: reminded };
    });
  }
}
