import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError, DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { bodyOf, localeOf, text } from '../auth/page-forms.js';
import { FilesError, type FilesErrorCode } from '../files/files.errors.js';
import { AppealsService } from './appeals.service.js';
import { ConflictsService } from './conflicts.service.js';
import { GRADES } from './grades.js';
import { OverviewService, OVERVIEW_STATES } from './overview.service.js';
import { PublicationService } from './publication.service.js';
import { ratingsErrorSpec } from './ratings.errors.js';
import { REVIEW_TEXT_MAX, ReviewService, type HistoryItem } from './review.service.js';

const COMMON_NOTICES = ['CONFLICT', 'FORBIDDEN', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'] as const;
const FILE_NOTICES: readonly FilesErrorCode[] = ['UNSUPPORTED_FILE_TYPE', 'FILE_MISSING'];

function noticeSpec(code: string): ErrorSpec | null {
  if ((COMMON_NOTICES as readonly string[]).includes(code))
    return new CommonError(code as (typeof COMMON_NOTICES)[number]).spec;
  if ((FILE_NOTICES as readonly string[]).includes(code))
    return new FilesError(code as FilesErrorCode).spec;
  return ratingsErrorSpec(code);
}

export interface PageNotice {
  kind: 'success' | 'error';
  message: string;
}

/** The notice for `?done=<key>` (ratings.review.done.*) or `?error=<CODE>`; unknown ones: none. */
export function ratingsNotice(
  locale: Locale,
  query: { done?: unknown; error?: unknown },
): PageNotice | null {
  if (typeof query.error === 'string') {
    const spec = noticeSpec(query.error);
    if (spec) return { kind: 'error', message: locale === 'en' ? spec.en : spec.zh };
  }
  if (typeof query.done === 'string') {
    const key = `ratings.review.done.${query.done}`;
    if (isMessageKey(key)) return { kind: 'success', message: translate(locale, key) };
  }
  return null;
}

/**
 * Runs a form's action and sends the person back to `back` with `?done=` or `?error=`; not-found
 * and server errors still become error pages.
 */
export async function runRatingsAction(
  pages: PageRenderer,
  res: Response,
  back: string,
  work: () => Promise<string>,
): Promise<void> {
  try {
    const done = await work();
    pages.redirect(res, `${back}?done=${encodeURIComponent(done)}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const refused = error as DomainError<string>;
    const status = refused.spec.status;
    if (
      status < 400 ||
      status >= 500 ||
      status === 401 ||
      status === 404 ||
      !noticeSpec(refused.code)
    )
      throw error;
    pages.redirect(res, `${back}?error=${encodeURIComponent(refused.code)}`);
  }
}

/** History rows with their labels, for the templates. */
export function historyRows(locale: Locale, rows: HistoryItem[]) {
  return rows.map((h) => {
    const key = `ratings.review.action.${h.action}`;
    return {
      ...h,
      label: isMessageKey(key) ? translate(locale, key) : h.action,
      actorName: h.actorName ?? translate(locale, 'ratings.review.system'),
      comment: h.comment ?? null,
      grade: h.grade ?? null,
    };
  });
}

const versionOf = (body: Record<string, unknown>): number | undefined => {
  const v = Number(text(body.version, 12));
  return Number.isInteger(v) && v > 0 ? v : undefined;
};

/** Staff pages: review queue, submission review, declared links, appeals, cycle overview. */
@ApiExcludeController()
@Controller('staff/ratings')
@Roles('staff_admin', 'staff_reviewer')
export class RatingsReviewPagesController {
  constructor(
    private readonly review: ReviewService,
    private readonly publication: PublicationService,
    private readonly conflicts: ConflictsService,
    private readonly appeals: AppealsService,
    private readonly overview: OverviewService,
    private readonly config: AppConfig,
    private readonly pages: PageRenderer,
  ) {}

  @Get('reviews')
  async queue(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    const locale = localeOf(req);
    const items = await this.review.queue(auth.user);
    this.pages.send(req, res, 'ratings/reviews', {
      items: items.map((i) => ({
        ...i,
        cycleName: locale === 'en' ? i.cycleNameEn : i.cycleNameZh,
        stateLabel: translate(locale, `ratings.submissionState.${i.state}`),
      })),
    });
  }

  @Get('submissions/:id')
  async submission(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const view = await this.review.view(auth.user, id);
    const can = (a: string) => view.actions.includes(a as never);
    this.pages.send(req, res, 'ratings/review', {
      notice: ratingsNotice(locale, query),
      s: {
        ...view,
        cycleName: locale === 'en' ? view.cycleNameEn : view.cycleNameZh,
        stateLabel: translate(locale, `ratings.submissionState.${view.state}`),
      },
      breakdown:
        view.breakdown?.map((l) => ({
          ...l,
          name: locale === 'en' ? l.nameEn : l.nameZh,
          value: locale === 'en' ? l.valueEn : l.valueZh,
          sourceLabel: translate(locale, `ratings.source.${l.source}`),
        })) ?? null,
      history: historyRows(locale, view.history),
      grades: GRADES.map((g) => ({ value: g, selected: g === view.computedGrade })),
      can: {
        return: can('return'),
        propose: can('propose'),
        confirm: can('confirm'),
        sendBack: can('send_back'),
        publish: can('publish'),
        any: view.actions.length > 0,
      },
      months: this.config.RATING_VALIDITY_MONTHS,
      textMax: REVIEW_TEXT_MAX,
    });
  }

  @Post('submissions/:id/:action')
  act(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('action') action: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body = bodyOf(req);
    const meta = requestMeta(req);
    const expectedVersion = versionOf(body);
    const comment = text(body.comment, REVIEW_TEXT_MAX);
    return runRatingsAction(this.pages, res, `/staff/ratings/submissions/${id}`, async () => {
      switch (action) {
        case 'return':
          await this.review.returnForCorrection(auth.user, id, { comment, expectedVersion }, meta);
          return 'return';
        case 'propose':
          await this.review.propose(
            auth.user,
            id,
            {
              grade: text(body.grade, 4),
              rationale: text(body.rationale, REVIEW_TEXT_MAX),
              expectedVersion,
            },
            meta,
          );
          return 'propose';
        case 'confirm':
          await this.review.confirm(auth.user, id, { expectedVersion }, meta);
          return 'confirm';
        case 'send-back':
          await this.review.sendBack(auth.user, id, { comment, expectedVersion }, meta);
          return 'sendBack';
        case 'publish':
          await this.publication.publish(auth.user, id, { expectedVersion }, meta);
          return 'publish';
        default:
          throw new CommonError('NOT_FOUND');
      }
    });
  }

  @Get('conflicts')
  async conflictsPage(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    this.pages.send(req, res, 'ratings/conflicts', {
      notice: ratingsNotice(localeOf(req), query),
      items: await this.conflicts.list(auth.user),
      firms: await this.conflicts.firmChoices(),
    });
  }

  @Post('conflicts')
  declare(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    const body = bodyOf(req);
    return runRatingsAction(this.pages, res, '/staff/ratings/conflicts', async () => {
      const firmId = text(body.firmId, 36);
      if (!/^[0-9a-f-]{36}$/i.test(firmId)) throw new CommonError('VALIDATION_FAILED');
      await this.conflicts.declare(
        auth.user,
        { firmId, note: text(body.note, 500) },
        requestMeta(req),
      );
      return 'conflictAdded';
    });
  }

  @Post('conflicts/:id/remove')
  removeConflict(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return runRatingsAction(this.pages, res, '/staff/ratings/conflicts', async () => {
      await this.conflicts.remove(auth.user, id, requestMeta(req));
      return 'conflictRemoved';
    });
  }

  @Get('appeals')
  async appealsPage(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    const locale = localeOf(req);
    const items = await this.appeals.pending(auth.user);
    this.pages.send(req, res, 'ratings/appeals', {
      items: items.map((a) => ({
        ...a,
        stateLabel: translate(locale, `ratings.appealState.${a.state}`),
      })),
    });
  }

  @Get('appeals/:id')
  async appealPage(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const appeal = await this.appeals.get(auth.user, id);
    this.pages.send(req, res, 'ratings/appeal', {
      notice: ratingsNotice(locale, query),
      appeal: {
        ...appeal,
        stateLabel: translate(locale, `ratings.appealState.${appeal.state}`),
        pending: appeal.state === 'pending',
      },
      grades: GRADES.filter((g) => g !== appeal.grade),
      textMax: REVIEW_TEXT_MAX,
    });
  }

  @Post('appeals/:id/decide')
  decide(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body = bodyOf(req);
    return runRatingsAction(this.pages, res, `/staff/ratings/appeals/${id}`, async () => {
      await this.appeals.decide(
        auth.user,
        id,
        {
          outcome: text(body.outcome, 10),
          grade: text(body.grade, 4) || null,
          rationale: text(body.rationale, REVIEW_TEXT_MAX),
          expectedVersion: versionOf(body),
        },
        requestMeta(req),
      );
      return 'appealDecided';
    });
  }

  @Get('cycles/:id/overview')
  async overviewPage(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const o = await this.overview.overview(auth.user, id);
    const label = (s: string) =>
      s === 'not_started'
        ? translate(locale, 'ratings.overview.state.not_started')
        : translate(locale, `ratings.submissionState.${s}`);
    this.pages.send(req, res, 'ratings/overview', {
      cycleName: locale === 'en' ? o.nameEn : o.nameZh,
      counts: OVERVIEW_STATES.map((s) => ({ state: s, label: label(s), count: o.counts[s] })),
      svg: this.overview.chart(o, locale),
      rows: o.rows.map((r) => ({ ...r, stateLabel: label(r.state) })),
      csvUrl: `/staff/ratings/cycles/${id}/overview.csv`,
    });
  }

  @Get('cycles/:id/overview.csv')
  async overviewCsv(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const csv = this.overview.csv(await this.overview.overview(auth.user, id), localeOf(req));
    res
      .status(200)
      .setHeader('Content-Type', 'text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="rating-overview-${id}.csv"`)
      .send(csv);
  }
}
