import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { AllowPendingMfa, Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import type { User } from '../users/entities/user.entity.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { SignInDto } from './dto/sign-in.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** Set when the token is only good for completing two-factor sign-in (or enrolment). */
  pendingStep: 'mfa' | 'mfa_enrol' | null;
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiDocumented({
    summary: 'Sign in with e-mail and password; returns a bearer token',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [401, 'INVALID_CREDENTIALS'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ],
  })
  async token(@Body() _body: SignInDto, @Req() request: Request): Promise<TokenResponse> {
    const result = await this.auth.signIn(request.user as User, 'api', requestMeta(request));
    return {
      accessToken: result.token,
      tokenType: 'Bearer',
      expiresIn: result.expiresIn,
      pendingStep: result.pendingStep,
    };
  }

  @Post('logout')
  @HttpCode(204)
  @AllowPendingMfa()
  @ApiDocumented({
    summary: 'End this session; its token stops working at once',
    access: 'signed-in',
  })
  async logout(@Auth() auth: AuthContext, @Req() request: Request): Promise<void> {
    await this.auth.signOut(auth, requestMeta(request));
  }

  @Get('me')
  @AllowPendingMfa()
  @ApiDocumented({ summary: 'The signed-in user', access: 'signed-in' })
  me(@Auth() auth: AuthContext): AuthContext['user'] & {
    emailVerified: boolean;
    mfaEnabled: boolean;
    pendingStep: string | null;
  } {
    return {
      ...auth.user,
      emailVerified: auth.emailVerified,
      mfaEnabled: auth.mfaEnabled,
      pendingStep: auth.pendingStep,
    };
  }

  @Post('password')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Change password; every existing session and token is ended, a new token returned',
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CURRENT_PASSWORD_WRONG'],
      [400, 'PASSWORD_TOO_COMMON'],
    ],
  })
  async changePassword(
    @Auth() auth: AuthContext,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
  ): Promise<TokenResponse> {
    const issued = await this.auth.changePassword(
      auth,
      body.currentPassword,
      body.newPassword,
      'api',
      requestMeta(request),
    );
    return {
      accessToken: issued.token,
      tokenType: 'Bearer',
      expiresIn: issued.expiresIn,
      pendingStep: null,
    };
  }
}
