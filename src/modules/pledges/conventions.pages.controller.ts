import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { beijingDate } from '../../common/time/beijing.js';
import { ConventionsService } from './conventions.service.js';
import type { ConventionVersion } from './entities/convention-version.entity.js';
import { PledgesError } from './pledges.errors.js';

const VERSION_NUMBER = /^[1-9]\d{0,8}$/;

function versionNumberOf(value: unknown): number | null {
  return typeof value === 'string' && VERSION_NUMBER.test(value) ? Number(value) : null;
}

/** The public record of every published convention version: its text, fingerprint and changes. */
@Public()
@Controller('conventions')
export class ConventionsPagesController {
  constructor(
    private readonly conventions: ConventionsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const [versions, inForce] = await Promise.all([
      this.conventions.listVersions(),
      this.conventions.current(),
    ]);
    const today = beijingDate(new Date());
    this.pages.send(req, res, 'conventions/index', {
      titleKey: 'convention.title',
      versions: versions.map((v) => ({
        versionNumber: v.versionNumber,
        title: this.title(req, v),
        effectiveOn: v.effectiveOn,
        fingerprint: v.fingerprint,
        inForce: inForce?.id === v.id,
        upcoming: v.effectiveOn !== null && v.effectiveOn > today,
      })),
      compare:
        versions.length >= 2
          ? { from: versions[1].versionNumber, to: versions[0].versionNumber }
          : null,
    });
  }

  @Get('diff')
  async diff(@Req() req: Request, @Res() res: Response): Promise<void> {
    const from = versionNumberOf(req.query.from);
    const to = versionNumberOf(req.query.to);
    if (from === null || to === null) throw new PledgesError('CONVENTION_DIFF_INVALID');
    const diff = await this.conventions.diff(from, to);
    this.pages.send(req, res, 'conventions/diff', {
      titleKey: 'convention.diff.title',
      from: { versionNumber: diff.from.versionNumber, title: this.title(req, diff.from) },
      to: { versionNumber: diff.to.versionNumber, title: this.title(req, diff.to) },
      added: diff.added,
      removed: diff.removed,
      lines: diff.lines.map((line) => ({
        ...line,
        isAdded: line.op === 'added',
        isRemoved: line.op === 'removed',
      })),
    });
  }

  @Get(':versionNumber')
  async version(
    @Param('versionNumber') param: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const number = versionNumberOf(param);
    if (number === null) throw new PledgesError('CONVENTION_NOT_FOUND');
    const version = await this.conventions.getPublished(number);
    const [inForce, all] = await Promise.all([
      this.conventions.current(),
      this.conventions.listVersions(),
    ]);
    const html = this.conventions.preview(version);
    const previous = all.find((v) => v.versionNumber < version.versionNumber) ?? null;
    const en = req.locale === 'en';
    this.pages.send(req, res, 'conventions/version', {
      titleKey: 'convention.version.title',
      version: {
        versionNumber: version.versionNumber,
        titleZh: version.titleZh,
        titleEn: version.titleEn,
        fingerprint: version.fingerprint,
        effectiveOn: version.effectiveOn,
        publishedAt: version.publishedAt ? version.publishedAt.toISOString() : null,
        inForce: inForce?.id === version.id,
        superseded: all.some((v) => v.versionNumber > version.versionNumber),
      },
      // Produced by markdown.ts, which escapes the whole source before adding any tag.
      bodyHtml: en && html.en !== null ? html.en : html.zh,
      otherBodyHtml: en ? html.zh : html.en,
      previous: previous ? previous.versionNumber : null,
    });
  }

  private title(req: Request, version: ConventionVersion): string {
    return req.locale === 'en' && version.titleEn ? version.titleEn : version.titleZh;
  }
}
