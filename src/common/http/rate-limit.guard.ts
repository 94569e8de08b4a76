import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { CommonError } from '../errors/domain-error.js';

const WINDOW_MS = 60_000;
/** Above this many tracked clients, expired windows are swept on the next request. */
const SWEEP_AT = 10_000;

/**
 * Per-client request budget (fixed one-minute windows, in memory). This blunts floods against a
 * single instance; the sign-in throttle, which must hold across instances, lives in the database.
 * Health probes are exempt so that an orchestrator never sees a 429.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.path === '/health' || request.path.startsWith('/health/')) return true;
    const response = context.switchToHttp().getResponse<Response>();
    const now = Date.now();
    const key = request.ip ?? 'unknown';
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    response.setHeader('RateLimit-Limit', String(limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, limit - window.count)));
    if (window.count > limit) {
      const retryAfterSeconds = Math.ceil((window.start + WINDOW_MS - now) / 1000);
      throw new CommonError('RATE_LIMITED', { retryAfterSeconds });
    }
    return true;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= WINDOW_MS) this.windows.delete(key);
    }
  }
}
