import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, localeOf, text } from '../auth/page-forms.js';
import { sendPdf } from '../files/uploaded-file.js';
import { CertificatesError } from './certificates.errors.js';
import {
  CertificatesService,
  isCertificateKind,
  type CertificatePage,
  type CertificateView,
} from './certificates.service.js';
import { CERTIFICATE_KINDS } from './pdf/certificate-facts.js';

interface Notice {
  kind: 'success' | 'error';
  message: string;
}

function label(locale: Locale, key: string, fallback: string): string {
  return isMessageKey(key) ? translate(locale, key) : fallback;
}

/** A refusal shown on the page: the error's words and, for NOT_ELIGIBLE, why. */
function refusal(locale: Locale, error: CertificatesError): Notice {
  const base = locale === 'en' ? error.spec.en : error.spec.zh;
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  const why =
    typeof reason === 'string' ? label(locale, `certificates.reason.${reason}`, reason) : '';
  return { kind: 'error', message: why ? `${base} ${why}` : base };
}

function doneNotice(locale: Locale, query: Record<string, unknown>): Notice | null {
  if (query.done === 'revoked')
    return { kind: 'success', message: translate(locale, 'certificates.done.revoked') };
  if (typeof query.issued === 'string' && /^SZIFA-[A-Z]{3}-\d{4}-\d{6}$/.test(query.issued))
    return {
      kind: 'success',
      message: translate(locale, 'certificates.done.issued', { serial: query.issued }),
    };
  return null;
}

/** Staff issue and revoke certificates; firms list and download theirs. */
@ApiExcludeController()
@Controller()
export class CertificatesPagesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('staff/certificates')
  @Roles('staff_admin', 'staff_reviewer')
  async staffList(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderStaff(auth, req, res, query, doneNotice(localeOf(req), query));
  }

  @Post('staff/certificates')
  @Roles('staff_admin', 'staff_reviewer')
  async issue(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const kind = text(body.kind, 16);
    const firmId = text(body.firmId, 64);
    try {
      if (!isCertificateKind(kind)) throw new CertificatesError('KIND_INVALID');
      const subjectId = await this.certificates.subjectFor(kind, firmId);
      const cert = await this.certificates.issue(auth.user, kind, subjectId);
      this.pages.redirect(res, `/staff/certificates?issued=${encodeURIComponent(cert.serial)}`);
    } catch (error) {
      if (!(error instanceof CertificatesError)) throw error;
      await this.renderStaff(auth, req, res, {}, refusal(localeOf(req), error), error.spec.status);
    }
  }

  @Post('staff/certificates/:id/revoke')
  @Roles('staff_admin')
  async revoke(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.certificates.revoke(auth.user, id, text(bodyOf(req).reason, 2000));
      this.pages.redirect(res, '/staff/certificates?done=revoked');
    } catch (error) {
      if (!(error instanceof CertificatesError) || error.code === 'CERTIFICATE_NOT_FOUND')
        throw error;
      await this.renderStaff(auth, req, res, {}, refusal(localeOf(req), error), error.spec.status);
    }
  }

  @Get('firm/certificates')
  @Roles('firm_admin', 'firm_member')
  async firmList(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.certificates.list(auth.user, {
      cursor: typeof query.cursor === 'string' ? query.cursor : undefined,
    });
    this.pages.send(req, res, 'certificates/firm-list', {
      titleKey: 'certificates.firm.title',
      ...(await this.rows(localeOf(req), page, false)),
    });
  }

  /** The PDF for staff and the holder's users (others 404), re-rendered and checked. */
  @Get('certificates/:id/pdf')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { serial, pdf } = await this.certificates.pdf(auth.user, id);
    sendPdf(res, `${serial}.pdf`, pdf);
  }

  private async renderStaff(
    auth: AuthContext,
    req: Request,
    res: Response,
    query: Record<string, unknown>,
    notice: Notice | null,
    status = 200,
  ): Promise<void> {
    const locale = localeOf(req);
    const kind = isCertificateKind(query.kind) ? query.kind : '';
    const state = query.status === 'valid' || query.status === 'revoked' ? query.status : '';
    const page = await this.certificates.list(auth.user, {
      kind: kind || undefined,
      status: state || undefined,
      cursor: typeof query.cursor === 'string' ? query.cursor : undefined,
    });
    const firms = await this.certificates.activeFirms();
    this.pages.send(
      req,
      res,
      'certificates/staff-list',
      {
        titleKey: 'certificates.staff.title',
        notice,
        kinds: CERTIFICATE_KINDS.map((k) => ({
          value: k,
          label: translate(locale, `certificates.kind.${k}`),
          selected: k === kind,
        })),
        statuses: (['valid', 'revoked'] as const).map((s) => ({
          value: s,
          label: translate(locale, `certificates.status.${s}`),
          selected: s === state,
        })),
        firms: firms.map((f) => ({ id: f.id, name: f.name })),
        nextQuery: page.nextCursor
          ? new URLSearchParams({ kind, status: state, cursor: page.nextCursor }).toString()
          : null,
        ...(await this.rows(locale, page, auth.user.role === 'staff_admin')),
      },
      status,
    );
  }

  private async rows(locale: Locale, page: CertificatePage, canRevoke: boolean) {
    const names = await this.certificates.firmNames(page.items.map((c) => c.firmId));
    return {
      items: page.items.map((c: CertificateView) => ({
        id: c.id,
        serial: c.serial,
        kindLabel: translate(locale, `certificates.kind.${c.kind}`),
        firmName: names.get(c.firmId) ?? c.firmId,
        issuedOn: c.issuedOn,
        expiresOn: c.expiresOn,
        status: c.status,
        statusLabel: translate(locale, `certificates.status.${c.status}`),
        revokedText:
          c.status === 'revoked'
            ? translate(locale, 'certificates.revokedReason', {
                reason: label(
                  locale,
                  `certificates.revokedReason.${c.revokedReason ?? 'manual'}`,
                  c.revokedReason ?? '',
                ),
              })
            : null,
        revokedNote: c.revokedNote,
        verifyPath: `/verify/${c.serial}`,
        canRevoke: canRevoke && c.status === 'valid',
      })),
      nextCursor: page.nextCursor,
    };
  }
}
