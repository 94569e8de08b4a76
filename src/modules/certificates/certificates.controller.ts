import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { pdfDownload } from '../files/uploaded-file.js';
import {
  CertificatesService,
  type CertificatePage,
  type CertificateView,
} from './certificates.service.js';
import {
  CertificateListQueryDto,
  IssueCertificateDto,
  RevokeCertificateDto,
} from './dto/certificates.dto.js';

const STAFF = ['staff_admin', 'staff_reviewer'] as const;
const READERS = ['staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member'] as const;

@ApiTags('certificates')
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Post()
  @ApiDocumented({
    summary:
      'Issue a certificate from an eligible record (active membership, valid pledge signature in force, current rating); issuing again returns the first',
    access: [...STAFF],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'KIND_INVALID'],
      [409, 'NOT_ELIGIBLE'],
    ],
  })
  issue(@Auth() auth: AuthContext, @Body() body: IssueCertificateDto): Promise<CertificateView> {
    return this.certificates.issue(auth.user, body.kind, body.subjectId, { year: body.year });
  }

  @Get()
  @ApiDocumented({
    summary: "Certificates, newest serial first: staff all, firm users their own firm's",
    access: [...READERS],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  list(
    @Auth() auth: AuthContext,
    @Query() query: CertificateListQueryDto,
  ): Promise<CertificatePage> {
    return this.certificates.list(auth.user, query);
  }

  @Get(':id')
  @ApiDocumented({
    summary: 'A certificate with its signed payload (staff, or its own firm; others 404)',
    access: [...READERS],
    errors: [[404, 'CERTIFICATE_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<CertificateView> {
    return this.certificates.get(auth.user, id);
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiDocumented({
    summary: 'Download the certificate PDF (re-rendered and checked against its stored SHA-256)',
    access: [...READERS],
    errors: [[404, 'CERTIFICATE_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The PDF.' })
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { serial, pdf } = await this.certificates.pdf(auth.user, id);
    return pdfDownload(res, `${serial}.pdf`, pdf);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Revoke a certificate with a reason; verification shows it at once',
    access: ['staff_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'REASON_REQUIRED'],
      [404, 'CERTIFICATE_NOT_FOUND'],
      [409, 'ALREADY_REVOKED'],
    ],
  })
  revoke(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: RevokeCertificateDto,
  ): Promise<CertificateView> {
    return this.certificates.revoke(auth.user, id, body.reason);
  }
}
