import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { PasswordResetRequestedResponse } from './dto/account-responses.dto.js';
import { ConfirmPasswordResetDto } from './dto/confirm-password-reset.dto.js';
import { RequestPasswordResetDto } from './dto/request-password-reset.dto.js';
import { PasswordResetService } from './password-reset.service.js';

/** One answer for every address, so the endpoint cannot be used to learn who has an account. */
export const RESET_REQUESTED: PasswordResetRequestedResponse = {
  status: 'accepted',
  message: {
    'zh-CN': '如果该电子邮箱已注册，我们已发送重置密码的链接，请查收邮件。链接 1 小时内有效。',
    en: 'If an account uses this e-mail address, we have sent it a link to reset the password. The link works for 1 hour.',
  },
};

@ApiTags('auth')
@Controller('api/v1/auth/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post('request')
  @HttpCode(202)
  @ApiDocumented({
    summary:
      'Ask for a password-reset e-mail; the answer is the same whether or not the account exists',
    access: 'public',
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiAcceptedResponse({ type: PasswordResetRequestedResponse })
  async request(
    @Body() body: RequestPasswordResetDto,
    @Req() request: Request,
  ): Promise<PasswordResetRequestedResponse> {
    await this.resets.request(body.email, requestMeta(request));
    return RESET_REQUESTED;
  }

  @Post('confirm')
  @HttpCode(204)
  @ApiDocumented({
    summary:
      'Set a new password with the token from the reset link; every session of the account ends',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'LINK_INVALID'],
      [400, 'PASSWORD_TOO_SHORT'],
      [400, 'PASSWORD_TOO_LONG'],
      [400, 'PASSWORD_TOO_COMMON'],
      [400, 'PASSWORD_CONTAINS_IDENTITY'],
    ],
  })
  async confirm(@Body() body: ConfirmPasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.confirm(body.token, body.newPassword, requestMeta(request));
  }
}
