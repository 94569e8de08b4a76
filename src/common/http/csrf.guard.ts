import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { APP_SECRET } from '../../config/app-secret.js';
import { CommonError } from '../errors/domain-error.js';

export const CSRF_COOKIE = 'szifa_csrf';
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every page form carries a token derived (HMAC) from a random per-browser cookie. A form
 * posted from another site sends the cookie but cannot read it, so it cannot forge the token.
 * API routes are exempt: they authenticate by bearer header, which browsers never add by
 * themselves. Multipart forms send the token in the X-CSRF-Token header or `_csrf` query field,
 * because their body is parsed after guards run.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    @Inject(APP_SECRET) private readonly secret: string,
    private readonly config: AppConfig,
  ) {}

  tokenFor(seed: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${seed}`).digest('base64url');
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (request.path.startsWith('/api/')) return true;
    const cookies = (request.cookies ?? {}) as Record<string, string>;
    let seed = cookies[CSRF_COOKIE];
    const fresh = !seed || !/^[A-Za-z0-9_-]{32,64}$/.test(seed);
    if (fresh) {
      seed = randomBytes(24).toString('base64url');
      response.cookie(CSRF_COOKIE, seed, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.PUBLIC_URL.startsWith('https:'),
        path: '/',
      });
    }
    request.csrfSeed = seed;
    if (SAFE_METHODS.has(request.method)) return true;
    const body = request.body as Record<string, unknown> | undefined;
    const query = request.query as Record<string, unknown>;
    const token = body?.[CSRF_FIELD] ?? request.headers['x-csrf-token'] ?? query[CSRF_FIELD];
    if (fresh || !this.matches(seed, token)) throw new CommonError('CSRF_REJECTED');
    return true;
  }

  private matches(seed: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(seed));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
