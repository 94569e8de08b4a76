import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ALLOW_PENDING_KEY, IS_PUBLIC, ROLES_KEY } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { AuthError } from './auth.errors.js';
import { SessionService } from './session.service.js';

export const SESSION_COOKIE = 'szifa_session';

/** API calls authenticate by bearer token only; pages by the session cookie only. */
export function isApiRequest(request: Request): boolean {
  return request.path.startsWith('/api/');
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Deny by default: every route needs a valid session unless marked @Public(); @Roles() narrows
 * it further. Refusals are thrown as domain errors; the problem filter logs each one.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const allowPending =
      this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_KEY, targets) ?? false;

    const api = isApiRequest(request);
    const cookies = request.cookies as Record<string, string> | undefined;
    const token = api ? bearerToken(request) : cookies?.[SESSION_COOKIE];
    if (token) {
      try {
        request.auth = await this.sessions.authenticate(token, api ? 'api' : 'web');
      } catch (error) {
        if (!isPublic) throw error;
      }
    }
    if (isPublic) return true;
    const auth = request.auth;
    if (!auth) throw new CommonError('UNAUTHENTICATED');
    if (auth.pendingStep && !allowPending) {
      throw new AuthError('MFA_PENDING', { pendingStep: auth.pendingStep });
    }
    if (roles && !roles.includes(auth.user.role)) throw new CommonError('FORBIDDEN');
    return true;
  }
}
