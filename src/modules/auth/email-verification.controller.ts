import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { VerifyEmailDto } from './dto/verify-email.dto.js';
import { EmailVerificationService } from './email-verification.service.js';

@ApiTags('auth')
@Controller('api/v1/auth/email')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post('verify')
  @HttpCode(204)
  @ApiDocumented({
    summary:
      'Verify an e-mail address with the token from the verification link (works once, 48 hours)',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'LINK_INVALID'],
    ],
  })
  async verify(@Body() body: VerifyEmailDto, @Req() request: Request): Promise<void> {
    await this.verification.verify(body.token, requestMeta(request));
  }

  @Post('resend')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Send a new verification e-mail to the signed-in user; earlier links stop working',
    access: 'signed-in',
    errors: [[409, 'EMAIL_ALREADY_VERIFIED']],
  })
  async resend(@Auth() auth: AuthContext, @Req() request: Request): Promise<void> {
    await this.verification.resend(auth, requestMeta(request));
  }
}
