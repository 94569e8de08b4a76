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
import { Public } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { domainFieldError, localeOf } from '../auth/page-forms.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { formatBytes } from '../membership/firm-portal.view.js';
import { CertificatesError } from './certificates.errors.js';
import {
  VerificationService,
  type PdfVerification,
  type Verification,
} from './verification.service.js';

interface FactRow {
  label: string;
  value: string;
}

/** Verification pages are for people holding a certificate, not for search engines. */
function noindex(res: Response): void {
  res.setHeader('X-Robots-Tag', 'noindex');
}

/**
 * Public verification pages (issue 7 §5): /verify/{serial} is the QR code's target; /verify has
 * a serial form (GET, redirects to the certificate's page) and a PDF upload (POST, multipart,
 * `_csrf` in the query). Nothing uploaded is kept.
 */
@ApiExcludeController()
@Controller()
export class VerificationPagesController {
  constructor(
    private readonly verification: VerificationService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('verify')
  @Public()
  form(@Query('serial') serial: unknown, @Req() req: Request, @Res() res: Response): void {
    const wanted = typeof serial === 'string' ? serial.trim() : '';
    if (wanted !== '') return this.pages.redirect(res, `/verify/${encodeURIComponent(wanted)}`);
    this.renderForm(req, res, null);
  }

  @Post('verify')
  @Public()
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const result = await this.verification.verifyPdf(file?.buffer);
      this.renderForm(req, res, result);
    } catch (error) {
      if (!(error instanceof CertificatesError)) throw error;
      this.renderForm(req, res, null, [domainFieldError('file', error)], error.spec.status);
    }
  }

  @Get('verify/:serial')
  @Public()
  async show(@Param('serial') serial: string, @Req() req: Request, @Res() res: Response) {
    const result = await this.verification.verify(serial);
    noindex(res);
    this.pages.send(req, res, 'certificates/verify', {
      titleKey: 'certificates.verify.title',
      ...this.resultModel(localeOf(req), result),
    });
  }

  private renderForm(
    req: Request,
    res: Response,
    result: PdfVerification | null,
    problems: FieldError[] = [],
    status = 200,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, ['file'] as const, problems);
    noindex(res);
    this.pages.send(
      req,
      res,
      'certificates/verify-form',
      {
        titleKey: 'certificates.verify.title',
        maxSize: formatBytes(this.config.UPLOAD_MAX_BYTES),
        pdf: result
          ? {
              issued: result.issued,
              sha256: result.sha256,
              message: result.verification
                ? translate(locale, 'certificates.verify.pdfIssued', {
                    serial: result.verification.serial,
                  })
                : translate(locale, 'certificates.verify.pdfNotIssued'),
              result: result.verification ? this.resultModel(locale, result.verification) : null,
            }
          : null,
        errors,
        errorList,
      },
      status,
    );
  }

  private resultModel(locale: Locale, result: Verification): object {
    const cert = result.certificate;
    const say = (key: string, params?: Record<string, string | number>): string =>
      translate(locale, `certificates.verify.${key}`, params);
    const dateOf = (iso: string): string =>
      new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'medium',
        timeStyle: 'short',
      });
    const reasonKey = result.revocation
      ? `certificates.verify.reason.${result.revocation.reason}`
      : '';
    return {
      status: result.status,
      serial: result.serial,
      statusLabel: say(`status.${result.status}`),
      explanation: say(`explain.${result.status}`, {
        serial: result.serial,
        date:
          result.status === 'revoked' && result.revocation
            ? dateOf(result.revocation.at)
            : (cert?.expiresOn ?? ''),
      }),
      revocation: result.revocation
        ? {
            at: dateOf(result.revocation.at),
            reason: isMessageKey(reasonKey)
              ? translate(locale, reasonKey)
              : result.revocation.reason,
            note: result.revocation.note,
          }
        : null,
      facts: cert ? factRows(locale, cert.kind, cert.facts, say) : [],
      dates: cert ? { issuedOn: cert.issuedOn, expiresOn: cert.expiresOn } : null,
      holder: result.holder
        ? {
            firmStatus: result.holder.firmStatus
              ? translate(locale, `status.${result.holder.firmStatus}`)
              : '—',
            isRating: cert?.kind === 'rating',
            currentGrade: result.holder.currentGrade ?? say('noGrade'),
          }
        : null,
      signed: cert ? { kid: cert.kid, payload: cert.payload, signature: cert.signature } : null,
    };
  }
}

/** The printed facts of a certificate, as label/value rows (missing facts are left out). */
function factRows(
  locale: Locale,
  kind: string,
  facts: Record<string, unknown>,
  say: (key: string) => string,
): FactRow[] {
  const holder = (facts.holder ?? {}) as Record<string, unknown>;
  const pick = (key: string, value: unknown): FactRow | null =>
    typeof value === 'string' || typeof value === 'number'
      ? { label: say(key), value: String(value) }
      : null;
  const convention =
    locale === 'en'
      ? (facts.conventionTitleEn ?? facts.conventionTitleZh)
      : facts.conventionTitleZh;
  const rows = [
    { label: say('kind'), value: say(`kind.${kind}`) },
    pick('holder', holder.firmNameZh),
    pick('holderEn', holder.firmNameEn),
    pick('creditCode', holder.creditCode),
    pick('memberNo', facts.memberNo),
    pick('membershipYear', facts.membershipYear),
    pick('convention', convention),
    pick('signatory', facts.signatoryName),
    pick('signedOn', facts.signedOn),
    pick('grade', facts.grade),
    pick('ratingYear', facts.ratingYear),
    pick('publishedOn', facts.publishedOn),
  ];
  return rows.filter((row): row is FactRow => row !== null);
}
