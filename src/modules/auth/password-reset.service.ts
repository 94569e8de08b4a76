import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/auth/auth-context.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { publicLink } from './email-verification.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { SessionService } from './session.service.js';
import { PASSWORD_RESET_TTL_MS, UserTokensService } from './user-tokens.service.js';

/**
 * "Forgot password" by e-mail link: one hour, single use, and only the newest link works. The
 * request answers the same whether or not the address has an account.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: UserTokensService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottleService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  /** Queues the reset e-mail when the account exists; returns nothing either way. */
  async request(email: string, meta: Partial<RequestMeta>): Promise<void> {
    const user = await this.users.findByEmail(normaliseEmail(email));
    if (!user || user.disabledAt) {
      // Same steps without storing anything, so the answer's timing says little about the address.
      const token = randomBytes(32).toString('base64url');
      this.notifications.render({
        to: normaliseEmail(email),
        template: 'reset-password',
        locale: 'zh-CN',
        context: { name: '', link: publicLink(this.config, '/reset-password', token), minutes: 60 },
      });
      return;
    }
    await this.tx.run(async (manager) => {
      const token = await this.tokens.issue(
        manager,
        user.id,
        'password_reset',
        PASSWORD_RESET_TTL_MS,
      );
      await this.notifications.queueEmail(manager, {
        to: user.email,
        template: 'reset-password',
        locale: user.locale,
        context: {
          name: user.name,
          link: publicLink(this.config, '/reset-password', token),
          minutes: PASSWORD_RESET_TTL_MS / 60_000,
        },
      });
      await this.audit.record(manager, {
        actor: null,
        action: 'auth.password_reset_requested',
        subjectType: 'user',
        subjectId: user.id,
        meta,
      });
    });
  }

  isLinkUsable(token: string): Promise<boolean> {
    return this.tokens.isUsable(token, 'password_reset');
  }

  /**
   * Sets the new password, uses up the link, ends every session and marks the address verified
   * (the link proved control of it). A refused password leaves the link usable.
   */
  async confirm(token: string, newPassword: string, meta: Partial<RequestMeta>): Promise<void> {
    const email = await this.tx.run(async (manager) => {
      const userId = await this.tokens.consume(manager, token, 'password_reset');
      const user = await this.users.findById(userId);
      if (!user || user.disabledAt) throw new AuthError('LINK_INVALID');
      await this.users.setPassword(manager, user, newPassword);
      if (!user.emailVerifiedAt)
        await this.users.update(manager, user.id, { emailVerifiedAt: new Date() });
      const ended = await this.sessions.revokeAllFor(manager, user.id);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.password_reset',
        subjectType: 'user',
        subjectId: user.id,
        summary: { sessionsEnded: ended },
        meta,
      });
      return user.email;
    });
    // Failed sign-ins before the reset were probably the reason for it; they no longer count.
    await this.throttle.clear(email);
  }
}
