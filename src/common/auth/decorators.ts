import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './roles.js';
import type { AuthContext } from './auth-context.js';

export const IS_PUBLIC = 'szifa:public';
export const ROLES_KEY = 'szifa:roles';
export const ALLOW_PENDING_KEY = 'szifa:allow-pending';

/** Opens a route to anyone. A signed-in caller is still recognised (pages greet them). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Narrows a route to these roles; others get 403 and the attempt is logged. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** Lets a half-signed-in session (second factor outstanding) reach this route. */
export const AllowPendingMfa = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_PENDING_KEY, true);

/** The signed-in caller; the guard guarantees it on non-public routes. */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const request = ctx.switchToHttp().getRequest<Request>();
  if (!request.auth) throw new Error('Auth() used on a route without an authenticated caller');
  return request.auth;
});

/** The caller when there may be none (public routes). */
export const OptionalAuth = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthContext | null =>
    ctx.switchToHttp().getRequest<Request>().auth ?? null,
);
