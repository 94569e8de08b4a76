import { Controller, Get, Param, ParseIntPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { ListSignatoriesDto } from './dto/list-signatories.dto.js';
import { SignatoryPageView } from './dto/signatory-views.dto.js';
import { signatoryCsv, signatoryCsvName } from './signatory-list.csv.js';
import { SignatoryListService, type SignatoryPage } from './signatory-list.service.js';

@ApiTags('pledges')
@Controller('api/v1/conventions/:versionNumber/signatories')
export class SignatoryListController {
  constructor(private readonly lists: SignatoryListService) {}

  @Get()
  @ApiDocumented({
    summary:
      'The public signatory list of a published convention version: firm, status, date, and counts of signed vs outstanding',
    description:
      'In firm-name order, keyset-paginated: pass nextCursor back as `cursor`. Status is signed, superseded (a later version is in force), withdrawn or expelled (the obligation ended, with its date), or not_signed.',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'SIGNATORY_CURSOR_INVALID'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: SignatoryPageView })
  list(
    @Param('versionNumber', ParseIntPipe) versionNumber: number,
    @Query() query: ListSignatoriesDto,
  ): Promise<SignatoryPage> {
    return this.lists.publicPage(versionNumber, query);
  }

  @Get('export.csv')
  @ApiDocumented({
    summary: 'The whole public signatory list of a version as a CSV file for Excel',
    description:
      'UTF-8 with a byte-order mark, RFC 4180 quoting; cells a spreadsheet would run as a formula start with an apostrophe. Headings and labels follow the request language (?lang=en).',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'CONVENTION_NOT_FOUND'],
    ],
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async export(
    @Param('versionNumber', ParseIntPipe) versionNumber: number,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await signatoryCsv(this.lists.allEntries(versionNumber), req.locale ?? 'zh-CN');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${signatoryCsvName(versionNumber)}"`,
    );
    return csv;
  }
}
