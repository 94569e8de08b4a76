import { Controller, Get, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { ListMembersDto, MemberFiltersDto } from './dto/list-members.dto.js';
import { ImportResultView, MemberPageView } from './dto/member-page.dto.js';
import {
  exportFileName,
  IMPORT_COLUMNS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
} from './members-csv.js';
import {
  ImportUploadInterceptor,
  IMPORT_FIELD,
  isCsvBody,
  readCsvBody,
  uploadedImport,
} from './members-upload.js';
import { MembersService, type ImportResult, type MemberPage } from './members.service.js';
import { MembershipError } from './membership.errors.js';

@ApiTags('membership')
@Controller('api/v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @ApiDocumented({
    summary: 'The member register: firms in every status, filtered, with what each still owes',
    description:
      'In name order, keyset-paginated: pass nextCursor back as `cursor`. `limit` is 1-100 (default 50).',
    access: ['staff_admin', 'staff_reviewer'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'MEMBER_CURSOR_INVALID'],
    ],
  })
  @ApiOkResponse({ type: MemberPageView })
  list(@Query() query: ListMembersDto): Promise<MemberPage> {
    return this.members.list(query);
  }

  @Get('export.csv')
  @ApiDocumented({
    summary: 'The filtered member register as a CSV file for Excel',
    description:
      'Same filters as the list, all pages. UTF-8 with a byte-order mark, RFC 4180 quoting; cells that a spreadsheet would run as a formula start with an apostrophe. Headings and labels follow the request language (?lang=en for English).',
    access: ['staff_admin', 'staff_reviewer'],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async export(
    @Query() filters: MemberFiltersDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.members.exportCsv(filters, req.locale ?? 'zh-CN');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName()}"`);
    res.setHeader('Cache-Control', 'no-store');
    return csv;
  }

  @Post('import')
  @UseInterceptors(ImportUploadInterceptor)
  @ApiDocumented({
    summary: 'Import existing members from CSV: all rows or none',
    description:
      `Send the file as multipart/form-data (field "${IMPORT_FIELD}") or as the body with Content-Type text/csv. ` +
      `Header: ${IMPORT_COLUMNS.join(',')}. At most ${IMPORT_MAX_ROWS} rows and ${IMPORT_MAX_BYTES / 1024 / 1024} MB. ` +
      'Every row is checked first; if any is wrong nothing is imported and the 400 problem lists every bad line in `lineErrors` (line 1 is the header). ' +
      'Otherwise each row becomes an active member firm.',
    access: ['staff_admin'],
    errors: [
      [400, 'MEMBER_IMPORT_INVALID'],
      [400, 'MEMBER_IMPORT_FILE_MISSING'],
      [413, 'MEMBER_IMPORT_TOO_LARGE'],
      [413, 'MEMBER_IMPORT_TOO_MANY_ROWS'],
    ],
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      type: 'object',
      required: [IMPORT_FIELD],
      properties: { [IMPORT_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: ImportResultView })
  async import(@Auth() auth: AuthContext, @Req() req: Request): Promise<ImportResult> {
    const upload = uploadedImport(req);
    const bytes = upload ? upload.buffer : isCsvBody(req) ? await readCsvBody(req) : null;
    if (!bytes) throw new MembershipError('MEMBER_IMPORT_FILE_MISSING');
    return this.members.importCsv(auth.user, bytes, requestMeta(req));
  }
}
