import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
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
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import type { Role } from '../../common/auth/roles.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import { DocumentsService, toDocumentView, type DocumentView } from './documents.service.js';
import { DocumentListResponse, DocumentResponse } from './dto/firm-portal-responses.dto.js';
import { UploadDocumentDto } from './dto/upload-document.dto.js';
import { DOCUMENT_KINDS } from './entities/firm-document.entity.js';

const READERS: Role[] = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'];
const uuid = new ParseUUIDPipe();

@ApiTags('membership')
@Controller('api/v1/firms/:firmId/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @ApiDocumented({
    summary: "The firm's current documents, newest first. Other firms answer 404.",
    access: READERS,
    errors: [[404, 'FIRM_NOT_FOUND']],
  })
  @ApiOkResponse({ type: DocumentListResponse })
  async list(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
  ): Promise<{ items: DocumentView[] }> {
    const docs = await this.documents.listForFirm(auth.user, firmId);
    return { items: docs.map(toDocumentView) };
  }

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG.' },
        kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
      },
    },
  })
  @ApiDocumented({
    summary:
      'Upload a document. The type is read from the content (PDF, JPEG, PNG), never the name; ' +
      'over UPLOAD_MAX_BYTES answers 413 and nothing is kept.',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'FILE_MISSING'],
      [404, 'FIRM_NOT_FOUND'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'UNSUPPORTED_FILE_TYPE'],
    ],
  })
  @ApiCreatedResponse({ type: DocumentResponse })
  async upload(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Body() body: UploadDocumentDto,
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
  ): Promise<DocumentView> {
    const doc = await this.documents.upload(auth.user, firmId, body.kind, file, requestMeta(req));
    return toDocumentView(doc);
  }

  @Get(':id')
  @ApiDocumented({
    summary: "One document's record (staff also see removed ones)",
    access: READERS,
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'DOCUMENT_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: DocumentResponse })
  async get(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
  ): Promise<DocumentView> {
    return toDocumentView(await this.documents.find(auth.user, firmId, id));
  }

  @Get(':id/content')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiDocumented({
    summary: "Download a document's bytes, as an attachment with the type found in its content",
    access: READERS,
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'DOCUMENT_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ description: 'The file.' })
  async content(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { document, downloadName, bytes } = await this.documents.content(auth.user, firmId, id);
    sendDocumentHeaders(res, document.contentType, downloadName, bytes.length);
    return new StreamableFile(bytes);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiDocumented({
    summary: 'Remove a document: the firm no longer sees it; the bytes are kept as evidence',
    access: ['firm_admin'],
    errors: [
      [404, 'FIRM_NOT_FOUND'],
      [404, 'DOCUMENT_NOT_FOUND'],
    ],
  })
  @ApiNoContentResponse()
  remove(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<void> {
    return this.documents.remove(auth.user, firmId, id, requestMeta(req));
  }
}
