import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, type Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuthError } from './auth.errors.js';
import { LoginFailure } from './entities/login-failure.entity.js';

/** A client address may fail this many times more than one account before it is throttled. */
const IP_FACTOR = 4;

/**
 * Counts failed sign-ins per account and per client address in a sliding window. The check
 * happens before the password is looked at, and reads the same for known and unknown accounts.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectRepository(LoginFailure) private readonly failures: Repository<LoginFailure>,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  private get windowMs(): number {
    return this.config.LOGIN_WINDOW_MINUTES * 60_000;
  }

  async assertAllowed(email: string, ip: string | null): Promise<void> {
    const since = new Date(Date.now() - this.windowMs);
    const max = this.config.LOGIN_MAX_FAILURES;
    const checks: Array<[string, number]> = [[`email:${email}`, max]];
    if (ip) checks.push([`ip:${ip}`, max * IP_FACTOR]);
    for (const [key, limit] of checks) {
      const recent = await this.failures.find({
        where: { key, createdAt: MoreThan(since) },
        order: { createdAt: 'ASC' },
        take: limit,
      });
      if (recent.length >= limit) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((recent[0].createdAt.getTime() + this.windowMs - Date.now()) / 1000),
        );
        throw new AuthError('TOO_MANY_ATTEMPTS', { retryAfterSeconds });
      }
    }
  }

  async recordFailure(email: string, ip: string | null): Promise<void> {
    const now = new Date();
    await this.tx.run(async (manager) => {
      const rows = [{ id: randomUUID(), key: `email:${email}`, createdAt: now }];
      if (ip) rows.push({ id: randomUUID(), key: `ip:${ip}`, createdAt: now });
      await manager.insert(LoginFailure, rows);
      // Housekeeping: rows older than the window no longer count.
      await manager.delete(LoginFailure, {
        createdAt: LessThan(new Date(now.getTime() - this.windowMs)),
      });
    });
  }

  async clear(email: string): Promise<void> {
    await this.tx.run((manager) => manager.delete(LoginFailure, { key: `email:${email}` }));
  }
}
