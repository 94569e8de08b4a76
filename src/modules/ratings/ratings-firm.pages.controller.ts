import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { sendDocumentHeaders, type UploadedFileData } from '../files/uploaded-file.js';
import { CyclesService } from './cycles.service.js';
import type { RatingCycle } from './entities/rating-cycle.entity.js';
import { RatingsQueryService } from './ratings-query.service.js';
import { RatingsError } from './ratings.errors.js';
import { formatScore } from './scorecard.js';
import {
  parseValues,
  SubmissionsService,
  type IndicatorProblem,
  type MySubmission,
} from './submissions.service.js';

const uuid = new ParseUUIDPipe();
const DONE = ['saved', 'submitted', 'document', 'documentRemoved'] as const;

const cycleName = (locale: Locale, c: Pick<RatingCycle, 'nameZh' | 'nameEn'>): string =>
  locale === 'en' ? c.nameEn : c.nameZh;

function firmValuesFrom(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(body))
    if (name.startsWith('v_') && typeof value === 'string') out[name.slice(2)] = value.slice(0, 40);
  return out;
}

interface FormState {
  values: Record<string, string> | null;
  problems: IndicatorProblem[];
  message: string | null;
  notice: string | null;
}

/** The firm's rating pages: open cycles and history, and the submission form per cycle. */
@Roles('firm_admin', 'firm_member')
@Controller('firm/ratings')
export class RatingsFirmPagesController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly cycles: CyclesService,
    private readonly ratings: RatingsQueryService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const firmId = auth.user.firmId ?? '';
    const [open, mine, current] = await Promise.all([
      this.cycles.list(['open']),
      this.submissions.listForFirm(firmId),
      this.ratings.currentRating(firmId),
    ]);
    const all = await this.cycles.list(['open', 'closed']);
    const byId = new Map(all.map((c) => [c.id, c]));
    this.pages.send(req, res, 'ratings/firm-index', {
      titleKey: 'ratings.submissions.title',
      current: current
        ? {
            grade: current.grade,
            expiresOn: current.expiresOn,
            underAppeal: current.underAppeal,
            appealPath: `/firm/ratings/ratings/${current.id}/appeal`,
          }
        : null,
      publicPath: `/ratings/firms/${firmId}`,
      open: open.map((c) => {
        const s = mine.find((m) => m.cycleId === c.id);
        return {
          id: c.id,
          name: cycleName(locale, c),
          opensOn: c.opensOn,
          closesOn: c.closesOn,
          stateLabel: s
            ? translate(locale, `ratings.submissionState.${s.state}`)
            : translate(locale, 'ratings.submissions.notStarted'),
        };
      }),
      history: mine.map((s) => {
        const c = byId.get(s.cycleId);
        return {
          cycleId: s.cycleId,
          cycleName: c ? cycleName(locale, c) : '',
          stateLabel: translate(locale, `ratings.submissionState.${s.state}`),
          score: s.scoreHundredths === null ? null : formatScore(s.scoreHundredths),
          grade: s.computedGrade,
        };
      }),
    });
  }

  @Get('cycles/:cycleId')
  async form(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    const notice = (DONE as readonly string[]).includes(done)
      ? translate(req.locale ?? 'zh-CN', `ratings.submissions.done.${done}`)
      : null;
    const mine = await this.submissions.mine(auth.user, cycleId);
    await this.render(
      auth,
      req,
      res,
      mine,
      { values: null, problems: [], message: null, notice },
      200,
    );
  }

  /** Save (button "save") or submit (button "submit") the values typed in the form. */
  @Post('cycles/:cycleId')
  @Roles('firm_admin')
  async save(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = firmValuesFrom(req);
    const submitting = (req.body as Record<string, unknown>).action === 'submit';
    try {
      const mine = await this.submissions.mine(auth.user, cycleId);
      if (mine.editable)
        await this.submissions.saveValues(auth.user, cycleId, values, undefined, requestMeta(req));
      if (submitting) await this.submissions.submit(auth.user, cycleId, requestMeta(req));
    } catch (error) {
      if (!(error instanceof RatingsError) || error.code === 'CYCLE_NOT_FOUND') throw error;
      const locale = req.locale ?? 'zh-CN';
      const problems = (error.details?.problems ?? []) as IndicatorProblem[];
      const mine = await this.submissions.mine(auth.user, cycleId);
      const message = locale === 'en' ? error.spec.en : error.spec.zh;
      return this.render(
        auth,
        req,
        res,
        mine,
        { values, problems, message, notice: null },
        error.spec.status,
      );
    }
    this.pages.redirect(
      res,
      `/firm/ratings/cycles/${cycleId}?done=${submitting ? 'submitted' : 'saved'}`,
    );
  }

  /** Multipart: the CSRF token travels in the action URL (`?_csrf=`). */
  @Post('cycles/:cycleId/documents')
  @Roles('firm_admin')
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let mine = await this.submissions.mine(auth.user, cycleId);
    try {
      if (!mine.submission) {
        await this.submissions.saveValues(auth.user, cycleId, {}, undefined, requestMeta(req));
        mine = await this.submissions.mine(auth.user, cycleId);
      }
      await this.submissions.uploadDocument(auth.user, mine.submission!.id, file, requestMeta(req));
    } catch (error) {
      if (!(error instanceof DomainError) || error.spec.status === 404) throw error;
      const message = req.locale === 'en' ? error.spec.en : error.spec.zh;
      return this.render(
        auth,
        req,
        res,
        mine,
        { values: null, problems: [], message, notice: null },
        error.spec.status,
      );
    }
    this.pages.redirect(res, `/firm/ratings/cycles/${cycleId}?done=document`);
  }

  @Post('cycles/:cycleId/documents/:docId/remove')
  @Roles('firm_admin')
  async removeDocument(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @Param('docId', uuid) docId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mine = await this.submissions.mine(auth.user, cycleId);
    if (!mine.submission) throw new RatingsError('DOCUMENT_NOT_FOUND');
    await this.submissions.removeDocument(auth.user, mine.submission.id, docId, requestMeta(req));
    this.pages.redirect(res, `/firm/ratings/cycles/${cycleId}?done=documentRemoved`);
  }

  /** Document downloads for pages: its firm, and staff (the review pages may link here). */
  @Get('submissions/:id/documents/:docId')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async download(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('docId', uuid) docId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { document, bytes, downloadName } = await this.submissions.documentContent(
      auth.user,
      id,
      docId,
    );
    sendDocumentHeaders(res, document.contentType, downloadName, bytes.length);
    res.end(bytes);
  }

  private async render(
    auth: AuthContext,
    req: Request,
    res: Response,
    mine: MySubmission,
    form: FormState,
    status: number,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const en = locale === 'en';
    const { cycle, submission } = mine;
    const stored = submission ? parseValues(submission.firmValues) : {};
    const values = form.values ?? stored;
    const errors = new Map(form.problems.map((p) => [p.key, en ? p.en : p.zh]));
    const documents = submission
      ? await this.submissions.listDocuments(auth.user, submission.id)
      : [];
    const indicators = mine.scorecard.indicators.map((ind) => {
      const value = values[ind.key] ?? '';
      return {
        key: ind.key,
        name: en ? ind.nameEn : ind.nameZh,
        unit: ind.unit,
        help: en ? ind.helpEn : ind.helpZh,
        platform: ind.source !== 'firm',
        platformValue: mine.platformValues[ind.key] ?? null,
        isBoolean: ind.type === 'boolean',
        isChoice: ind.type === 'choice',
        isYes: value === 'yes',
        isNo: value === 'no',
        choices: ind.choices.map((c) => ({
          value: c.value,
          label: en ? c.labelEn : c.labelZh,
          selected: c.value === value,
        })),
        value,
        error: errors.get(ind.key) ?? null,
      };
    });
    this.pages.send(
      req,
      res,
      'ratings/firm-submission',
      {
        titleKey: 'ratings.submissions.title',
        cycle: {
          id: cycle.id,
          name: cycleName(locale, cycle),
          opensOn: cycle.opensOn,
          closesOn: cycle.closesOn,
          periodFrom: cycle.periodFrom,
          periodTo: cycle.periodTo,
          stateLabel: translate(locale, `ratings.cycleState.${cycle.state}`),
        },
        submission: submission
          ? {
              id: submission.id,
              stateLabel: translate(locale, `ratings.submissionState.${submission.state}`),
              score:
                submission.scoreHundredths === null
                  ? null
                  : formatScore(submission.scoreHundredths),
              grade: submission.computedGrade,
              returnComment: submission.state === 'returned' ? submission.returnComment : null,
            }
          : null,
        editable: mine.editable,
        mayAct: auth.user.role === 'firm_admin',
        indicators,
        documents: documents.map((d) => ({
          id: d.id,
          fileName: d.fileName,
          sizeBytes: d.sizeBytes,
          href: `/firm/ratings/submissions/${d.submissionId}/documents/${d.id}`,
        })),
        notice: form.notice,
        message: form.message,
      },
      status,
    );
  }
}
