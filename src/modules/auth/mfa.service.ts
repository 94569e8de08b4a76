import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import QRCode from 'qrcode';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context.js';
import { requiresMfa } from '../../common/auth/roles.js';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { AppConfig } from '../../config/app-config.js';
import { APP_SECRET } from '../../config/app-secret.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { RecoveryCode } from './entities/recovery-code.entity.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import { SecretBox } from './secret-box.js';
import { SessionService } from './session.service.js';
import { base32Encode, generateTotpSecret, matchTotp, otpauthUri } from './totp.js';
import { sha256Hex } from '../../common/crypto/tokens.js';

export const TOTP_ISSUER = 'SZIFA';

export interface TotpSetup {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauthUri: string;
  /** The URI as a QR code, SVG markup. */
  qrSvg: string;
}

export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

export interface MfaCompletion {
  method: 'totp' | 'recovery_code';
  recoveryCodesRemaining: number;
}

/** Per-user advisory-lock key, so two requests cannot both accept the same TOTP step. */
function totpLockKey(userId: string): number {
  return parseInt(sha256Hex(`totp:${userId}`).slice(0, 12), 16);
}

/**
 * TOTP second factor: enrolment, the second step of sign-in, recovery codes, switching it off.
 * Seeds are stored sealed (AES-256-GCM, key from the application secret); a code's time step is
 * remembered so that the same code is never accepted twice.
 */
@Injectable()
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(RecoveryCode) private readonly recoveryCodes: Repository<RecoveryCode>,
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
    @Inject(APP_SECRET) appSecret: string,
  ) {
    this.box = new SecretBox(appSecret, 'szifa-totp');
  }

  /**
   * Starts (or restarts) enrolment with a new seed; TOTP is not on until a code confirms it. A
   * seed that no longer decrypts (APP_SECRET changed) counts as none: after signing in with a
   * recovery code, the person enrols again (docs/operations.md).
   */
  async beginSetup(auth: AuthContext, meta: Partial<RequestMeta>): Promise<TotpSetup> {
    // A session that still owes its code must not replace the factor it owes.
    if (auth.pendingStep === 'mfa') throw new AuthError('MFA_PENDING', { pendingStep: 'mfa' });
    const user = await this.users.findById(auth.user.id);
    if (!user) throw new AuthError('SESSION_INVALID');
    const unreadable = user.totpEnabledAt !== null && this.readSecret(user.totpSecretEnc) === null;
    if (user.totpEnabledAt && !unreadable) throw new AuthError('MFA_ALREADY_ENABLED');
    const secret = generateTotpSecret();
    await this.tx.run(async (manager) => {
      await this.users.update(manager, user.id, {
        totpSecretEnc: this.box.seal(secret),
        totpLastStep: null,
        totpEnabledAt: null,
      });
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.mfa_setup_started',
        subjectType: 'user',
        subjectId: user.id,
        summary: { replacesUnreadableSecret: unreadable },
        meta,
      });
    });
    return this.describe(base32Encode(secret), user.email);
  }

  /** The enrolment in progress, to show the QR code again (e.g. after a mistyped code); null when none. */
  async pendingSetup(userId: string): Promise<TotpSetup | null> {
    const user = await this.users.findById(userId);
    const secret = user && !user.totpEnabledAt ? this.readSecret(user.totpSecretEnc) : null;
    return user && secret ? this.describe(base32Encode(secret), user.email) : null;
  }

  /**
   * Turns TOTP on once a code from the app matches; returns the recovery codes, which are shown
   * this once and stored only as hashes. Completes a session that was held for enrolment.
   */
  async enable(auth: AuthContext, code: string, meta: Partial<RequestMeta>): Promise<string[]> {
    if (auth.pendingStep === 'mfa') throw new AuthError('MFA_PENDING', { pendingStep: 'mfa' });
    const user = await this.users.findById(auth.user.id);
    if (!user) throw new AuthError('SESSION_INVALID');
    if (user.totpEnabledAt) throw new AuthError('MFA_ALREADY_ENABLED');
    if (!user.totpSecretEnc) throw new AuthError('MFA_SETUP_MISSING');
    const codes = generateRecoveryCodes();
    const enabled = await this.tx.run(async (manager) => {
      if (!(await this.acceptTotp(manager, user.id, code))) return false;
      const now = new Date();
      await this.users.update(manager, user.id, { totpEnabledAt: now });
      await manager.delete(RecoveryCode, { userId: user.id });
      await manager.insert(
        RecoveryCode,
        codes.map((c) => ({
          id: randomUUID(),
          userId: user.id,
          codeHash: hashRecoveryCode(c),
          createdAt: now,
          usedAt: null,
        })),
      );
      if (auth.pendingStep === 'mfa_enrol')
        await this.sessions.completePendingStep(manager, auth.sessionId);
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.mfa_enabled',
        subjectType: 'user',
        subjectId: user.id,
        summary: { method: 'totp', recoveryCodes: codes.length },
        meta,
      });
      return true;
    });
    if (!enabled) throw new AuthError('MFA_CODE_INVALID');
    return codes;
  }

  /** Needs the password and a current code; staff and mediators may not, in production. */
  async disable(
    auth: AuthContext,
    password: string,
    code: string,
    meta: Partial<RequestMeta>,
  ): Promise<void> {
    if (this.config.isProduction && requiresMfa(auth.user.role))
      throw new AuthError('MFA_REQUIRED');
    const user = await this.users.findById(auth.user.id);
    if (!user) throw new AuthError('SESSION_INVALID');
    if (!user.totpEnabledAt) throw new AuthError('MFA_NOT_ENABLED');
    const email = normaliseEmail(user.email);
    const ip = meta.ip ?? null;
    // A stolen session must not become a way to guess the password or the code without limit.
    await this.throttle.assertAllowed(email, ip);
    if (!(await this.users.verifyPassword(user, password))) {
      await this.throttle.recordFailure(email, ip);
      throw new AuthError('CURRENT_PASSWORD_WRONG');
    }
    const disabled = await this.tx.run(async (manager) => {
      if (!(await this.acceptTotp(manager, user.id, code))) return false;
      await this.users.update(manager, user.id, {
        totpSecretEnc: null,
        totpEnabledAt: null,
        totpLastStep: null,
      });
      await manager.delete(RecoveryCode, { userId: user.id });
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.mfa_disabled',
        subjectType: 'user',
        subjectId: user.id,
        meta,
      });
      return true;
    });
    if (!disabled) {
      await this.throttle.recordFailure(email, ip);
      throw new AuthError('MFA_CODE_INVALID');
    }
  }

  /**
   * Second step of sign-in: a TOTP code or an unused recovery code lifts the session's pending
   * state. Wrong codes count toward the sign-in throttle of the account and are audited.
   */
  async completeSignIn(
    auth: AuthContext,
    factor: SecondFactor,
    meta: Partial<RequestMeta>,
  ): Promise<MfaCompletion> {
    if (auth.pendingStep !== 'mfa') throw new AuthError('MFA_NOT_PENDING');
    const hasCode = factor.code !== undefined && factor.code !== '';
    const hasRecovery = factor.recoveryCode !== undefined && factor.recoveryCode !== '';
    if (hasCode === hasRecovery) {
      throw new ValidationFailed([
        {
          field: 'code',
          code: 'exactlyOne',
          message: {
            'zh-CN': '请填写验证码或恢复码（只填其一）。',
            en: 'Give either a code or a recovery code, not both.',
          },
        },
      ]);
    }
    const method: MfaCompletion['method'] = hasCode ? 'totp' : 'recovery_code';
    const email = normaliseEmail(auth.user.email);
    const ip = meta.ip ?? null;
    await this.throttle.assertAllowed(email, ip);
    const accepted = await this.tx.run(async (manager) => {
      const ok = hasCode
        ? await this.acceptTotp(manager, auth.user.id, factor.code ?? '')
        : await this.useRecoveryCode(manager, auth.user.id, factor.recoveryCode ?? '');
      if (!ok) return false;
      await this.sessions.completePendingStep(manager, auth.sessionId);
      await this.audit.record(manager, {
        actor: auth.user,
        action: 'auth.mfa_verified',
        subjectType: 'user',
        subjectId: auth.user.id,
        summary: { method },
        meta,
      });
      return true;
    });
    if (!accepted) {
      await this.throttle.recordFailure(email, ip);
      await this.tx.run((manager) =>
        this.audit.record(manager, {
          actor: auth.user,
          action: 'auth.mfa_failed',
          subjectType: 'user',
          subjectId: auth.user.id,
          summary: { method },
          meta,
        }),
      );
      throw new AuthError('MFA_CODE_INVALID');
    }
    await this.throttle.clear(email);
    return {
      method,
      recoveryCodesRemaining: await this.recoveryCodes.countBy({
        userId: auth.user.id,
        usedAt: IsNull(),
      }),
    };
  }

  /**
   * Accepts a code for the user's current seed if its time step is later than the last one
   * accepted, and records the step. The advisory lock (PostgreSQL; SQLite writes are serialised
   * already) makes the read-check-write atomic across concurrent requests. Public because
   * re-authentication elsewhere (signing a pledge) must share the same replay rule.
   */
  async acceptTotp(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    await this.tx.lock(manager, totpLockKey(userId));
    const user = await this.users.findById(userId);
    const secret = this.readSecret(user?.totpSecretEnc ?? null);
    if (!user || !secret) return false;
    const step = matchTotp(secret, code);
    if (step === null || (user.totpLastStep !== null && step <= user.totpLastStep)) return false;
    await this.users.update(manager, userId, { totpLastStep: step });
    return true;
  }

  /** Marks a matching unused recovery code used; the conditional update lets only one use win. */
  private async useRecoveryCode(
    manager: EntityManager,
    userId: string,
    input: string,
  ): Promise<boolean> {
    const row = await manager.findOneBy(RecoveryCode, {
      userId,
      codeHash: hashRecoveryCode(input),
      usedAt: IsNull(),
    });
    if (!row) return false;
    const result = await manager.update(
      RecoveryCode,
      { id: row.id, usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return (result.affected ?? 0) === 1;
  }

  /** The seed, or null when there is none or it no longer decrypts (APP_SECRET changed). */
  private readSecret(sealed: string | null): Buffer | null {
    if (!sealed) return null;
    try {
      return this.box.open(sealed);
    } catch {
      this.logger.event('warn', 'mfa.secret_unreadable', {
        reason: 'APP_SECRET changed since enrolment?',
      });
      return null;
    }
  }

  private async describe(secret: string, email: string): Promise<TotpSetup> {
    const uri = otpauthUri(secret, email, TOTP_ISSUER);
    return {
      secret,
      otpauthUri: uri,
      qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 2 }),
    };
  }
}
