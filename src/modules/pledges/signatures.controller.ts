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
import type { Actor, AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { beijingDateTime, bilingual } from '../documents/document-facts.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentRenderer } from '../documents/document-renderer.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import { FirmsService } from '../membership/firms.service.js';
import { ConventionsService } from './conventions.service.js';
import { CheckTextDto } from './dto/check-text.dto.js';
import { SignConventionDto } from './dto/sign-convention.dto.js';
import {
  SignaturesService,
  type SignatureView,
  type TextCheckResult,
  type VerificationResult,
} from './signatures.service.js';

/** What the receipt PDF needs; the API and the page controller share it. */
export interface PledgeReceiptPdfDeps {
  signatures: SignaturesService;
  conventions: ConventionsService;
  firms: FirmsService;
  renderer: DocumentRenderer;
  links: DocumentLinks;
}

/**
 * The signing receipt as a PDF (自律公约签署回执), for the same readers as the receipt page: its
 * firm's users and staff (others 404). Its QR code opens the public pledge check.
 */
export async function pledgeReceiptPdf(
  deps: PledgeReceiptPdfDeps,
  actor: Actor,
  id: string,
): Promise<{ fileName: string; pdf: Buffer }> {
  const record = await deps.signatures.receipt(actor, id);
  const [version, firm, check] = await Promise.all([
    deps.conventions.getVersion(record.conventionVersionId),
    deps.firms.findById(record.firmId),
    deps.signatures.verify(record.id),
  ]);
  const pdf = await deps.renderer.render(
    'pledge-receipt',
    {
      holder: {
        firmNameZh: firm?.name ?? '—',
        firmNameEn: firm?.nameEn ?? null,
        creditCode: firm?.creditCode ?? '—',
      },
      conventionTitleZh: version.titleZh,
      conventionTitleEn: version.titleEn,
      conventionVersion: version.versionNumber,
      signatoryName: record.typedName,
      signatoryTitle: record.signerTitle,
      signedAt: beijingDateTime(record.signedAt),
      signatureId: record.id,
      textFingerprint: record.textFingerprint,
      status: bilingual(translate, `pledgeVerify.status.${check.status}`),
    },
    {
      number: record.id,
      issuedOn: beijingDate(new Date(record.signedAt)),
      verifyUrl: deps.links.pledgeVerifyUrl(record.id),
    },
  );
  return { fileName: `pledge-receipt-${record.id}.pdf`, pdf };
}

@ApiTags('pledges')
@Controller('api/v1')
export class SignaturesController {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly conventions: ConventionsService,
    private readonly firms: FirmsService,
    private readonly renderer: DocumentRenderer,
    private readonly links: DocumentLinks,
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
    const { fileName, pdf } = await pledgeReceiptPdf(
      {
        signatures: this.signatures,
        conventions: this.conventions,
        firms: this.firms,
        renderer: this.renderer,
        links: this.links,
      },
      auth.user,
      id,
    );
    sendDocumentHeaders(res, 'application/pdf', fileName, pdf.length);
    return new StreamableFile(pdf);
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
