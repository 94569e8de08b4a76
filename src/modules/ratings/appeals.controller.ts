import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UploadedFile,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { AppealsService, type AppealView, type AppealWindow } from './appeals.service.js';
import { DecideAppealDto, FileAppealDto } from './dto/appeal.dto.js';
import { RatingsQueryService, type PublicRatingHistory } from './ratings-query.service.js';

const uuid = new ParseUUIDPipe();
const FIRM = ['firm_admin', 'firm_member'] as const;
const STAFF = ['staff_admin', 'staff_reviewer'] as const;
/** Most documents one appeal form takes at once. */
export const MAX_APPEAL_FILES = 10;

/** Appeals against published ratings, and the public rating history (issue 6 §5–6). */
@ApiTags('ratings')
@Controller('api/v1/ratings')
export class AppealsController {
  constructor(
    private readonly appeals: AppealsService,
    private readonly query: RatingsQueryService,
  ) {}

  @Get('firms/:firmId/history')
  @ApiDocumented({
    summary:
      "A firm's public rating record: the current grade (marked under appeal) and every earlier record with its status and appeal outcome",
    access: 'public',
    errors: [[404, 'NOT_FOUND']],
  })
  history(@Param('firmId', uuid) firmId: string): Promise<PublicRatingHistory> {
    return this.query.publicHistory(firmId);
  }

  @Get('ratings/:ratingId/appeal-window')
  @ApiDocumented({
    summary: "The appeal window of one of the firm's ratings (last day, open or not)",
    access: [...FIRM, ...STAFF],
    errors: [[404, 'RATING_NOT_FOUND']],
  })
  window(
    @Auth() auth: AuthContext,
    @Param('ratingId', uuid) ratingId: string,
  ): Promise<AppealWindow> {
    return this.appeals.window(auth.user, ratingId);
  }

  @Post('ratings/:ratingId/appeal')
  @UseInterceptors(FilesInterceptor('documents', MAX_APPEAL_FILES))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reasons'],
      properties: {
        reasons: { type: 'string' },
        documents: { type: 'array', items: { type: 'string', format: 'binary' } },
      },
    },
  })
  @ApiDocumented({
    summary:
      'Appeal a current rating within RATING_APPEAL_DAYS of publication, once, with reasons and documents; the rating is marked under appeal',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'COMMENT_REQUIRED'],
      [404, 'RATING_NOT_FOUND'],
      [409, 'RATING_NOT_CURRENT'],
      [409, 'APPEAL_EXISTS'],
      [409, 'APPEAL_WINDOW_CLOSED'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE_TYPE'],
    ],
  })
  file(
    @Auth() auth: AuthContext,
    @Param('ratingId', uuid) ratingId: string,
    @Body() body: FileAppealDto,
    @UploadedFiles() files: UploadedFileData[] | undefined,
    @Req() req: Request,
  ): Promise<AppealView> {
    return this.appeals.file(
      auth.user,
      ratingId,
      { reasons: body.reasons ?? '' },
      files ?? [],
      requestMeta(req),
    );
  }

  @Get('appeals')
  @ApiDocumented({
    summary: 'Pending appeals, without firms the viewer declared a link with',
    access: [...STAFF],
  })
  async pending(@Auth() auth: AuthContext): Promise<{ items: AppealView[] }> {
    return { items: await this.appeals.pending(auth.user) };
  }

  @Get('appeals/:id')
  @ApiDocumented({
    summary: 'One appeal (the firm sees only its own)',
    access: [...FIRM, ...STAFF],
    errors: [[404, 'APPEAL_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<AppealView> {
    return this.appeals.get(auth.user, id);
  }

  @Post('appeals/:id/documents')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiDocumented({
    summary: 'Add a supporting document to a pending appeal',
    access: ['firm_admin'],
    errors: [
      [400, 'FILE_MISSING'],
      [404, 'APPEAL_NOT_FOUND'],
      [409, 'APPEAL_DECIDED'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE_TYPE'],
    ],
  })
  addDocument(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
  ): Promise<AppealView> {
    return this.appeals.addDocument(auth.user, id, file, requestMeta(req));
  }

  @Post('appeals/:id/decision')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Decide an appeal: upheld, or changed to a new grade (a new current record); rationale required; only a reviewer independent of the original decision and without a declared link',
    access: [...STAFF],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'RATIONALE_REQUIRED'],
      [400, 'GRADE_INVALID'],
      [403, 'REVIEWER_CONFLICT'],
      [403, 'APPEAL_REVIEWER_NOT_INDEPENDENT'],
      [404, 'APPEAL_NOT_FOUND'],
      [409, 'APPEAL_DECIDED'],
      [409, 'RATING_NOT_CURRENT'],
      [409, 'CONFLICT'],
    ],
  })
  decide(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: DecideAppealDto,
    @Req() req: Request,
  ): Promise<AppealView> {
    return this.appeals.decide(
      auth.user,
      id,
      {
        outcome: body.outcome,
        grade: body.grade ?? null,
        rationale: body.rationale ?? '',
        expectedVersion: body.expectedVersion,
      },
      requestMeta(req),
    );
  }
}
