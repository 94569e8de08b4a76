import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ROLES } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import {
  AttachmentsService,
  toAttachmentView,
  type AttachmentView,
} from './attachments.service.js';
import type { ComplaintCategory } from './categories.js';
import { FileTicketDto } from './dto/file-ticket.dto.js';
import { ListTicketsDto } from './dto/list-tickets.dto.js';
import { TicketDraftDto, UpdateTicketDraftDto } from './dto/ticket-draft.dto.js';
import { CURRENT_RULES, rulesFingerprint } from './mediation-rules.js';
import type { TicketView } from './ticket-view.js';
import type { TicketState } from './ticket.state.js';
import { TicketsService, type TicketPage, type TimelineItem } from './tickets.service.js';

const uuid = new ParseUUIDPipe();
type TicketResponse = TicketView & { evidence: AttachmentView[] };

/** Filing and reading complaints (issue 5 §1, §8). */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get('rules')
  @ApiDocumented({
    summary: 'The mediation rules in force: text in Chinese and English, version, SHA-256',
    access: 'public',
  })
  @ApiOkResponse({ description: '{version, sha256, zh, en}' })
  rules(): { version: string; sha256: string; zh: string; en: string } {
    return { ...CURRENT_RULES, sha256: rulesFingerprint(CURRENT_RULES) };
  }

  @Get('respondents')
  @ApiDocumented({
    summary: 'Member firms a complaint can be filed against, by name (public directory data)',
    access: 'public',
  })
  @ApiOkResponse({ description: '{items: [{id, name, nameEn, creditCode}]}' })
  async respondents(
    @Query('q') q: unknown,
  ): Promise<{ items: Awaited<ReturnType<TicketsService['respondents']>> }> {
    return { items: await this.tickets.respondents(typeof q === 'string' ? q : '') };
  }

  @Post('tickets')
  @ApiDocumented({
    summary: 'Start a complaint draft with any of its fields',
    access: ['complainant'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'RESPONDENT_NOT_MEMBER'],
      [400, 'CATEGORY_INVALID'],
      [400, 'AMOUNT_INVALID'],
    ],
  })
  async create(@Auth() auth: AuthContext, @Body() body: TicketDraftDto): Promise<TicketResponse> {
    const ticket = await this.tickets.createDraft(auth.user, body);
    return this.response(auth, ticket.id);
  }

  @Patch('tickets/:id')
  @ApiDocumented({
    summary: 'Edit a draft (only its author, only while it is a draft)',
    access: ['complainant'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'RESPONDENT_NOT_MEMBER'],
      [400, 'CATEGORY_INVALID'],
      [400, 'AMOUNT_INVALID'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  async update(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: UpdateTicketDraftDto,
    @Req() req: Request,
  ): Promise<TicketResponse> {
    const { expectedVersion, ...fields } = body;
    await this.tickets.updateDraft(auth.user, id, fields, expectedVersion, requestMeta(req));
    return this.response(auth, id);
  }

  @Post('tickets/:id/file')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'File a draft: gives it its number (SZIFA-M-YYYY-NNNNNN), starts the triage clock and ' +
      'e-mails a receipt. Needs a verified e-mail and consent to the current rules.',
    access: ['complainant'],
    errors: [
      [400, 'DRAFT_INCOMPLETE'],
      [400, 'RESPONDENT_NOT_MEMBER'],
      [400, 'CONSENT_REQUIRED'],
      [403, 'EMAIL_NOT_VERIFIED'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  async file(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: FileTicketDto,
    @Req() req: Request,
  ): Promise<TicketResponse> {
    await this.tickets.file(auth.user, auth.emailVerified, id, body, requestMeta(req));
    return this.response(auth, id);
  }

  @Get('tickets')
  @ApiDocumented({
    summary:
      'Tickets the caller may see, newest first (keyset: limit ≤ 100, cursor): a complainant ' +
      'their own, a firm those against it, a mediator those assigned, staff all filed ones with ' +
      'filters',
    access: [...ROLES],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CURSOR_INVALID'],
    ],
  })
  list(@Auth() auth: AuthContext, @Query() query: ListTicketsDto): Promise<TicketPage> {
    return this.tickets.list(
      auth.user,
      {
        state: query.state as TicketState | undefined,
        category: query.category as ComplaintCategory | undefined,
        firmId: query.firmId,
        mediatorUserId: query.mediatorUserId,
        number: query.number,
        overdue: query.overdue === 'true' ? true : undefined,
      },
      { limit: query.limit, cursor: query.cursor },
    );
  }

  @Get('tickets/:id')
  @ApiDocumented({
    summary:
      'One ticket as the caller may see it (the firm sees a masked complainant until the ' +
      'mediator releases contact details)',
    access: [...ROLES],
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<TicketResponse> {
    return this.response(auth, id);
  }

  @Get('tickets/:id/timeline')
  @ApiDocumented({
    summary: "The ticket's history (parties see entries meant for all; mediator and staff all)",
    access: [...ROLES],
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  async timeline(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
  ): Promise<{ items: TimelineItem[] }> {
    const { ticket, party } = await this.tickets.find(auth.user, id);
    return { items: await this.tickets.timeline(ticket.id, party) };
  }

  @Post('tickets/:id/attachments')
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
      'Add evidence to a draft (at most 10 files). The type is read from the content; over ' +
      'UPLOAD_MAX_BYTES answers 413 and nothing is kept.',
    access: ['complainant'],
    errors: [
      [400, 'FILE_MISSING'],
      [400, 'TOO_MANY_ATTACHMENTS'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE_TYPE'],
    ],
  })
  async addAttachment(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @UploadedFile() file: UploadedFileData | undefined,
  ): Promise<AttachmentView> {
    return toAttachmentView(await this.tickets.addEvidence(auth.user, id, file));
  }

  @Delete('tickets/:id/attachments/:attId')
  @HttpCode(204)
  @ApiDocumented({
    summary: "Remove a file from a draft's evidence",
    access: ['complainant'],
    errors: [
      [404, 'TICKET_NOT_FOUND'],
      [404, 'ATTACHMENT_NOT_FOUND'],
      [409, 'TRANSITION_NOT_ALLOWED'],
    ],
  })
  @ApiNoContentResponse()
  removeAttachment(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('attId', uuid) attId: string,
  ): Promise<void> {
    return this.tickets.removeEvidence(auth.user, id, attId);
  }

  @Get('tickets/:id/attachments/:attId')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiDocumented({
    summary: 'Download an attachment the caller may read (by the visibility of its message)',
    access: [...ROLES],
    errors: [
      [404, 'TICKET_NOT_FOUND'],
      [404, 'ATTACHMENT_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ description: 'The file.' })
  async download(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('attId', uuid) attId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { attachment, bytes, downloadName } = await this.attachments.download(
      auth.user,
      id,
      attId,
    );
    sendDocumentHeaders(res, attachment.contentType, downloadName, bytes.length);
    return new StreamableFile(bytes);
  }

  private async response(auth: AuthContext, id: string): Promise<TicketResponse> {
    const view = await this.tickets.get(auth.user, id);
    return { ...view, evidence: view.evidence.map(toAttachmentView) };
  }
}
