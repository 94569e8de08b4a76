import {
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Public, Roles } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AuthError } from '../auth/auth.errors.js';
import { bodyOf, catalogueError, domainFieldError, localeOf, text } from '../auth/page-forms.js';
import { type UploadedFileData, sendPdf } from '../files/uploaded-file.js';
import { MembershipError } from '../membership/membership.errors.js';
import { consentFingerprint } from './consent.js';
import { ConventionsService } from './conventions.service.js';
import { PledgesError, type PledgesErrorCode } from './pledges.errors.js';
import { PledgeReceiptPdfService } from './pledge-receipt-pdf.service.js';
import {
  SignaturesService,
  type SignatureView,
  type TextCheckResult,
} from './signatures.service.js';

const SIGN_FIELDS = ['typedName', 'signerTitle', 'consent', 'password', 'totpCode'] as const;
type SignField = (typeof SIGN_FIELDS)[number];

/** Refusals shown beside the field they are about; others go to the top of the form. */
const FIELD_OF: Partial<Record<PledgesErrorCode, SignField>> = {
  TYPED_NAME_MISMATCH: 'typedName',
  CONSENT_REQUIRED: 'consent',
  REAUTH_FAILED: 'password',
  TOTP_REQUIRED: 'totpCode',
};

/** Largest text file the public text check reads. */
const TEXT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024;

interface SignValues {
  typedName: string;
  signerTitle: string;
  consent: boolean;
}

/** The signing ceremony, the receipt, and public verification, as pages. */
@ApiExcludeController()
@Controller()
export class SignaturesPagesController {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly conventions: ConventionsService,
    private readonly pages: PageRenderer,
    private readonly receiptDocuments: PledgeReceiptPdfService,
  ) {}

  @Get('firm/pledge')
  @Roles('firm_admin', 'firm_member')
  async form(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderSign(auth, req, res, { typedName: '', signerTitle: '', consent: false });
  }

  @Post('firm/pledge')
  @Roles('firm_admin', 'firm_member')
  async sign(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const values: SignValues = {
      typedName: text(body.typedName, 100),
      signerTitle: text(body.signerTitle, 100),
      consent: body.consent === 'yes',
    };
    const password = text(body.password, 200);
    const blank: FieldError[] = [];
    if (values.typedName.trim() === '')
      blank.push(catalogueError('typedName', 'isNotEmpty', 'pledgeSign.error.typedName'));
    if (values.signerTitle.trim() === '')
      blank.push(catalogueError('signerTitle', 'isNotEmpty', 'pledgeSign.error.signerTitle'));
    if (password === '')
      blank.push(catalogueError('password', 'isNotEmpty', 'pledgeSign.error.password'));
    if (blank.length > 0) return this.renderSign(auth, req, res, values, blank, null, 400);
    let signed: SignatureView;
    try {
      signed = await this.signatures.sign(
        auth.user,
        {
          firmId: auth.user.firmId ?? '',
          conventionVersionId: text(body.conventionVersionId, 36),
          typedName: values.typedName,
          signerTitle: values.signerTitle,
          consent: values.consent,
          password,
          totpCode: text(body.totpCode, 16),
        },
        requestMeta(req),
      );
    } catch (error) {
      const locale = localeOf(req);
      if (error instanceof PledgesError) {
        const field = FIELD_OF[error.code];
        if (field)
          return this.renderSign(
            auth,
            req,
            res,
            values,
            [domainFieldError(field, error)],
            null,
            error.spec.status,
          );
        if (
          [
            'ALREADY_SIGNED',
            'VERSION_NOT_IN_FORCE',
            'NOTHING_TO_SIGN',
            'FIRM_CANNOT_SIGN',
          ].includes(error.code)
        )
          return this.renderSign(
            auth,
            req,
            res,
            values,
            [],
            error.spec[locale === 'en' ? 'en' : 'zh'],
            error.spec.status,
          );
      }
      if (error instanceof AuthError && error.code === 'TOO_MANY_ATTEMPTS')
        return this.renderSign(
          auth,
          req,
          res,
          values,
          [],
          error.spec[locale === 'en' ? 'en' : 'zh'],
          429,
        );
      throw error;
    }
    this.pages.redirect(res, `/pledges/signatures/${signed.id}/receipt?done=signed`);
  }

  @Get('pledges/signatures/:id/receipt')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async receipt(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const record = await this.signatures.receipt(auth.user, id);
    const version = await this.conventions.getVersion(record.conventionVersionId);
    this.pages.send(req, res, 'pledges/receipt', {
      titleKey: 'pledgeReceipt.title',
      justSigned: done === 'signed',
      record,
      versionNumber: version.versionNumber,
      versionTitle: localeOf(req) === 'en' ? (version.titleEn ?? version.titleZh) : version.titleZh,
      authMethodLabel: translate(localeOf(req), `pledgeReceipt.auth.${record.authMethod}`),
      verifyPath: `/verify/pledge/${record.id}`,
      pdfPath: `/pledges/signatures/${record.id}/receipt/pdf`,
    });
  }

  /** The receipt as a PDF, for the same readers as the receipt page (others 404). */
  @Get('pledges/signatures/:id/receipt/pdf')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async receiptPdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { fileName, pdf } = await this.receiptDocuments.render(auth.user, id);
    sendPdf(res, fileName, pdf);
  }

  @Get('verify/pledge/:id')
  @Public()
  async verify(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.signatures.verify(id);
    const version = result.record
      ? await this.conventions.getVersion(result.record.conventionVersionId).catch(() => null)
      : null;
    this.pages.send(req, res, 'pledges/verify', {
      titleKey: 'pledgeVerify.title',
      status: result.status,
      statusLabel: translate(localeOf(req), `pledgeVerify.status.${result.status}`),
      explanation: translate(localeOf(req), `pledgeVerify.explain.${result.status}`),
      signatureId: id,
      checks: result.checks,
      record: result.record,
      versionNumber: version?.versionNumber ?? null,
    });
  }

  @Get('verify/text')
  @Public()
  async textForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderTextCheck(req, res, null, '', null);
  }

  @Post('verify/text')
  @Public()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: TEXT_UPLOAD_MAX_BYTES } }))
  async checkText(
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const versionNumber = Number(text(body.versionNumber, 9));
    const pasted = text(body.text, 1_000_000);
    const submitted = file && file.size > 0 ? file.buffer.toString('utf8') : pasted;
    const problems: FieldError[] = [];
    if (!Number.isSafeInteger(versionNumber) || versionNumber < 1)
      problems.push(catalogueError('versionNumber', 'isNotEmpty', 'pledgeTextCheck.error.version'));
    if (submitted.trim() === '')
      problems.push(catalogueError('text', 'isNotEmpty', 'pledgeTextCheck.error.text'));
    if (problems.length > 0)
      return this.renderTextCheck(req, res, null, pasted, versionNumber || null, problems, 400);
    let result: TextCheckResult;
    try {
      result = await this.signatures.checkText(versionNumber, submitted);
    } catch (error) {
      if (error instanceof PledgesError && error.code === 'CONVENTION_NOT_FOUND')
        return this.renderTextCheck(
          req,
          res,
          null,
          pasted,
          versionNumber,
          [domainFieldError('versionNumber', error)],
          404,
        );
      throw error;
    }
    await this.renderTextCheck(req, res, result, file ? '' : pasted, versionNumber);
  }

  private async renderTextCheck(
    req: Request,
    res: Response,
    result: TextCheckResult | null,
    pasted: string,
    versionNumber: number | null,
    problems: FieldError[] = [],
    status = 200,
  ): Promise<void> {
    const locale = localeOf(req);
    const versions = await this.conventions.listVersions();
    const { errors, errorList } = formErrors(locale, ['versionNumber', 'text'] as const, problems);
    this.pages.send(
      req,
      res,
      'pledges/text-check',
      {
        titleKey: 'pledgeTextCheck.title',
        versions: versions.map((v) => ({
          value: v.versionNumber,
          label: translate(locale, 'pledgeTextCheck.versionOption', { number: v.versionNumber }),
          selected: v.versionNumber === versionNumber,
        })),
        pasted,
        result: result
          ? {
              ...result,
              partLabel: result.matchedPart
                ? translate(locale, `pledgeTextCheck.part.${result.matchedPart}`)
                : null,
            }
          : null,
        errors,
        errorList,
      },
      status,
    );
  }

  private async renderSign(
    auth: AuthContext,
    req: Request,
    res: Response,
    values: SignValues,
    problems: FieldError[] = [],
    formMessage: string | null = null,
    status = 200,
  ): Promise<void> {
    const locale: Locale = localeOf(req);
    if (!auth.user.firmId) throw new MembershipError('FIRM_NOT_FOUND');
    const { firm, version, existing, consent } = await this.signatures.prepare(
      auth.user,
      auth.user.firmId,
    );
    const { errors, errorList } = formErrors(locale, SIGN_FIELDS, problems, { formMessage });
    const preview = version ? this.conventions.preview(version) : null;
    this.pages.send(
      req,
      res,
      'pledges/sign',
      {
        titleKey: 'pledgeSign.title',
        firmName: firm.name,
        version:
          version && preview
            ? {
                id: version.id,
                versionNumber: version.versionNumber,
                titleZh: version.titleZh,
                titleEn: version.titleEn,
                effectiveOn: version.effectiveOn,
                fingerprint: version.fingerprint,
                htmlZh: preview.zh,
                htmlEn: preview.en,
              }
            : null,
        existingId: existing?.id ?? null,
        consent: {
          version: consent.version,
          zh: consent.zh,
          en: consent.en,
          fingerprint: consentFingerprint(consent),
        },
        mfaEnabled: auth.mfaEnabled,
        values,
        errors,
        errorList,
      },
      status,
    );
  }
}
