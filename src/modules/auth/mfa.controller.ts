import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { AllowPendingMfa, Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import {
  MfaCompletedResponse,
  TotpEnabledResponse,
  TotpSetupResponse,
} from './dto/account-responses.dto.js';
import { CompleteMfaDto } from './dto/complete-mfa.dto.js';
import { DisableTotpDto } from './dto/disable-totp.dto.js';
import { EnableTotpDto } from './dto/enable-totp.dto.js';
import { MfaService } from './mfa.service.js';

const PENDING_NOTE =
  'Also accepted from a session whose second factor (or its enrolment) is still pending.';

@ApiTags('auth')
@Controller('api/v1/auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post()
  @HttpCode(200)
  @AllowPendingMfa()
  @ApiDocumented({
    summary:
      'Second step of sign-in: a TOTP code or one unused recovery code completes the session',
    description: `${PENDING_NOTE} Wrong codes count toward the sign-in throttle.`,
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [401, 'MFA_CODE_INVALID'],
      [409, 'MFA_NOT_PENDING'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ],
  })
  @ApiOkResponse({ type: MfaCompletedResponse })
  async complete(
    @Auth() auth: AuthContext,
    @Body() body: CompleteMfaDto,
    @Req() request: Request,
  ): Promise<MfaCompletedResponse> {
    const result = await this.mfa.completeSignIn(auth, body, requestMeta(request));
    return { pendingStep: null, ...result };
  }

  @Post('totp/setup')
  @HttpCode(200)
  @AllowPendingMfa()
  @ApiDocumented({
    summary:
      'Start TOTP enrolment: a new secret, its otpauth URI and QR code (not active until enabled)',
    description: PENDING_NOTE,
    access: 'signed-in',
    errors: [
      [401, 'MFA_PENDING'],
      [409, 'MFA_ALREADY_ENABLED'],
    ],
  })
  @ApiOkResponse({ type: TotpSetupResponse })
  setup(@Auth() auth: AuthContext, @Req() request: Request): Promise<TotpSetupResponse> {
    return this.mfa.beginSetup(auth, requestMeta(request));
  }

  @Post('totp/enable')
  @HttpCode(200)
  @AllowPendingMfa()
  @ApiDocumented({
    summary:
      'Confirm TOTP enrolment with a current code; returns ten recovery codes, shown only this once',
    description: PENDING_NOTE,
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [401, 'MFA_CODE_INVALID'],
      [401, 'MFA_PENDING'],
      [409, 'MFA_ALREADY_ENABLED'],
      [409, 'MFA_SETUP_MISSING'],
    ],
  })
  @ApiOkResponse({ type: TotpEnabledResponse })
  async enable(
    @Auth() auth: AuthContext,
    @Body() body: EnableTotpDto,
    @Req() request: Request,
  ): Promise<TotpEnabledResponse> {
    return { recoveryCodes: await this.mfa.enable(auth, body.code, requestMeta(request)) };
  }

  @Post('totp/disable')
  @HttpCode(204)
  @ApiDocumented({
    summary:
      'Turn TOTP off with the password and a current code (not for staff or mediators in production)',
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CURRENT_PASSWORD_WRONG'],
      [401, 'MFA_CODE_INVALID'],
      [403, 'MFA_REQUIRED'],
      [409, 'MFA_NOT_ENABLED'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ],
  })
  async disable(
    @Auth() auth: AuthContext,
    @Body() body: DisableTotpDto,
    @Req() request: Request,
  ): Promise<void> {
    await this.mfa.disable(auth, body.password, body.code, requestMeta(request));
  }
}
