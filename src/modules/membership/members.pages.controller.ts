import { Controller, Get, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { CATEGORIES, CATEGORY_KEYS } from './categories.js';
import { DISTRICT_KEYS, DISTRICTS, type District } from './districts.js';
import { DuesService } from './dues.service.js';
import { ListMembersDto } from './dto/list-members.dto.js';
import { FIRM_STATUSES } from './entities/firm.entity.js';
import {
  CSV_BOM,
  csvRecord,
  exportFileName,
  IMPORT_COLUMNS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportProblem,
} from './members-csv.js';
import { ImportUploadInterceptor, uploadedImport } from './members-upload.js';
import { MembersService, type MemberFilters } from './members.service.js';
import { MembershipError } from './membership.errors.js';

const FILTERS = ['q', 'status', 'tier', 'district', 'category'] as const;
type Filter = (typeof FILTERS)[number];

const LIST_PATH = '/staff/members';
const IMPORT_PATH = '/staff/members/import';
const IMPORT_MB = IMPORT_MAX_BYTES / 1024 / 1024;

/** What the import page's format table shows as an example of each column. */
const EXAMPLES: Record<(typeof IMPORT_COLUMNS)[number], string> = {
  name: '深圳市示例支付科技有限公司',
  name_en: 'Shenzhen Example Payment Technology Co., Ltd.',
  credit_code: '91440300708461136T',
  district: '南山区',
  tier: '理事单位',
  member_since: '2019-03-01',
  legal_representative: '张伟',
  contact_email: 'office@example.cn',
  categories: '第三方支付|移动支付',
};
const REQUIRED_COLUMNS = new Set(['name', 'credit_code', 'district', 'tier', 'member_since']);

/** Query values as the filter form sends them: empty inputs dropped, text trimmed. */
function filledIn(query: Request['query']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const cleaned = typeof value === 'string' ? value.trim() : value;
    if (cleaned !== '' && cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

function withQuery(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

@Controller('staff/members')
export class MembersPagesController {
  constructor(
    private readonly members: MembersService,
    private readonly dues: DuesService,
    private readonly pages: PageRenderer,
  ) {}

  /** The member register with its filter form, export link and (for admins) the import link. */
  @Get()
  @Roles('staff_admin', 'staff_reviewer')
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const input = filledIn(req.query);
    const imported = typeof input.imported === 'string' ? Number(input.imported) : null;
    const { value, errors } = await validateForm(ListMembersDto, input, {
      allow: ['lang', 'imported'],
    });
    const filters: MemberFilters = {
      q: value.q,
      status: value.status,
      tier: value.tier,
      district: value.district,
      category: value.category,
    };
    const values = Object.fromEntries(
      FILTERS.map((f) => [f, typeof input[f] === 'string' ? input[f] : null]),
    ) as Record<Filter, string | null>;
    const labels = Object.fromEntries(
      FILTERS.map((f) => [f, translate(locale, `members.filter.${f}`)]),
    ) as Record<Filter, string>;
    const tiers = await this.dues.listTiers();
    const tierName = new Map(tiers.map((t) => [t.code, locale === 'en' ? t.nameEn : t.nameZh]));
    const option = (value: string, label: string, current: string | null) => ({
      value,
      label,
      selected: value === current,
    });
    const base = {
      titleKey: 'members.title',
      values,
      labels,
      options: {
        status: FIRM_STATUSES.map((s) =>
          option(s, translate(locale, `members.status.${s}`), values.status),
        ),
        tier: tiers.map((t) => option(t.code, tierName.get(t.code) ?? t.code, values.tier)),
        district: DISTRICT_KEYS.map((d) =>
          option(d, locale === 'en' ? DISTRICTS[d].en : DISTRICTS[d].zh, values.district),
        ),
        category: CATEGORY_KEYS.map((c) =>
          option(c, locale === 'en' ? CATEGORIES[c].en : CATEGORIES[c].zh, values.category),
        ),
      },
      canImport: auth.user.role === 'staff_admin',
      importUrl: IMPORT_PATH,
      resetUrl: LIST_PATH,
      importedMessage:
        imported !== null && Number.isInteger(imported) && imported > 0
          ? translate(locale, 'members.imported', { count: imported })
          : null,
    };
    if (errors.length > 0) {
      const model = {
        ...base,
        ...formErrors(locale, FILTERS, errors, { labels }),
        items: [],
        total: 0,
        nextUrl: null,
        firstUrl: LIST_PATH,
        exportUrl: null,
      };
      return this.pages.send(req, res, 'members/index', model, 400);
    }
    const page = await this.members.list({ ...filters, cursor: value.cursor, limit: value.limit });
    const current = { ...filters, limit: value.limit?.toString() };
    this.pages.send(req, res, 'members/index', {
      ...base,
      ...formErrors(locale, FILTERS, []),
      items: page.items.map((item) => ({
        ...item,
        districtLabel: this.districtLabel(locale, item.district),
        tierLabel: item.tier ? (tierName.get(item.tier) ?? item.tier) : null,
        statusLabel: translate(locale, `members.status.${item.status}`),
        owes: item.balanceDueFen > 0,
        // The firm's staff page: its membership record and the sanctions staff may take.
        detailUrl: `/staff/firms/${item.id}/sanctions`,
      })),
      total: page.total,
      nextUrl: page.nextCursor
        ? withQuery(LIST_PATH, { ...current, cursor: page.nextCursor })
        : null,
      firstUrl: value.cursor ? withQuery(LIST_PATH, current) : null,
      exportUrl: withQuery(`${LIST_PATH}/export.csv`, current),
    });
  }

  /** The export behind the page's link: the same file the API serves, on the session cookie. */
  @Get('export.csv')
  @Roles('staff_admin', 'staff_reviewer')
  async export(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { value, errors } = await validateForm(ListMembersDto, filledIn(req.query), {
      allow: ['lang'],
    });
    // Only a hand-made URL gets here with bad filters; the list page says what is wrong.
    if (errors.length > 0) return this.pages.redirect(res, LIST_PATH);
    const csv = await this.members.exportCsv(
      {
        q: value.q,
        status: value.status,
        tier: value.tier,
        district: value.district,
        category: value.category,
      },
      req.locale ?? 'zh-CN',
    );
    this.sendCsv(res, exportFileName(), csv);
  }

  /** A file with just the header line, to fill in. */
  @Get('import-template.csv')
  @Roles('staff_admin')
  template(@Res() res: Response): void {
    this.sendCsv(res, 'szifa-member-import.csv', CSV_BOM + csvRecord([...IMPORT_COLUMNS]));
  }

  @Get('import')
  @Roles('staff_admin')
  importForm(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, 'members/import', this.importModel(req.locale ?? 'zh-CN'));
  }

  /**
   * The upload (multipart: the CSRF token rides in the `_csrf` query parameter, because the
   * guard runs before the body is parsed). Success goes back to the list; a refused file comes
   * back here with every problem listed by line.
   */
  @Post('import')
  @Roles('staff_admin')
  @UseInterceptors(ImportUploadInterceptor)
  async import(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const upload = uploadedImport(req);
    try {
      if (!upload || upload.size === 0) throw new MembershipError('MEMBER_IMPORT_FILE_MISSING');
      const result = await this.members.importCsv(auth.user, upload.buffer, requestMeta(req));
      return this.pages.redirect(res, withQuery(LIST_PATH, { imported: String(result.imported) }));
    } catch (error) {
      if (!(error instanceof MembershipError) || !error.code.startsWith('MEMBER_IMPORT_'))
        throw error;
      const problems = (error.details?.lineErrors ?? []) as ImportProblem[];
      const message = locale === 'en' ? error.spec.en : error.spec.zh;
      const model = {
        ...this.importModel(locale),
        // Line problems have their own table above the form; other refusals sit by the field.
        errorList: problems.length > 0 ? [] : [{ field: 'file', message }],
        errors: { file: problems.length > 0 ? null : message },
        problems: problems.map((p) => ({
          line: p.line,
          column: p.column,
          message: p.message[locale],
        })),
        problemsTitle:
          problems.length > 0
            ? translate(locale, 'members.import.errorsTitle', { count: problems.length })
            : null,
      };
      this.pages.send(req, res, 'members/import', model, error.spec.status);
    }
  }

  private importModel(locale: Locale) {
    return {
      titleKey: 'members.import.title',
      formatText: translate(locale, 'members.import.formatText', {
        rows: IMPORT_MAX_ROWS.toLocaleString('en-US'),
        mb: IMPORT_MB,
      }),
      fileHint: translate(locale, 'members.import.fileHint', {
        rows: IMPORT_MAX_ROWS.toLocaleString('en-US'),
        mb: IMPORT_MB,
      }),
      columns: IMPORT_COLUMNS.map((name) => ({
        name,
        meaning: translate(locale, `members.import.col.${name}`),
        required: REQUIRED_COLUMNS.has(name),
        example: EXAMPLES[name],
      })),
      actionUrl: IMPORT_PATH,
      templateUrl: `${LIST_PATH}/import-template.csv`,
      listUrl: LIST_PATH,
      errorList: [] as Array<{ field: string | null; message: string }>,
      errors: { file: null as string | null },
      problems: [] as Array<{ line: number; column: string | null; message: string }>,
      problemsTitle: null as string | null,
    };
  }

  private districtLabel(locale: Locale, district: string): string {
    const known = DISTRICTS[district as District] as (typeof DISTRICTS)[District] | undefined;
    return known ? (locale === 'en' ? known.en : known.zh) : district;
  }

  private sendCsv(res: Response, fileName: string, csv: string): void {
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${fileName}"`)
      .setHeader('Cache-Control', 'no-store')
      .send(csv);
  }
}
