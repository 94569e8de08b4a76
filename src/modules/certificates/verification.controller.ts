import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ApiDocumented } from '../../common/http/api-docs.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import {
  VerificationService,
  type PdfVerification,
  type Verification,
} from './verification.service.js';

/** Public verification API (issue 7 §5); the page is /verify/{serial}. Nothing is stored. */
@ApiTags('certificates')
@Controller('api/v1/certificates')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Get('verify/:serial')
  @ApiDocumented({
    summary:
      'What a certificate is worth today: valid, revoked (when, why), expired, altered (its ' +
      'record no longer matches its signature) or unknown (also for malformed serials), with ' +
      "its facts, the holder's current status, the signed payload, kid and signature. ",
    access: 'public',
    errors: [],
  })
  verify(@Param('serial') serial: string): Promise<Verification> {
    return this.verification.verify(serial);
  }

  @Post('verify-pdf')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'The PDF to check.' } },
    },
  })
  @ApiDocumented({
    summary:
      'Whether an uploaded PDF is exactly an issued certificate (by its SHA-256) and that ' +
      "certificate's status; nothing is stored.",
    access: 'public',
    errors: [
      [400, 'FILE_MISSING'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'NOT_A_PDF'],
    ],
  })
  verifyPdf(@UploadedFile() file: UploadedFileData | undefined): Promise<PdfVerification> {
    return this.verification.verifyPdf(file?.buffer);
  }
}
