import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { pdfDownload } from '../files/uploaded-file.js';
import {
  CreateSettlementDto,
  SettlementVersionDto,
  UpdateSettlementDto,
} from './dto/create-settlement.dto.js';
import { ConfirmPerformanceDto, RecordPerformanceDto } from './dto/performance.dto.js';
import { ReopenTicketDto } from './dto/reopen-ticket.dto.js';
import { SignSettlementDto } from './dto/sign-settlement.dto.js';
import { SubmitSurveyDto, SurveySummaryQueryDto } from './dto/survey.dto.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { JudicialExportService, type JudicialExport } from './judicial-export.service.js';
import { PerformanceService } from './performance.service.js';
import {
  SettlementSigningService,
  type SettlementSignatureView,
  type SettlementVerification,
} from './settlement-signing.service.js';
import { SettlementDocumentsService } from './settlement-documents.service.js';
import { SettlementsService, type SettlementView } from './settlements.service.js';
import { SurveysService, type SurveySummary, type SurveyView } from './surveys.service.js';
import { ROLES } from '../../common/auth/roles.js';

/** Ticket fields the performance and reopen calls answer with. */
function ticketState(ticket: DisputeTicket) {
  return {
    id: ticket.id,
    number: ticket.number,
    state: ticket.state,
    outcome: ticket.outcome,
    reopenedAt: ticket.reopenedAt?.toISOString() ?? null,
    closedAt: ticket.closedAt?.toISOString() ?? null,
    version: ticket.version,
  };
}

@ApiTags('disputes')
@Controller('api/v1/disputes')
export class SettlementsController {
  constructor(
    private readonly settlements: SettlementsService,
    private readonly signing: SettlementSigningService,
    private readonly performance: PerformanceService,
    private readonly exports: JudicialExportService,
    private readonly surveys: SurveysService,
    private readonly documents: SettlementDocumentsService,
  ) {}

  @Post('tickets/:id/settlements')
  @ApiDocumented({
    summary: 'Draft a settlement agreement (the mediator who accepted the case, in mediation)',
    access: ['mediator'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'AMOUNT_INVALID'],
      [400, 'SETTLEMENT_DEADLINE_INVALID'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'SETTLEMENT_EXISTS'],
      [409, 'TRANSITION_NOT_ALLOWED'],
    ],
  })
  draft(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: CreateSettlementDto,
    @Req() req: Request,
  ): Promise<SettlementView> {
    return this.settlements.draft(auth.user, id, body, requestMeta(req));
  }

  @Patch('settlements/:id')
  @ApiDocumented({
    summary: 'Edit a draft settlement (its mediator)',
    access: ['mediator'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'AMOUNT_INVALID'],
      [400, 'SETTLEMENT_DEADLINE_INVALID'],
      [404, 'SETTLEMENT_NOT_FOUND'],
      [409, 'SETTLEMENT_NOT_DRAFT'],
      [409, 'CONFLICT'],
    ],
  })
  update(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateSettlementDto,
  ): Promise<SettlementView> {
    const { expectedVersion, ...input } = body;
    return this.settlements.update(auth.user, id, input, expectedVersion);
  }

  @Post('settlements/:id/send')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Send a draft for signature: renders the agreement and freezes its text and SHA-256',
    access: ['mediator'],
    errors: [
      [404, 'SETTLEMENT_NOT_FOUND'],
      [400, 'SETTLEMENT_DEADLINE_INVALID'],
      [409, 'SETTLEMENT_NOT_DRAFT'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  send(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SettlementVersionDto,
    @Req() req: Request,
  ): Promise<SettlementView> {
    return this.settlements.send(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Post('settlements/:id/withdraw')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Withdraw a settlement not yet signed by both parties (its mediator)',
    access: ['mediator'],
    errors: [
      [404, 'SETTLEMENT_NOT_FOUND'],
      [409, 'SETTLEMENT_NOT_AWAITING'],
      [409, 'CONFLICT'],
    ],
  })
  withdraw(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SettlementVersionDto,
    @Req() req: Request,
  ): Promise<SettlementView> {
    return this.settlements.withdraw(auth.user, id, body.expectedVersion, requestMeta(req));
  }

  @Get('settlements/:id')
  @ApiDocumented({
    summary: 'A settlement (the parties once sent; the mediator and staff also drafts)',
    access: [...ROLES],
    errors: [[404, 'SETTLEMENT_NOT_FOUND']],
  })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SettlementView> {
    return this.settlements.get(auth.user, id);
  }

  @Get('settlements/:id/pdf')
  @ApiProduces('application/pdf')
  @ApiDocumented({
    summary:
      'The agreement as a PDF (调解协议书): the frozen text, both signatures and a QR code of its check',
    description: 'For those who may read the settlement once sent; a draft answers 404.',
    access: [...ROLES],
    errors: [[404, 'SETTLEMENT_NOT_FOUND']],
  })
  @ApiOkResponse({ description: 'The PDF.' })
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { fileName, pdf } = await this.documents.pdf(auth.user, id);
    return pdfDownload(res, fileName, pdf);
  }

  @Get('settlements/:id/text')
  @ApiDocumented({
    summary: 'The frozen agreement text exactly as signed, with its SHA-256 fingerprint',
    access: [...ROLES],
    errors: [[404, 'SETTLEMENT_NOT_FOUND']],
  })
  text(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
  ): Promise<{ text: string; textFingerprint: string }> {
    return this.settlements.text(auth.user, id);
  }

  @Post('settlements/:id/sign')
  @ApiDocumented({
    summary:
      "Sign a settlement (the complainant, or the respondent's authorised signatory; typed name, consent and re-authentication)",
    access: ['complainant', 'firm_admin', 'firm_member'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'TYPED_NAME_MISMATCH'],
      [400, 'SIGN_CONSENT_REQUIRED'],
      [400, 'REAUTH_FAILED'],
      [400, 'TOTP_REQUIRED'],
      [403, 'NOT_SIGNATORY'],
      [404, 'SETTLEMENT_NOT_FOUND'],
      [409, 'ALREADY_SIGNED'],
      [409, 'SETTLEMENT_NOT_AWAITING'],
      [409, 'CONFLICT'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ],
  })
  sign(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SignSettlementDto,
    @Req() req: Request,
  ): Promise<SettlementSignatureView> {
    return this.signing.sign(auth.user, id, body, requestMeta(req));
  }

  @Get('settlements/:id/signatures')
  @ApiDocumented({
    summary: 'The signature records of a settlement (payload, key id, signature)',
    access: [...ROLES],
    errors: [[404, 'SETTLEMENT_NOT_FOUND']],
  })
  signatures(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
  ): Promise<SettlementSignatureView[]> {
    return this.signing.signaturesOf(auth.user, id);
  }

  @Get('settlements/:id/verify')
  @ApiDocumented({
    summary:
      'Verify every signature of a settlement: payload rebuilt from the record, Ed25519 signature, text and consent fingerprints',
    access: [...ROLES],
    errors: [[404, 'SETTLEMENT_NOT_FOUND']],
  })
  verify(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SettlementVerification> {
    return this.signing.verify(auth.user, id);
  }

  @Post('tickets/:id/performance')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Record that the firm performed the signed agreement (an administrator of the firm)',
    access: ['firm_admin'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'ALREADY_PERFORMED'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  recordPerformance(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: RecordPerformanceDto,
    @Req() req: Request,
  ): Promise<SettlementView> {
    return this.performance.record(
      auth.user,
      id,
      body.note,
      body.expectedVersion,
      requestMeta(req),
    );
  }

  @Post('tickets/:id/confirm-performance')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'The complainant confirms performance: the ticket closes and the survey opens',
    access: ['complainant'],
    errors: [
      [404, 'TICKET_NOT_FOUND'],
      [409, 'NOT_PERFORMED'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  async confirmPerformance(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: ConfirmPerformanceDto,
    @Req() req: Request,
  ) {
    return ticketState(
      await this.performance.confirm(auth.user, id, body.expectedVersion, requestMeta(req)),
    );
  }

  @Post('tickets/:id/reopen')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Reopen a settled ticket whose agreement was not performed (once, within 10 working days after the performance deadline)',
    access: ['complainant'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'REASON_REQUIRED'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'REOPEN_USED'],
      [409, 'REOPEN_WINDOW_CLOSED'],
      [409, 'REOPEN_NOT_AFTER_SETTLEMENT'],
      [409, 'TRANSITION_NOT_ALLOWED'],
      [409, 'CONFLICT'],
    ],
  })
  async reopen(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: ReopenTicketDto,
    @Req() req: Request,
  ) {
    return ticketState(
      await this.performance.reopen(
        auth.user,
        id,
        body.reason,
        body.expectedVersion,
        requestMeta(req),
      ),
    );
  }

  @Get('tickets/:id/judicial-export')
  @ApiDocumented({
    summary:
      'The case file for judicial confirmation (司法确认): agreement texts, fingerprints, signatures, evidence hashes, shared messages and timeline',
    access: [...ROLES],
    errors: [[404, 'TICKET_NOT_FOUND']],
  })
  judicialExport(@Auth() auth: AuthContext, @Param('id') id: string): Promise<JudicialExport> {
    return this.exports.build(auth.user, id);
  }

  @Post('tickets/:id/survey')
  @ApiDocumented({
    summary: 'Rate the service once the ticket is closed (the complainant, once)',
    access: ['complainant'],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'RATING_INVALID'],
      [404, 'TICKET_NOT_FOUND'],
      [409, 'SURVEY_NOT_OPEN'],
      [409, 'SURVEY_DONE'],
    ],
  })
  survey(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: SubmitSurveyDto,
    @Req() req: Request,
  ): Promise<SurveyView> {
    return this.surveys.submit(auth.user, id, body, requestMeta(req));
  }

  @Get('surveys/summary')
  @ApiDocumented({
    summary: 'Survey results per mediator or per firm: counts, averages, recent comments',
    access: ['staff_admin', 'staff_reviewer'],
    errors: [[400, 'VALIDATION_FAILED']],
  })
  surveySummary(@Query() query: SurveySummaryQueryDto): Promise<SurveySummary> {
    return this.surveys.summary(query.by ?? 'mediator');
  }
}
