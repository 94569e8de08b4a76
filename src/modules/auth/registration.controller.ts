import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { toFirmView } from '../membership/firms.service.js';
import {
  RegisteredComplainantResponse,
  RegisteredFirmResponse,
  RegisteredUserView,
} from './dto/account-responses.dto.js';
import { RegisterComplainantDto } from './dto/register-complainant.dto.js';
import { RegisterFirmDto } from './dto/register-firm.dto.js';
import { RegistrationService } from './registration.service.js';

const PASSWORD_ERRORS: Array<[number, string]> = [
  [400, 'PASSWORD_TOO_SHORT'],
  [400, 'PASSWORD_TOO_LONG'],
  [400, 'PASSWORD_TOO_COMMON'],
  [400, 'PASSWORD_CONTAINS_IDENTITY'],
];

@ApiTags('auth')
@Controller('api/v1/auth/register')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post('complainant')
  @ApiDocumented({
    summary: 'Register as a complainant; a verification e-mail is sent',
    access: 'public',
    errors: [[400, 'VALIDATION_FAILED'], ...PASSWORD_ERRORS, [409, 'EMAIL_TAKEN']],
  })
  @ApiCreatedResponse({ type: RegisteredComplainantResponse })
  async complainant(
    @Body() body: RegisterComplainantDto,
    @Req() request: Request,
  ): Promise<RegisteredComplainantResponse> {
    const user = await this.registration.registerComplainant(
      { ...body, locale: body.locale ?? request.locale ?? 'zh-CN' },
      requestMeta(request),
    );
    return { user: RegisteredUserView.of(user) };
  }

  @Post('firm')
  @ApiDocumented({
    summary: 'Register a firm as an applicant together with its first administrator',
    description:
      'The firm and its administrator are stored together or not at all; a verification e-mail is sent.',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CREDIT_CODE_INVALID'],
      ...PASSWORD_ERRORS,
      [409, 'CREDIT_CODE_TAKEN'],
      [409, 'EMAIL_TAKEN'],
    ],
  })
  @ApiCreatedResponse({ type: RegisteredFirmResponse })
  async firm(
    @Body() body: RegisterFirmDto,
    @Req() request: Request,
  ): Promise<RegisteredFirmResponse> {
    const { user, firm } = await this.registration.registerFirm(
      { ...body, locale: request.locale ?? 'zh-CN' },
      requestMeta(request),
    );
    return { user: RegisteredUserView.of(user), firm: toFirmView(firm) };
  }
}
