import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { DomainError, type FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingYear } from '../../common/time/beijing.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, domainFieldError, localeOf, text } from '../auth/page-forms.js';
import { CalendarService } from './calendar.service.js';
import { CalendarDayFormDto } from './dto/calendar.dto.js';

const PATH = '/staff/disputes/calendar';
const FIELDS = ['date', 'kind', 'nameZh', 'nameEn'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

const EMPTY: Values = { date: '', kind: 'holiday', nameZh: '', nameEn: '' };

function yearOf(value: unknown, fallback: number): number {
  const year = Number(value);
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : fallback;
}

/** The working-day calendar page: one year's exceptions; staff admins add and remove them. */
@ApiExcludeController()
@Controller('staff/disputes/calendar')
export class CalendarPagesController {
  constructor(
    private readonly calendars: CalendarService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Roles('staff_admin', 'staff_reviewer')
  async page(
    @Auth() auth: AuthContext,
    @Query('year') year: unknown,
    @Query('done') done: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const y = yearOf(year, beijingYear(new Date()));
    await this.render(auth, req, res, y, EMPTY, [], typeof done === 'string' ? done : null);
  }

  @Post()
  @Roles('staff_admin')
  async add(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const values: Values = {
      date: text(body.date, 10).trim(),
      kind: text(body.kind, 10),
      nameZh: text(body.nameZh, 50),
      nameEn: text(body.nameEn, 50),
    };
    const year = yearOf(values.date.slice(0, 4), beijingYear(new Date()));
    const { errors } = await validateForm(CalendarDayFormDto, values);
    if (errors.length) return this.render(auth, req, res, year, values, errors, null, 400);
    try {
      await this.calendars.upsert(
        auth.user,
        { ...values, kind: values.kind === 'workday' ? 'workday' : 'holiday' },
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof DomainError && error.spec.status === 400)
        return this.render(
          auth,
          req,
          res,
          year,
          values,
          [domainFieldError('date', error)],
          null,
          400,
        );
      throw error;
    }
    this.pages.redirect(res, `${PATH}?year=${year}&done=saved`);
  }

  @Post(':date/delete')
  @Roles('staff_admin')
  async remove(
    @Auth() auth: AuthContext,
    @Param('date') date: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.calendars.remove(auth.user, date, requestMeta(req));
    this.pages.redirect(
      res,
      `${PATH}?year=${yearOf(date.slice(0, 4), beijingYear(new Date()))}&done=removed`,
    );
  }

  private async render(
    auth: AuthContext,
    req: Request,
    res: Response,
    year: number,
    values: Values,
    fieldErrors: FieldError[],
    done: string | null,
    status = 200,
  ): Promise<void> {
    const locale: Locale = localeOf(req);
    const t = (key: string): string => translate(locale, key);
    const labels = {
      date: t('disputes.calendar.field.date'),
      kind: t('disputes.calendar.field.kind'),
      nameZh: t('disputes.calendar.field.nameZh'),
      nameEn: t('disputes.calendar.field.nameEn'),
    };
    const days = await this.calendars.list(year);
    const canEdit = auth.user.role === 'staff_admin';
    this.pages.send(
      req,
      res,
      'disputes/calendar',
      {
        titleKey: 'disputes.calendar.title',
        year,
        prevUrl: `${PATH}?year=${year - 1}`,
        nextUrl: `${PATH}?year=${year + 1}`,
        notice: done === 'saved' || done === 'removed' ? t(`disputes.calendar.done.${done}`) : null,
        canEdit,
        days: days.map((d) => ({
          date: d.date,
          kind: d.kind,
          kindLabel: t(`disputes.calendar.kind.${d.kind}`),
          name: locale === 'en' ? d.nameEn : d.nameZh,
          deleteUrl: `${PATH}/${d.date}/delete`,
        })),
        values,
        labels,
        kinds: (['holiday', 'workday'] as const).map((k) => ({
          value: k,
          label: t(`disputes.calendar.kind.${k}`),
          selected: values.kind === k,
        })),
        ...formErrors(locale, FIELDS, fieldErrors, { labels }),
      },
      status,
    );
  }
}
