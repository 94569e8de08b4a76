import { Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context.js';
import { requiresMfa } from '../../common/auth/roles.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { User } from '../users/entities/user.entity.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import type { PendingStep, SessionKind } from './entities/session.entity.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { SessionService, type IssuedSession } from './session.service.js';

export interface SignInResult extends IssuedSession {
  user: User;
  pendingStep: PendingStep | null;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  /** Checks e-mail and password, with throttling, and answers the same for every failure. */
  async verifyCredentials(
    email: string,
    password: string,
    meta: Partial<RequestMeta>,
  ): Promise<User> {
    const normalised = normaliseEmail(email);
    await this.throttle.assertAllowed(normalised, meta.ip ?? null);
    const user = await this.users.findByEmail(normalised);
    const ok = await this.users.verifyPassword(user, password);
    if (!user || !ok || user.disabledAt) {
      await this.throttle.recordFailure(normalised, meta.ip ?? null);
      throw new AuthError('INVALID_CREDENTIALS');
    }
    await this.throttle.clear(normalised);
    return user;
  }

  /** Opens a session for a user whose password has been checked. */
  async signIn(user: User, kind: SessionKind, meta: Partial<RequestMeta>): Promise<SignInResult> {
    const pendingStep: PendingStep | null = user.totpEnabledAt
      ? 'mfa'
      : this.config.isProduction && requiresMfa(user.role)
        ? 'mfa_enrol'
        : null;
    return this.tx.run(async (manager) => {
      const issued = await this.sessions.open(manager, user, kind, meta, pendingStep);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.sign_in',
        subjectType: 'user',
        subjectId: user.id,
        summary: { channel: kind, pendingStep },
        meta,
      });
      return { ...issued, user, pendingStep };
    });
  }

  async signOut(auth: AuthContext, meta: Partial<RequestMeta>): Promise<void> {
    await this.tx.run(async (manager) => {
      await this.sessions.revoke(manager, auth.sessionId);
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.sign_out',
        subjectType: 'user',
        subjectId: auth.user.id,
        meta,
      });
    });
  }

  /** Changes the password and ends every session, this one included; returns a fresh one. */
  async changePassword(
    auth: AuthContext,
    currentPassword: string,
    newPassword: string,
    kind: SessionKind,
    meta: Partial<RequestMeta>,
  ): Promise<IssuedSession> {
    const user = await this.users.findById(auth.user.id);
    if (!user || !(await this.users.verifyPassword(user, currentPassword))) {
      throw new AuthError('CURRENT_PASSWORD_WRONG');
    }
    return this.tx.run(async (manager) => {
      await this.users.setPassword(manager, user, newPassword);
      const ended = await this.sessions.revokeAllFor(manager, user.id);
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.password_changed',
        subjectType: 'user',
        subjectId: user.id,
        summary: { sessionsEnded: ended },
        meta,
      });
      return this.sessions.open(manager, user, kind, meta, null);
    });
  }
}
