import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Public, Roles } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, localeOf, text } from '../auth/page-forms.js';
import { sendDocumentHeaders, type UploadedFileData } from '../files/uploaded-file.js';
import { MAX_APPEAL_FILES } from './appeals.controller.js';
import { AppealsService } from './appeals.service.js';
import { RatingsQueryService, type RatingRecord } from './ratings-query.service.js';
import { ratingsNotice, runRatingsAction } from './ratings-review.pages.controller.js';
import { REVIEW_TEXT_MAX } from './review.service.js';

const uuid = new ParseUUIDPipe();

function recordRow(locale: Locale, r: RatingRecord) {
  return {
    ...r,
    cycleName: locale === 'en' ? r.cycleNameEn : r.cycleNameZh,
    statusLabel: translate(locale, `ratings.ratingStatus.${r.status}`),
    appealLabel: r.appeal
      ? r.appeal.state === 'changed'
        ? `${translate(locale, 'ratings.appealState.changed')} → ${r.appeal.outcomeGrade ?? ''}`
        : translate(locale, `ratings.appealState.${r.appeal.state}`)
      : null,
  };
}

/** The public rating history of a firm, and the firm's appeal form. */
@ApiExcludeController()
@Controller()
export class RatingsPublicPagesController {
  constructor(
    private readonly query: RatingsQueryService,
    private readonly appeals: AppealsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('ratings/firms/:firmId')
  @Public()
  async history(@Param('firmId', uuid) firmId: string, @Req() req: Request, @Res() res: Response) {
    const locale = localeOf(req);
    const h = await this.query.publicHistory(firmId);
    this.pages.send(req, res, 'ratings/public-history', {
      firmName: locale === 'en' && h.firmNameEn ? h.firmNameEn : h.firmName,
      firmId,
      current: h.current ? recordRow(locale, h.current) : null,
      history: h.history.map((r) => recordRow(locale, r)),
    });
  }

  @Get('firm/ratings/ratings/:ratingId/appeal')
  @Roles('firm_admin', 'firm_member')
  async appealForm(
    @Auth() auth: AuthContext,
    @Param('ratingId', uuid) ratingId: string,
    @Query() q: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const window = await this.appeals.window(auth.user, ratingId);
    const current = await this.query.history(auth.user.firmId ?? '');
    const rating = current.find((r) => r.id === ratingId);
    const appeal = window.appealId ? await this.appeals.get(auth.user, window.appealId) : null;
    this.pages.send(req, res, 'ratings/appeal-file', {
      notice: ratingsNotice(locale, q),
      rating: rating ? recordRow(locale, rating) : null,
      grade: rating?.grade ?? '',
      lastDay: window.lastDay,
      canFile: window.open && auth.user.role === 'firm_admin',
      closed: !window.open && appeal === null,
      appeal: appeal
        ? {
            ...appeal,
            stateLabel: translate(locale, `ratings.appealState.${appeal.state}`),
          }
        : null,
      textMax: REVIEW_TEXT_MAX,
    });
  }

  /** Appeal documents, for the firm and staff (the appeal pages link here). */
  @Get('ratings/appeals/:appealId/documents/:docId')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async appealDocument(
    @Auth() auth: AuthContext,
    @Param('appealId', uuid) appealId: string,
    @Param('docId', uuid) docId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { document, bytes } = await this.appeals.documentContent(auth.user, appealId, docId);
    sendDocumentHeaders(res, document.contentType, document.fileName, bytes.length);
    res.end(bytes);
  }

  @Post('firm/ratings/ratings/:ratingId/appeal')
  @Roles('firm_admin')
  @UseInterceptors(FilesInterceptor('documents', MAX_APPEAL_FILES))
  file(
    @Auth() auth: AuthContext,
    @Param('ratingId', uuid) ratingId: string,
    @UploadedFiles() files: UploadedFileData[] | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body = bodyOf(req);
    return runRatingsAction(
      this.pages,
      res,
      `/firm/ratings/ratings/${ratingId}/appeal`,
      async () => {
        await this.appeals.file(
          auth.user,
          ratingId,
          { reasons: text(body.reasons, REVIEW_TEXT_MAX) },
          files ?? [],
          requestMeta(req),
        );
        return 'filed';
      },
    );
  }
}
