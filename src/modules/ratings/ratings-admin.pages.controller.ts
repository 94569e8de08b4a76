import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { addDays, beijingDate } from '../../common/time/beijing.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { CyclesService, type CycleInput } from './cycles.service.js';
import type { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { RatingsError } from './ratings.errors.js';
import type { DefinitionProblem } from './scorecard.js';
import { ScorecardsService, toScorecardView } from './scorecards.service.js';

const uuid = new ParseUUIDPipe();
const CYCLE_FIELDS = [
  'nameZh',
  'nameEn',
  'scorecardId',
  'periodFrom',
  'periodTo',
  'opensOn',
  'closesOn',
] as const;
const CYCLE_DONE = ['created', 'opened', 'closed'] as const;
const SCORECARD_DONE = ['saved', 'published'] as const;

function field(req: Request, name: string, max: number): string {
  const value = ((req.body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function doneNotice(req: Request, allowed: readonly string[], prefix: string): string | null {
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  return allowed.includes(done) ? translate(req.locale ?? 'zh-CN', `${prefix}.${done}`) : null;
}

const errorText = (locale: Locale, error: RatingsError): string =>
  locale === 'en' ? error.spec.en : error.spec.zh;

/** Staff pages for cycles (list, create, open, close) and scorecard versions (draft, edit, publish). */
@Roles('staff_admin', 'staff_reviewer')
@Controller('staff/ratings')
export class RatingsAdminPagesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly scorecards: ScorecardsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderCycles(auth, req, res, null, null, 200);
  }

  @Post('cycles')
  @Roles('staff_admin')
  async create(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const input = Object.fromEntries(
      CYCLE_FIELDS.map((f) => [f, field(req, f, 100).trim()]),
    ) as unknown as CycleInput;
    if (CYCLE_FIELDS.some((f) => input[f] === ''))
      return this.renderCycles(
        auth,
        req,
        res,
        input,
        errorText(req.locale ?? 'zh-CN', new RatingsError('CYCLE_DATES_INVALID')),
        400,
      );
    try {
      await this.cycles.create(auth.user, input, requestMeta(req));
    } catch (error) {
      if (!(error instanceof RatingsError)) throw error;
      return this.renderCycles(
        auth,
        req,
        res,
        input,
        errorText(req.locale ?? 'zh-CN', error),
        error.spec.status,
      );
    }
    this.pages.redirect(res, '/staff/ratings?done=created');
  }

  @Post('cycles/:id/open')
  @Roles('staff_admin')
  async open(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(
      auth,
      req,
      res,
      () => this.cycles.open(auth.user, id, requestMeta(req)),
      'opened',
    );
  }

  @Post('cycles/:id/close')
  @Roles('staff_admin')
  async close(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(
      auth,
      req,
      res,
      () => this.cycles.close(auth.user, id, requestMeta(req)),
      'closed',
    );
  }

  @Get('scorecards')
  async scorecardList(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const rows = await this.scorecards.list();
    this.pages.send(req, res, 'ratings/scorecards', {
      titleKey: 'ratings.scorecards.title',
      mayEdit: auth.user.role === 'staff_admin',
      versions: rows.map((v) => ({
        id: v.id,
        number: v.number,
        name: locale === 'en' ? v.nameEn : v.nameZh,
        statusLabel: translate(locale, `ratings.scorecards.status.${v.status}`),
        fingerprint: v.fingerprint,
      })),
    });
  }

  @Post('scorecards')
  @Roles('staff_admin')
  async newDraft(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.scorecards.createDraft(auth.user, null, requestMeta(req));
    this.pages.redirect(res, `/staff/ratings/scorecards/${draft.id}`);
  }

  @Get('scorecards/:id')
  async scorecard(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.scorecards.get(id);
    this.renderScorecard(
      auth,
      req,
      res,
      row,
      null,
      [],
      doneNotice(req, SCORECARD_DONE, 'ratings.scorecards'),
      null,
      200,
    );
  }

  @Post('scorecards/:id')
  @Roles('staff_admin')
  async saveScorecard(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.scorecards.get(id);
    const typed = {
      nameZh: field(req, 'nameZh', 100),
      nameEn: field(req, 'nameEn', 100),
      definition: field(req, 'definition', 200_000),
    };
    try {
      await this.scorecards.update(auth.user, id, typed, requestMeta(req));
    } catch (error) {
      if (!(error instanceof RatingsError)) throw error;
      const problems = (error.details?.problems ?? []) as DefinitionProblem[];
      return this.renderScorecard(
        auth,
        req,
        res,
        row,
        typed,
        problems,
        null,
        errorText(req.locale ?? 'zh-CN', error),
        error.spec.status,
      );
    }
    this.pages.redirect(res, `/staff/ratings/scorecards/${id}?done=saved`);
  }

  @Post('scorecards/:id/publish')
  @Roles('staff_admin')
  async publishScorecard(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.scorecards.get(id);
    try {
      await this.scorecards.publish(auth.user, id, requestMeta(req));
    } catch (error) {
      if (!(error instanceof RatingsError)) throw error;
      const problems = (error.details?.problems ?? []) as DefinitionProblem[];
      return this.renderScorecard(
        auth,
        req,
        res,
        row,
        null,
        problems,
        null,
        errorText(req.locale ?? 'zh-CN', error),
        error.spec.status,
      );
    }
    this.pages.redirect(res, `/staff/ratings/scorecards/${id}?done=published`);
  }

  private async act(
    auth: AuthContext,
    req: Request,
    res: Response,
    work: () => Promise<unknown>,
    done: string,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof RatingsError) || error.spec.status === 404) throw error;
      return this.renderCycles(
        auth,
        req,
        res,
        null,
        errorText(req.locale ?? 'zh-CN', error),
        error.spec.status,
      );
    }
    this.pages.redirect(res, `/staff/ratings?done=${done}`);
  }

  private async renderCycles(
    auth: AuthContext,
    req: Request,
    res: Response,
    typed: CycleInput | null,
    message: string | null,
    status: number,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const [rows, published] = await Promise.all([this.cycles.list(), this.scorecards.published()]);
    const today = beijingDate(new Date());
    const values: CycleInput = typed ?? {
      nameZh: '',
      nameEn: '',
      scorecardId: published[0]?.id ?? '',
      periodFrom: `${Number(today.slice(0, 4)) - 1}-01-01`,
      periodTo: `${Number(today.slice(0, 4)) - 1}-12-31`,
      opensOn: today,
      closesOn: addDays(today, 30),
    };
    const numberOf = new Map(published.map((s) => [s.id, s.number]));
    this.pages.send(
      req,
      res,
      'ratings/staff-cycles',
      {
        titleKey: 'ratings.cycles.title',
        mayEdit: auth.user.role === 'staff_admin',
        notice: doneNotice(req, CYCLE_DONE, 'ratings.cycles'),
        message,
        cycles: rows.map((c) => ({
          id: c.id,
          name: locale === 'en' ? c.nameEn : c.nameZh,
          scorecardNumber: numberOf.get(c.scorecardId) ?? null,
          opensOn: c.opensOn,
          closesOn: c.closesOn,
          periodFrom: c.periodFrom,
          periodTo: c.periodTo,
          stateLabel: translate(locale, `ratings.cycleState.${c.state}`),
          isDraft: c.state === 'draft',
          isOpen: c.state === 'open',
        })),
        values,
        scorecards: published.map((s) => ({
          id: s.id,
          label: `v${s.number} · ${locale === 'en' ? s.nameEn : s.nameZh}`,
          selected: s.id === values.scorecardId,
        })),
      },
      status,
    );
  }

  private renderScorecard(
    auth: AuthContext,
    req: Request,
    res: Response,
    row: ScorecardVersion,
    typed: { nameZh: string; nameEn: string; definition: string } | null,
    problems: DefinitionProblem[],
    notice: string | null,
    message: string | null,
    status: number,
  ): void {
    const locale = req.locale ?? 'zh-CN';
    const en = locale === 'en';
    const view = toScorecardView(row);
    const bound = (n: number | null): string => (n === null ? '…' : String(n));
    this.pages.send(
      req,
      res,
      'ratings/scorecard-edit',
      {
        titleKey: 'ratings.scorecards.title',
        scorecard: {
          id: view.id,
          number: view.number,
          statusLabel: translate(locale, `ratings.scorecards.status.${view.status}`),
          fingerprint: view.fingerprint,
        },
        editable: view.status === 'draft' && auth.user.role === 'staff_admin',
        values: typed ?? {
          nameZh: view.nameZh,
          nameEn: view.nameEn,
          definition: JSON.stringify(view.definition, null, 2),
        },
        problems,
        notice,
        message,
        indicators: view.definition.indicators.map((ind) => ({
          key: ind.key,
          name: en ? ind.nameEn : ind.nameZh,
          type: ind.type,
          unit: ind.unit,
          weight: ind.weight,
          source: translate(locale, `ratings.source.${ind.source}`),
          bands: [
            ...ind.bands.map((b) => `${bound(b.min)}–${bound(b.max)} → ${b.points}`),
            ...ind.choices.map((c) => `${en ? c.labelEn : c.labelZh} → ${c.points}`),
            ...(ind.type === 'boolean'
              ? [`yes → ${ind.yesPoints ?? 0}`, `no → ${ind.noPoints ?? 0}`]
              : []),
          ].join('; '),
        })),
        grades: view.definition.grades.map((g) => ({ grade: g.grade, minScore: g.minScore })),
      },
      status,
    );
  }
}
