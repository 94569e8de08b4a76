import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { EMAIL_VERIFY_TTL_MS, UserTokensService } from './user-tokens.service.js';

/** The site's own address without a trailing slash, for links in e-mails. */
export function publicLink(config: AppConfig, path: string, token: string): string {
  return `${config.PUBLIC_URL.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}`;
}

/**
 * Proves that a person controls their e-mail address: a single-use link, valid 48 hours. The
 * link opens a page with a confirm button, because mail scanners fetch links they see.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: UserTokensService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  /** Issues a fresh link (earlier ones stop working) and queues the e-mail, in the caller's transaction. */
  async send(manager: EntityManager, user: User): Promise<void> {
    const token = await this.tokens.issue(manager, user.id, 'email_verify', EMAIL_VERIFY_TTL_MS);
    await this.notifications.queueEmail(manager, {
      to: user.email,
      template: 'verify-email',
      locale: user.locale,
      context: {
        name: user.name,
        link: publicLink(this.config, '/verify-email', token),
        hours: EMAIL_VERIFY_TTL_MS / 3600_000,
      },
    });
  }

  async resend(auth: AuthContext, meta: Partial<RequestMeta>): Promise<void> {
    const user = await this.users.findById(auth.user.id);
    if (!user) throw new AuthError('SESSION_INVALID');
    if (user.emailVerifiedAt) throw new AuthError('EMAIL_ALREADY_VERIFIED');
    await this.tx.run(async (manager) => {
      await this.send(manager, user);
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.email_verification_sent',
        subjectType: 'user',
        subjectId: user.id,
        meta,
      });
    });
  }

  isLinkUsable(token: string): Promise<boolean> {
    return this.tokens.isUsable(token, 'email_verify');
  }

  /** Uses a link; LINK_INVALID when it is unknown, used, expired or its account is disabled. */
  async verify(token: string, meta: Partial<RequestMeta>): Promise<void> {
    await this.tx.run(async (manager) => {
      const userId = await this.tokens.consume(manager, token, 'email_verify');
      const user = await this.users.findById(userId);
      if (!user || user.disabledAt) throw new AuthError('LINK_INVALID');
      const alreadyVerified = user.emailVerifiedAt !== null;
      if (!alreadyVerified)
        await this.users.update(manager, user.id, { emailVerifiedAt: new Date() });
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.email_verified',
        subjectType: 'user',
        subjectId: user.id,
        summary: { alreadyVerified },
        meta,
      });
    });
  }
}
