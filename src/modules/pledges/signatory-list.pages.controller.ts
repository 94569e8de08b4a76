import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { PledgesError } from './pledges.errors.js';
import { signatoryCsv, signatoryCsvName } from './signatory-list.csv.js';
import { SignatoryListService, type SignatoryEntry } from './signatory-list.service.js';

/** Version numbers people type into the address bar: small positive integers only. */
export function parseVersionNumber(value: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new PledgesError('CONVENTION_NOT_FOUND');
  return Number(value);
}

function queryText(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The public signatory list of each published convention version, and its CSV. */
@Controller('conventions/:versionNumber/signatories')
@Public()
export class SignatoryListPagesController {
  constructor(
    private readonly lists: SignatoryListService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(
    @Param('versionNumber') raw: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const versionNumber = parseVersionNumber(raw);
    const cursor = queryText(req.query.cursor, 400);
    const path = `/conventions/${versionNumber}/signatories`;
    const page = await this.lists.publicPage(versionNumber, { cursor: cursor || undefined });
    this.pages.send(req, res, 'pledges/list', {
      titleKey: 'pledgeList.title',
      version: {
        number: page.version.number,
        effectiveOn: page.version.effectiveOn,
        inForce: page.version.inForce,
        url: `/conventions/${versionNumber}`,
      },
      counts: page.counts,
      items: page.items.map((entry) => listRow(entry, locale)),
      nextUrl: page.nextCursor
        ? `${path}?${new URLSearchParams({ cursor: page.nextCursor }).toString()}`
        : null,
      firstUrl: cursor ? path : null,
      csvUrl: `${path}/export.csv`,
    });
  }

  @Get('export.csv')
  async export(
    @Param('versionNumber') raw: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const versionNumber = parseVersionNumber(raw);
    const csv = await signatoryCsv(this.lists.allEntries(versionNumber), req.locale ?? 'zh-CN');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${signatoryCsvName(versionNumber)}"`,
    );
    res.send(csv);
  }
}

function listRow(entry: SignatoryEntry, locale: Locale) {
  return {
    firmId: entry.firmId,
    firmName: entry.firmName,
    firmNameEn: entry.firmNameEn,
    status: entry.status,
    statusLabel: translate(locale, `pledgeList.status.${entry.status}`),
    date: entry.date ? beijingDate(new Date(entry.date)) : null,
    dateIso: entry.date,
  };
}
