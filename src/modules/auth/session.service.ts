import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context.js';
import { AppConfig } from '../../config/app-config.js';
import type { User } from '../users/entities/user.entity.js';
import { toActor, UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { Session, type PendingStep, type SessionKind } from './entities/session.entity.js';

/** Only this algorithm is issued or accepted; `alg: none` and RS/HS confusion are refused. */
export const JWT_ALGORITHM = 'HS256' as const;

interface TokenClaims {
  sub: string;
  sid: string;
  typ: SessionKind;
}

export interface IssuedSession {
  session: Session;
  token: string;
  expiresIn: number;
}

@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async open(
    manager: EntityManager,
    user: User,
    kind: SessionKind,
    meta: Partial<RequestMeta>,
    pendingStep: PendingStep | null,
  ): Promise<IssuedSession> {
    const now = new Date();
    const expiresIn = this.config.TOKEN_TTL_SECONDS;
    const session = manager.create(Session, {
      id: randomUUID(),
      userId: user.id,
      kind,
      pendingStep,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 255) ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresIn * 1000),
      revokedAt: null,
    });
    await manager.insert(Session, session);
    const claims: TokenClaims = { sub: user.id, sid: session.id, typ: kind };
    const token = await this.jwt.signAsync(claims, {
      algorithm: JWT_ALGORITHM,
      expiresIn,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
    });
    return { session, token, expiresIn };
  }

  /**
   * Resolves a presented token to its caller, or throws SESSION_INVALID: bad signature, other
   * algorithm, wrong issuer or audience, expired, revoked session, disabled user.
   */
  async authenticate(token: string, kind: SessionKind): Promise<AuthContext> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
    } catch {
      throw new AuthError('SESSION_INVALID');
    }
    if (claims.typ !== kind || typeof claims.sid !== 'string')
      throw new AuthError('SESSION_INVALID');
    const session = await this.sessions.findOneBy({ id: claims.sid, revokedAt: IsNull() });
    if (!session || session.userId !== claims.sub || session.expiresAt.getTime() <= Date.now()) {
      throw new AuthError('SESSION_INVALID');
    }
    const user = await this.users.findById(session.userId);
    if (!user || user.disabledAt) throw new AuthError('SESSION_INVALID');
    return {
      user: toActor(user),
      sessionId: session.id,
      pendingStep: session.pendingStep,
      emailVerified: user.emailVerifiedAt !== null,
      mfaEnabled: user.totpEnabledAt !== null,
    };
  }

  async completePendingStep(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(Session, { id: sessionId }, { pendingStep: null });
  }

  async revoke(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /** Ends every session of a user (password change, reset, account disabled). */
  async revokeAllFor(manager: EntityManager, userId: string): Promise<number> {
    const result = await manager.update(
      Session,
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return result.affected ?? 0;
  }
}
