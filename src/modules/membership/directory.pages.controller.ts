import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { CATEGORIES, CATEGORY_KEYS, isCategory } from './categories.js';
import { DirectoryService, type DirectoryItem } from './directory.service.js';
import { DISTRICT_KEYS, DISTRICTS, type District } from './districts.js';
import { SearchDirectoryDto } from './dto/search-directory.dto.js';
import { DuesService } from './dues.service.js';
import { MembershipError } from './membership.errors.js';

const SEARCH_FIELDS = ['q', 'creditCode', 'district', 'category', 'tier'] as const;
type SearchField = (typeof SEARCH_FIELDS)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/** Labels for the codes the directory stores; shared with the sanctions pages. */
export class DirectoryLabels {
  constructor(
    readonly locale: Locale,
    private readonly tiers: Map<string, { nameZh: string; nameEn: string }>,
  ) {}

  district(code: string): string {
    const entry = (DISTRICTS as Record<string, { zh: string; en: string } | undefined>)[code];
    if (!entry) return code;
    return this.locale === 'en' ? entry.en : entry.zh;
  }

  category(code: string): string {
    if (!isCategory(code)) return code;
    return this.locale === 'en' ? CATEGORIES[code].en : CATEGORIES[code].zh;
  }

  tier(code: string | null): string {
    if (!code) return '—';
    const tier = this.tiers.get(code);
    if (!tier) return code;
    return this.locale === 'en' ? tier.nameEn : tier.nameZh;
  }

  status(status: string): string {
    return translate(this.locale, `status.${status}`);
  }

  reason(category: string | null): string | null {
    return category ? translate(this.locale, `sanction.reason.${category}`) : null;
  }

  list(codes: string[]): string {
    return codes.map((c) => this.category(c)).join(this.locale === 'en' ? ', ' : '、');
  }

  tierOptions(selected: string): Option[] {
    return [...this.tiers.entries()].map(([value]) => ({
      value,
      label: this.tier(value),
      selected: value === selected,
    }));
  }
}

export async function directoryLabels(dues: DuesService, locale: Locale): Promise<DirectoryLabels> {
  const tiers = await dues.listTiers();
  return new DirectoryLabels(locale, new Map(tiers.map((t) => [t.code, t])));
}

function queryText(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The public member directory: a search form with keyset "next page" links, and each record. */
@Controller('directory')
@Public()
export class DirectoryPagesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly dues: DuesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const labels = await directoryLabels(this.dues, locale);
    const values: Record<SearchField, string> = {
      q: queryText(req.query.q, 100),
      creditCode: queryText(req.query.creditCode, 18),
      district: queryText(req.query.district, 32),
      category: queryText(req.query.category, 32),
      tier: queryText(req.query.tier, 16),
    };
    const cursor = queryText(req.query.cursor, 400);
    const raw: Record<string, string> = { ...values };
    if (cursor) raw.cursor = cursor;
    const validated = await validateForm(SearchDirectoryDto, raw);
    const { errors, errorList } = formErrors(locale, SEARCH_FIELDS, validated.errors, {
      labels: {
        q: translate(locale, 'directory.field.q'),
        creditCode: translate(locale, 'directory.field.creditCode'),
        district: translate(locale, 'directory.field.district'),
        category: translate(locale, 'directory.field.category'),
        tier: translate(locale, 'directory.field.tier'),
      },
    });
    const filtered = SEARCH_FIELDS.some((f) => values[f].trim() !== '');
    const model = {
      titleKey: 'directory.title',
      values,
      errors,
      errorList,
      filtered,
      districts: DISTRICT_KEYS.map((value: District) => ({
        value,
        label: labels.district(value),
        selected: value === values.district,
      })),
      categories: CATEGORY_KEYS.map((value) => ({
        value,
        label: labels.category(value),
        selected: value === values.category,
      })),
      tiers: labels.tierOptions(values.tier),
      items: [] as Array<ReturnType<typeof listItem>>,
      nextUrl: null as string | null,
    };
    if (validated.errors.length > 0) {
      this.pages.send(req, res, 'directory/index', model, 400);
      return;
    }
    const page = await this.directory.search(values, { cursor: cursor || undefined });
    model.items = page.items.map((item) => listItem(item, labels));
    if (page.nextCursor) {
      const params = new URLSearchParams();
      for (const field of SEARCH_FIELDS) if (values[field]) params.set(field, values[field]);
      params.set('cursor', page.nextCursor);
      model.nextUrl = `/directory?${params.toString()}`;
    }
    this.pages.send(req, res, 'directory/index', model);
  }

  @Get(':id')
  async firm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!UUID.test(id)) throw new MembershipError('FIRM_NOT_FOUND');
    const locale = req.locale ?? 'zh-CN';
    const [record, labels] = await Promise.all([
      this.directory.publicRecord(id),
      directoryLabels(this.dues, locale),
    ]);
    this.pages.send(req, res, 'directory/firm', {
      titleKey: 'directory.firm.title',
      firm: { ...listItem(record, labels), listed: record.listed },
      history: record.history.map((event) => ({
        effectiveAt: event.effectiveAt,
        date: beijingDate(new Date(event.effectiveAt)),
        status: event.status,
        statusLabel: labels.status(event.status),
        reasonLabel: labels.reason(event.reasonCategory),
        until: event.until,
        decisionRef: event.decisionRef,
      })),
      sections: record.sections.map((section) => ({
        key: section.key,
        title: translate(locale, `directory.section.${section.key}`),
        available: section.available,
        summary: section.summary ? section.summary[locale] : null,
        link: section.link,
      })),
    });
  }
}

function listItem(item: DirectoryItem, labels: DirectoryLabels) {
  return {
    id: item.id,
    name: item.name,
    nameEn: item.nameEn,
    creditCode: item.creditCode,
    district: item.district,
    districtLabel: labels.district(item.district),
    tierLabel: labels.tier(item.tier),
    categoriesLabel: labels.list(item.categories),
    status: item.status,
    statusLabel: labels.status(item.status),
    memberSince: item.memberSince,
  };
}
