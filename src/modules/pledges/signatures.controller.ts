import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { pdfDownload } from '../files/uploaded-file.js';
import { CheckTextDto } from './dto/check-text.dto.js';
import { PledgeReceiptPdfService } from './pledge-receipt-pdf.service.js';
import { SignConventionDto } from './dto/sign-convention.dto.js';
import {
  SignaturesService,
  type SignatureView,
  type TextCheckResult,
  type VerificationResult,
} from './signatures.service.js';

/** What the receipt PDF needs; the API and the page controller share it. */

@ApiTags('pledges')
@Controller('api/v1')
export class SignaturesController {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly receiptDocuments: PledgeReceiptPdfService,
  ) {}

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

  @Get('pledges/signatures/:id/pdf')
  @ApiProduces('application/pdf')
  @ApiDocumented({
    summary:
      'The signing receipt as a PDF (自律公约签署回执) with a QR code of the public check (its firm and staff)',
    access: ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'],
    errors: [[404, 'SIGNATURE_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The PDF.' })
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { fileName, pdf } = await this.receiptDocuments.render(auth.user, id);
    return pdfDownload(res, fileName, pdf);
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
