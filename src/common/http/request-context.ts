import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_LOCALE, LOCALE_COOKIE, parseLocale } from '../i18n/i18n.js';
import type { JsonLogger } from '../logging/json-logger.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives each request an id (kept from X-Request-Id when sane), settles its language (?lang=,
 * then the cookie, then Chinese), and logs one line when the response is finished. The line
 * holds the path without its query string: reset and verification links carry secrets there.
 */
export function requestContext(logger: JsonLogger, secureCookies: boolean) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const incoming = request.headers['x-request-id'];
    request.requestId =
      typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', request.requestId);

    const cookies = (request.cookies ?? {}) as Record<string, string>;
    const asked = parseLocale(request.query.lang);
    if (asked && asked !== parseLocale(cookies[LOCALE_COOKIE])) {
      response.cookie(LOCALE_COOKIE, asked, {
        httpOnly: false,
        sameSite: 'lax',
        secure: secureCookies,
        path: '/',
        maxAge: 365 * 24 * 3600 * 1000,
      });
    }
    request.locale = asked ?? parseLocale(cookies[LOCALE_COOKIE]) ?? DEFAULT_LOCALE;

    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.event('info', 'http.request', {
        requestId: request.requestId,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        ms: Math.round(ms * 10) / 10,
        userId: request.auth?.user.id ?? null,
      });
    });
    next();
  };
}

/** The request facts the audit trail keeps. */
export function requestMeta(request: Request): {
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
} {
  return {
    ip: request.ip ?? null,
    requestId: request.requestId ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
