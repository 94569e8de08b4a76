import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingYear } from '../../common/time/beijing.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, localeOf, text } from '../auth/page-forms.js';
import { BulkIssuanceService, type BatchView } from './bulk-issuance.service.js';
import { CertificatesError } from './certificates.errors.js';
import { CERTIFICATE_KINDS } from './pdf/certificate-facts.js';

/** Seconds between refreshes of a running batch's page. */
const REFRESH_SECONDS = 3;

interface Notice {
  kind: 'success' | 'error';
  message: string;
}

/** The words for a failed item: the eligibility reason's label, else the error as recorded. */
function reasonLabel(locale: Locale, errorCode: string | null, detail: string | null): string {
  if (errorCode === 'NOT_ELIGIBLE' && detail) {
    for (const key of [`certificates.reason.${detail}`, `certificates.batches.reason.${detail}`])
      if (isMessageKey(key)) return translate(locale, key);
    return detail;
  }
  return translate(locale, 'certificates.batches.reason.error', {
    detail: detail ?? errorCode ?? '',
  });
}

function refusal(locale: Locale, error: CertificatesError): Notice {
  const base = locale === 'en' ? error.spec.en : error.spec.zh;
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  const why = typeof reason === 'string' ? reasonLabel(locale, 'NOT_ELIGIBLE', reason) : '';
  return { kind: 'error', message: why ? `${base} ${why}` : base };
}

/** Staff pages for bulk issuance: the batches, a form to start one, and a batch's progress. */
@ApiExcludeController()
@Controller('staff/certificates/batches')
export class BulkIssuancePagesController {
  constructor(
    private readonly bulk: BulkIssuanceService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Roles('staff_admin', 'staff_reviewer')
  async list(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderList(auth, req, res, typeof query.cursor === 'string' ? query.cursor : '');
  }

  @Post()
  @Roles('staff_admin')
  async start(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const kind = text(body.kind, 16);
    const yearText = text(body.year, 8).trim();
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    try {
      const batch = await this.bulk.start(auth.user, {
        kind,
        year: kind === 'membership' ? year : undefined,
      });
      this.pages.redirect(res, `/staff/certificates/batches/${batch.id}`);
    } catch (error) {
      if (!(error instanceof CertificatesError)) throw error;
      await this.renderList(auth, req, res, '', refusal(localeOf(req), error), error.spec.status);
    }
  }

  @Get(':id')
  @Roles('staff_admin', 'staff_reviewer')
  async batch(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const batch = await this.bulk.get(auth.user, id);
    const failures = await this.bulk.failures(auth.user, id, {
      cursor: typeof query.cursor === 'string' ? query.cursor : undefined,
      limit: 100,
    });
    const running = batch.state !== 'done';
    // The page follows the batch while it runs (the header is the equivalent of a meta refresh).
    if (running) res.setHeader('Refresh', String(REFRESH_SECONDS));
    this.pages.send(req, res, 'certificates/batch', {
      titleKey: 'certificates.batches.detail.title',
      batch: this.row(locale, batch),
      running,
      refreshSeconds: REFRESH_SECONDS,
      failures: failures.items.map((f) => ({
        firmName: f.firmName,
        reason: reasonLabel(locale, f.errorCode, f.errorDetail),
        errorDetail: f.errorDetail ?? '',
      })),
      nextFailures: failures.nextCursor
        ? `/staff/certificates/batches/${batch.id}?cursor=${encodeURIComponent(failures.nextCursor)}`
        : null,
    });
  }

  private async renderList(
    auth: AuthContext,
    req: Request,
    res: Response,
    cursor: string,
    notice: Notice | null = null,
    status = 200,
  ): Promise<void> {
    const locale = localeOf(req);
    const page = await this.bulk.list(auth.user, { cursor: cursor || undefined, limit: 20 });
    const thisYear = beijingYear(new Date());
    this.pages.send(
      req,
      res,
      'certificates/batch-list',
      {
        titleKey: 'certificates.batches.title',
        notice,
        canStart: auth.user.role === 'staff_admin',
        kinds: CERTIFICATE_KINDS.map((k) => ({
          value: k,
          label: translate(locale, `certificates.kind.${k}`),
        })),
        years: [thisYear, thisYear + 1],
        thisYear,
        items: page.items.map((b) => this.row(locale, b)),
        nextPath: page.nextCursor
          ? `/staff/certificates/batches?cursor=${encodeURIComponent(page.nextCursor)}`
          : null,
      },
      status,
    );
  }

  private row(locale: Locale, b: BatchView) {
    return {
      ...b,
      kindLabel: translate(locale, `certificates.kind.${b.kind}`),
      stateLabel: translate(locale, `certificates.batches.state.${b.state}`),
      progress: translate(locale, 'certificates.batches.progress', {
        done: b.done,
        total: b.total,
      }),
      path: `/staff/certificates/batches/${b.id}`,
    };
  }
}
