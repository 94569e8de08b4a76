import type { CookieOptions, Response } from 'express';
import type { AppConfig } from '../../config/app-config.js';
import { SESSION_COOKIE } from './access.guard.js';

function sessionCookieOptions(config: AppConfig): CookieOptions {
  return {
    httpOnly: true,
    // Lax, not Strict: a person following a link from an e-mail must arrive signed in.
    sameSite: 'lax',
    secure: config.PUBLIC_URL.startsWith('https:'),
    path: '/',
  };
}

/** Puts a web session JWT (from SessionService.open or AuthService.signIn with 'web') in the browser. */
export function setSessionCookie(res: Response, token: string, config: AppConfig): void {
  res.cookie(SESSION_COOKIE, token, {
    ...sessionCookieOptions(config),
    maxAge: config.TOKEN_TTL_SECONDS * 1000,
  });
}

/** Removes the session cookie; the session row itself must be revoked separately. */
export function clearSessionCookie(res: Response, config: AppConfig): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
}
