import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { PledgesStaffService, REMINDER_MAX_FIRMS } from './pledges-staff.service.js';
import { PledgesError } from './pledges.errors.js';
import {
  SignatoryListService,
  STAFF_STATUSES,
  type StaffEntry,
  type StaffStatus,
} from './signatory-list.service.js';

const PATH = '/staff/pledges';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function queryText(value: unknown, max: number): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

function positiveInt(value: string): number | null {
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}

function withQuery(params: Record<string, string | number | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== '') search.set(key, String(value));
  const query = search.toString();
  return query ? `${PATH}?${query}` : PATH;
}

/** Staff: signing progress per convention version, and bulk reminders. */
@Controller('staff/pledges')
export class PledgesStaffPagesController {
  constructor(
    private readonly lists: SignatoryListService,
    private readonly staff: PledgesStaffService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Roles('staff_admin', 'staff_reviewer')
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const versions = await this.lists.publishedVersions();
    const requested = positiveInt(queryText(req.query.version, 8));
    const chosen = versions.find((v) => v.versionNumber === requested) ?? versions[0] ?? null;
    const rawStatus = queryText(req.query.status, 16);
    const status = (STAFF_STATUSES as readonly string[]).includes(rawStatus)
      ? (rawStatus as StaffStatus)
      : null;
    const cursor = queryText(req.query.cursor, 400);
    const reminded = positiveInt(queryText(req.query.reminded, 8));
    const base = {
      titleKey: 'pledgeStaff.title',
      canRemind: auth.user.role === 'staff_admin',
      remindedMessage:
        reminded !== null
          ? translate(locale, 'pledgeStaff.remind.done', { count: reminded })
          : null,
      remindError:
        req.query.remindError === '1' ? translate(locale, 'pledgeStaff.remind.none') : null,
      versionOptions: versions.map((v) => ({
        value: v.versionNumber,
        label: translate(locale, 'pledgeStaff.filter.versionOption', {
          number: v.versionNumber,
          date: v.effectiveOn ?? '—',
        }),
        selected: v.id === chosen?.id,
      })),
      statusOptions: STAFF_STATUSES.map((s) => ({
        value: s,
        label: translate(locale, `pledgeStaff.status.${s}`),
        selected: s === status,
      })),
    };
    if (!chosen) {
      this.pages.send(req, res, 'pledges/staff', {
        ...base,
        version: null,
        counts: null,
        items: [],
        nextUrl: null,
        firstUrl: null,
        publicUrl: null,
      });
      return;
    }
    const page = await this.lists.staffPage(chosen.versionNumber, {
      status: status ?? undefined,
      cursor: cursor || undefined,
    });
    const current = { version: chosen.versionNumber, status };
    this.pages.send(req, res, 'pledges/staff', {
      ...base,
      version: { number: page.version.number, inForce: page.version.inForce },
      counts: page.counts,
      items: page.items.map((item) => staffRow(item, locale)),
      nextUrl: page.nextCursor ? withQuery({ ...current, cursor: page.nextCursor }) : null,
      firstUrl: cursor ? withQuery(current) : null,
      publicUrl: `/conventions/${page.version.number}/signatories`,
    });
  }

  /** The reminder form: the ticked firms, or (button "overdue") every firm past its deadline. */
  @Post('reminders')
  @Roles('staff_admin')
  async remind(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const versionNumber = positiveInt(queryText(body.version, 8));
    if (versionNumber === null) throw new PledgesError('CONVENTION_NOT_FOUND');
    const ticked = (Array.isArray(body.firmIds) ? body.firmIds : [body.firmIds]).filter(
      (id): id is string => typeof id === 'string' && UUID.test(id),
    );
    const target =
      body.action === 'overdue'
        ? ({ overdue: true } as const)
        : { firmIds: ticked.slice(0, REMINDER_MAX_FIRMS) };
    try {
      const result = await this.staff.remind(auth.user, versionNumber, target, requestMeta(req));
      this.pages.redirect(
        res,
        withQuery({ version: versionNumber, reminded: result.firms.length }),
      );
    } catch (error) {
      if (error instanceof PledgesError && error.code === 'REMINDER_NO_FIRMS') {
        this.pages.redirect(res, withQuery({ version: versionNumber, remindError: 1 }));
        return;
      }
      throw error;
    }
  }
}

function staffRow(item: StaffEntry, locale: Locale) {
  const date = (iso: string | null): string | null => (iso ? beijingDate(new Date(iso)) : null);
  return {
    firmId: item.firmId,
    firmName: item.firmName,
    firmNameEn: item.firmNameEn,
    status: item.status,
    statusLabel: translate(locale, `pledgeStaff.status.${item.status}`),
    deadlineOn: item.deadlineOn,
    signedAt: item.signedAt,
    signedOn: date(item.signedAt),
    endedOn: date(item.endedAt),
    selectable: item.status === 'pending' || item.status === 'overdue',
    selectLabel: translate(locale, 'pledgeStaff.selectFirm', { firm: item.firmName }),
    detailUrl: `/staff/firms/${item.firmId}/sanctions`,
  };
}
