import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { sendDocumentHeaders, type UploadedFileData } from '../files/uploaded-file.js';
import { CyclesService, type CycleView } from './cycles.service.js';
import { toRatingDocumentView, type RatingDocumentView } from './documents.service.js';
import { SaveSubmissionValuesDto } from './dto/submission-values.dto.js';
import {
  SubmissionsService,
  toSubmissionView,
  type SubmissionView,
} from './submissions.service.js';

const FIRM: Role[] = ['firm_admin', 'firm_member'];
const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];
const uuid = new ParseUUIDPipe();

const VALUE_ERRORS: Array<[number, string]> = [
  [400, 'VALUES_INVALID'],
  [404, 'CYCLE_NOT_FOUND'],
  [409, 'CYCLE_NOT_OPEN'],
  [409, 'WINDOW_CLOSED'],
  [409, 'FIRM_NOT_RATEABLE'],
  [409, 'SUBMISSION_LOCKED'],
];

@ApiTags('ratings')
@Controller('api/v1/ratings')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly cycles: CyclesService,
  ) {}

  @Get('cycles/:cycleId/submissions/mine')
  @ApiDocumented({
    summary:
      "The firm's submission for a cycle (null before a draft is started), with the platform's dispute indicators (a preview while editable)",
    access: FIRM,
    errors: [[404, 'CYCLE_NOT_FOUND']],
  })
  async mine(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
  ): Promise<{
    cycle: CycleView;
    submission: SubmissionView | null;
    platformValues: Record<string, string>;
    editable: boolean;
  }> {
    const mine = await this.submissions.mine(auth.user, cycleId);
    return {
      cycle: await this.cycles.view(mine.cycle),
      submission: mine.submission ? toSubmissionView(mine.submission) : null,
      platformValues: mine.platformValues,
      editable: mine.editable,
    };
  }

  @Put('cycles/:cycleId/submissions/mine/values')
  @ApiDocumented({
    summary:
      'Save draft values (partial drafts allowed; starts the draft). Problems answer 400 VALUES_INVALID with `problems` [{key, code, zh, en}] per indicator',
    access: ['firm_admin'],
    errors: [[400, 'VALIDATION_FAILED'], ...VALUE_ERRORS, [409, 'CONFLICT']],
  })
  async saveValues(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @Body() body: SaveSubmissionValuesDto,
    @Req() req: Request,
  ): Promise<SubmissionView> {
    return toSubmissionView(
      await this.submissions.saveValues(
        auth.user,
        cycleId,
        body.values,
        body.version,
        requestMeta(req),
      ),
    );
  }

  @Post('cycles/:cycleId/submissions/mine/submit')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Submit within the window: every firm indicator valid (else VALUES_INVALID listing them); the dispute indicators and the score are computed; the values lock',
    access: ['firm_admin'],
    errors: [...VALUE_ERRORS, [409, 'WINDOW_NOT_OPEN'], [409, 'TRANSITION_NOT_ALLOWED']],
  })
  async submit(
    @Auth() auth: AuthContext,
    @Param('cycleId', uuid) cycleId: string,
    @Req() req: Request,
  ): Promise<SubmissionView> {
    return toSubmissionView(await this.submissions.submit(auth.user, cycleId, requestMeta(req)));
  }

  @Get('submissions/:id')
  @ApiDocumented({
    summary: 'A submission (its own firm, or staff); other firms answer 404',
    access: READERS,
    errors: [[404, 'SUBMISSION_NOT_FOUND']],
  })
  async get(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<SubmissionView> {
    return toSubmissionView(await this.submissions.findVisible(auth.user, id));
  }

  @Get('submissions/:id/documents')
  @ApiDocumented({
    summary: "A submission's current supporting documents, oldest first",
    access: READERS,
    errors: [[404, 'SUBMISSION_NOT_FOUND']],
  })
  async documents(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
  ): Promise<{ items: RatingDocumentView[] }> {
    const docs = await this.submissions.listDocuments(auth.user, id);
    return { items: docs.map(toRatingDocumentView) };
  }

  @Post('submissions/:id/documents')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG.' } },
    },
  })
  @ApiDocumented({
    summary:
      'Upload a supporting document while the submission is a draft or returned (membership upload rules: type from the content, size limit 413)',
    access: ['firm_admin'],
    errors: [
      [400, 'FILE_MISSING'],
      [404, 'SUBMISSION_NOT_FOUND'],
      [409, 'SUBMISSION_LOCKED'],
      [409, 'CYCLE_NOT_OPEN'],
      [409, 'WINDOW_CLOSED'],
      [409, 'TOO_MANY_DOCUMENTS'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE_TYPE'],
    ],
  })
  async upload(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
  ): Promise<RatingDocumentView> {
    return toRatingDocumentView(
      await this.submissions.uploadDocument(auth.user, id, file, requestMeta(req)),
    );
  }

  @Get('submissions/:id/documents/:docId')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiDocumented({
    summary: "Download a document's bytes (its firm and staff)",
    access: READERS,
    errors: [
      [404, 'SUBMISSION_NOT_FOUND'],
      [404, 'DOCUMENT_NOT_FOUND'],
    ],
  })
  async download(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('docId', uuid) docId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { document, bytes, downloadName } = await this.submissions.documentContent(
      auth.user,
      id,
      docId,
    );
    sendDocumentHeaders(res, document.contentType, downloadName, bytes.length);
    return new StreamableFile(bytes);
  }

  @Delete('submissions/:id/documents/:docId')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Remove a document while the submission is a draft or returned (the bytes are kept)',
    access: ['firm_admin'],
    errors: [
      [404, 'SUBMISSION_NOT_FOUND'],
      [404, 'DOCUMENT_NOT_FOUND'],
      [409, 'SUBMISSION_LOCKED'],
    ],
  })
  remove(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('docId', uuid) docId: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.submissions.removeDocument(auth.user, id, docId, requestMeta(req));
  }
}
