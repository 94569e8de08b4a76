import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { requestMeta } from '../../common/http/request-context.js';
import type { User } from '../users/entities/user.entity.js';
import { AuthService } from './auth.service.js';

/** passport-local: e-mail and password from the body, checked with throttling. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: Request, email: string, password: string): Promise<User> {
    return this.auth.verifyCredentials(email, password, requestMeta(request));
  }
}
