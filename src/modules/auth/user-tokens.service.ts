import { randomUUID } from 'node:crypto';
import { newLinkToken, sha256Hex } from '../../common/crypto/tokens.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type EntityManager, type Repository } from 'typeorm';
import { AuthError } from './auth.errors.js';
import { UserToken, type UserTokenPurpose } from './entities/user-token.entity.js';

export const EMAIL_VERIFY_TTL_MS = 48 * 3600_000;
export const PASSWORD_RESET_TTL_MS = 3600_000;

/**
 * Single-use secrets sent by e-mail (verification, password reset). The raw token exists only in
 * the e-mail; the table holds its SHA-256, so a database reader cannot use a pending link.
 */
@Injectable()
export class UserTokensService {
  constructor(@InjectRepository(UserToken) private readonly tokens: Repository<UserToken>) {}

  /** Whether a token could be used now, without using it (a form can say "expired" up front). */
  async isUsable(token: string, purpose: UserTokenPurpose): Promise<boolean> {
    if (!token) return false;
    const row = await this.tokens.findOneBy({ tokenHash: sha256Hex(token) });
    return (
      !!row &&
      row.purpose === purpose &&
      row.usedAt === null &&
      row.expiresAt.getTime() > Date.now()
    );
  }

  /**
   * Issues a token and retires the user's earlier unused ones for the same purpose: only the
   * newest e-mail works, so an old message found in a mailbox later is harmless.
   */
  async issue(
    manager: EntityManager,
    userId: string,
    purpose: UserTokenPurpose,
    ttlMs: number,
  ): Promise<string> {
    const now = new Date();
    // Retired by moving the expiry, not by marking them used: usedAt records real use only.
    await manager.update(
      UserToken,
      { userId, purpose, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { expiresAt: now },
    );
    const { token, hash } = newLinkToken();
    await manager.insert(UserToken, {
      id: randomUUID(),
      userId,
      purpose,
      tokenHash: hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlMs),
      usedAt: null,
    });
    return token;
  }

  /**
   * Marks a token used and answers whose it was. Unknown, used, expired or other-purpose tokens
   * all answer LINK_INVALID alike. The conditional update lets only one of two racing uses win.
   */
  async consume(manager: EntityManager, token: string, purpose: UserTokenPurpose): Promise<string> {
    const now = new Date();
    const row = token ? await manager.findOneBy(UserToken, { tokenHash: sha256Hex(token) }) : null;
    if (
      !row ||
      row.purpose !== purpose ||
      row.usedAt !== null ||
      row.expiresAt.getTime() <= now.getTime()
    ) {
      throw new AuthError('LINK_INVALID');
    }
    const result = await manager.update(
      UserToken,
      { id: row.id, usedAt: IsNull() },
      { usedAt: now },
    );
    if ((result.affected ?? 0) !== 1) throw new AuthError('LINK_INVALID');
    return row.userId;
  }
}
