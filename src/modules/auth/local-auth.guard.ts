import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { validateForm } from '../../common/http/validation.js';
import { SignInDto } from './dto/sign-in.dto.js';

/**
 * Validates the sign-in body before passport sees it, so a malformed request is a 400 naming
 * the field rather than passport's bare 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const allow = request.path.startsWith('/api/') ? [] : ['next'];
    const { errors } = await validateForm(SignInDto, request.body, { allow });
    if (errors.length > 0) throw new ValidationFailed(errors);
    return (await super.canActivate(context)) as boolean;
  }

  /** Passport's failure path would hide our AuthError; rethrow it as is. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof Error) throw error;
    if (error) throw new Error(`passport-local failed: ${JSON.stringify(error)}`);
    if (!user) throw new Error('passport-local returned no user and no error');
    return user;
  }
}
