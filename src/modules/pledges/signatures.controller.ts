import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { CheckTextDto } from './dto/check-text.dto.js';
import { SignConventionDto } from './dto/sign-convention.dto.js';
import {
  SignaturesService,
  type SignatureView,
  type TextCheckResult,
  type VerificationResult,
} from './signatures.service.js';

@ApiTags('pledges')
@Controller('api/v1')
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  @Post('pledges/signatures')
  @ApiDocumented({
    summary:
      'Sign the convention in force for the firm (authorised signatory only; typed name, consent and re-authentication)',
    access: ['firm_admin', 'firm_member'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'TYPED_NAME_MISMATCH'],
      [400, 'CONSENT_REQUIRED'],
      [400, 'REAUTH_FAILED'],
      [400, 'TOTP_REQUIRED'],
      [403, 'NOT_SIGNATORY'],
      [404, 'FIRM_NOT_FOUND'],
      [409, 'ALREADY_SIGNED'],
      [409, 'FIRM_CANNOT_SIGN'],
      [409, 'NOTHING_TO_SIGN'],
      [409, 'VERSION_NOT_IN_FORCE'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ],
  })
  sign(
    @Auth() auth: AuthContext,
    @Body() body: SignConventionDto,
    @Req() req: Request,
  ): Promise<SignatureView> {
    return this.signatures.sign(auth.user, body, requestMeta(req));
  }

  @Get('pledges/signatures/:id')
  @ApiDocumented({
    summary: 'A signature record with every field and the signature (its firm and staff)',
    access: ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'],
    errors: [[404, 'SIGNATURE_NOT_FOUND']],
  })
  receipt(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SignatureView> {
    return this.signatures.receipt(auth.user, id);
  }

  @Get('pledges/signatures/:id/verify')
  @ApiDocumented({
    summary: 'Verify a signature record: status valid, altered, or unknown (200 in every case)',
    access: 'public',
  })
  verify(@Param('id') id: string): Promise<VerificationResult> {
    return this.signatures.verify(id);
  }

  @Post('conventions/:versionNumber/check-text')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Does a text match a published convention version after canonicalisation?',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  checkText(
    @Param('versionNumber', ParseIntPipe) versionNumber: number,
    @Body() body: CheckTextDto,
  ): Promise<TextCheckResult> {
    return this.signatures.checkText(versionNumber, body.text);
  }
}
