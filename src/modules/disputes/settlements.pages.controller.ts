import { formatFenPlain } from '../../common/money.js';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Public, Roles } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AuthError } from '../auth/auth.errors.js';
import {
  DOCUMENT_CHECK_READER,
  documentCheckContext,
  documentCheckHeaders,
} from '../documents/document-check.js';
import { DocumentLinks } from '../documents/document-links.js';
import { DocumentsError } from '../documents/documents.errors.js';
import { sendPdf } from '../files/uploaded-file.js';
import { bodyOf, catalogueError, domainFieldError, localeOf, text } from '../auth/page-forms.js';
import { DisputesError, type DisputesErrorCode } from './disputes.errors.js';
import { JudicialExportService } from './judicial-export.service.js';
import { PerformanceService } from './performance.service.js';
import { settlementConsentFingerprint } from './settlement-consent.js';
import { SettlementSigningService } from './settlement-signing.service.js';
import { SettlementDocumentsService } from './settlement-documents.service.js';
import { SettlementsService, type SettlementInput } from './settlements.service.js';
import { SURVEY_COMMENT_MAX, SurveysService } from './surveys.service.js';
import { runTicketAction, ticketPath } from './ticket-page-actions.js';
import { ROLES } from '../../common/auth/roles.js';

const uuid = new ParseUUIDPipe();

const DRAFT_FIELDS = ['facts', 'terms', 'amount', 'performanceDeadline'] as const;
const DRAFT_FIELD_OF: Partial<Record<DisputesErrorCode, (typeof DRAFT_FIELDS)[number]>> = {
  AMOUNT_INVALID: 'amount',
  SETTLEMENT_DEADLINE_INVALID: 'performanceDeadline',
};

const SIGN_FIELDS = ['typedName', 'signerTitle', 'consent', 'password', 'totpCode'] as const;
const SIGN_FIELD_OF: Partial<Record<DisputesErrorCode, (typeof SIGN_FIELDS)[number]>> = {
  TYPED_NAME_MISMATCH: 'typedName',
  SIGN_CONSENT_REQUIRED: 'consent',
  REAUTH_FAILED: 'password',
  TOTP_REQUIRED: 'totpCode',
};

interface SignValues {
  typedName: string;
  signerTitle: string;
  consent: boolean;
}

const versionOf = (body: Record<string, unknown>): number | undefined => {
  const n = Number(text(body.version, 12));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** Settlement pages: drafting, the signing ceremony, performance forms, export and survey. */
@ApiExcludeController()
@Controller()
export class SettlementsPagesController {
  constructor(
    private readonly settlements: SettlementsService,
    private readonly signing: SettlementSigningService,
    private readonly performance: PerformanceService,
    private readonly exports: JudicialExportService,
    private readonly surveys: SurveysService,
    private readonly pages: PageRenderer,
    private readonly links: DocumentLinks,
    private readonly documents: SettlementDocumentsService,
  ) {}

  // ---- Drafting (the mediator) ----------------------------------------------------------

  @Get('disputes/tickets/:id/settlements/new')
  @Roles('mediator')
  async newForm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const ticket = await this.settlements.draftable(auth.user, id);
    this.renderDraft(req, res, {
      titleKey: 'disputes.settlement.newTitle',
      action: `/disputes/tickets/${id}/settlements`,
      ticketId: id,
      number: ticket.number,
      values: { facts: ticket.facts, terms: '', amount: '', performanceDeadline: '' },
    });
  }

  @Post('disputes/tickets/:id/settlements')
  @Roles('mediator')
  async create(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = this.draftValues(req);
    const form = {
      titleKey: 'disputes.settlement.newTitle',
      action: `/disputes/tickets/${id}/settlements`,
      ticketId: id,
      values,
    };
    const blank = this.blankDraftFields(values);
    const ticket = await this.settlements.draftable(auth.user, id);
    if (blank.length > 0)
      return this.renderDraft(req, res, { ...form, number: ticket.number }, blank, 400);
    try {
      await this.settlements.draft(auth.user, id, values, requestMeta(req));
    } catch (error) {
      const field = error instanceof DisputesError ? DRAFT_FIELD_OF[error.code] : undefined;
      if (!field || !(error instanceof DisputesError)) throw error;
      return this.renderDraft(
        req,
        res,
        { ...form, number: ticket.number },
        [domainFieldError(field, error)],
        400,
      );
    }
    this.pages.redirect(res, `${ticketPath(id)}?done=settlement.done.drafted#settlement`);
  }

  @Get('disputes/settlements/:id/edit')
  @Roles('mediator')
  async editForm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const s = await this.settlements.get(auth.user, id);
    if (s.status !== 'draft') throw new DisputesError('SETTLEMENT_NOT_DRAFT');
    const ticket = await this.settlements.draftable(auth.user, s.ticketId, true);
    this.renderDraft(req, res, {
      titleKey: 'disputes.settlement.editTitle',
      action: `/disputes/settlements/${id}/edit`,
      ticketId: s.ticketId,
      number: ticket.number,
      version: s.version,
      values: {
        facts: s.facts,
        terms: s.terms,
        amount: formatFenPlain(s.amountFen),
        performanceDeadline: s.performanceDeadline,
      },
    });
  }

  @Post('disputes/settlements/:id/edit')
  @Roles('mediator')
  async edit(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const s = await this.settlements.get(auth.user, id);
    const ticket = await this.settlements.draftable(auth.user, s.ticketId, true);
    const values = this.draftValues(req);
    const version = versionOf(bodyOf(req));
    const form = {
      titleKey: 'disputes.settlement.editTitle',
      action: `/disputes/settlements/${id}/edit`,
      ticketId: s.ticketId,
      number: ticket.number,
      version: version ?? s.version,
      values,
    };
    const blank = this.blankDraftFields(values);
    if (blank.length > 0) return this.renderDraft(req, res, form, blank, 400);
    try {
      await this.settlements.update(auth.user, id, values, version);
    } catch (error) {
      const field = error instanceof DisputesError ? DRAFT_FIELD_OF[error.code] : undefined;
      if (!field || !(error instanceof DisputesError)) throw error;
      return this.renderDraft(req, res, form, [domainFieldError(field, error)], 400);
    }
    this.pages.redirect(res, `${ticketPath(s.ticketId)}?done=settlement.done.drafted#settlement`);
  }

  @Post('disputes/tickets/:id/settlement-send')
  @Roles('mediator')
  async send(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const settlementId = text(bodyOf(req).settlementId, 36);
    await runTicketAction(this.pages, res, id, 'settlement', async () => {
      await this.settlements.send(auth.user, settlementId, undefined, requestMeta(req));
      return 'settlement.done.sent';
    });
  }

  @Post('disputes/tickets/:id/settlement-withdraw')
  @Roles('mediator')
  async withdraw(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const settlementId = text(bodyOf(req).settlementId, 36);
    await runTicketAction(this.pages, res, id, 'settlement', async () => {
      await this.settlements.withdraw(auth.user, settlementId, undefined, requestMeta(req));
      return 'settlement.done.withdrawn';
    });
  }

  // ---- The signing ceremony -------------------------------------------------------------

  @Get('disputes/settlements/:id/sign')
  @Roles('complainant', 'firm_admin', 'firm_member')
  async signForm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderSign(auth, id, req, res, { typedName: '', signerTitle: '', consent: false });
  }

  @Post('disputes/settlements/:id/sign')
  @Roles('complainant', 'firm_admin', 'firm_member')
  async sign(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values: SignValues = {
      typedName: text(body.typedName, 100),
      signerTitle: text(body.signerTitle, 100),
      consent: body.consent === 'yes',
    };
    const password = text(body.password, 200);
    const prepared = await this.signing.prepare(auth.user, id);
    const blank: FieldError[] = [];
    if (values.typedName.trim() === '')
      blank.push(catalogueError('typedName', 'isNotEmpty', 'disputes.settlement.error.typedName'));
    if (prepared.side === 'firm' && values.signerTitle.trim() === '')
      blank.push(
        catalogueError('signerTitle', 'isNotEmpty', 'disputes.settlement.error.signerTitle'),
      );
    if (password === '')
      blank.push(catalogueError('password', 'isNotEmpty', 'disputes.settlement.error.password'));
    if (blank.length > 0) return this.renderSign(auth, id, req, res, values, blank, null, 400);
    try {
      await this.signing.sign(
        auth.user,
        id,
        {
          typedName: values.typedName,
          signerTitle: values.signerTitle,
          consent: values.consent,
          password,
          totpCode: text(body.totpCode, 16),
        },
        requestMeta(req),
      );
    } catch (error) {
      const locale = localeOf(req);
      if (error instanceof DisputesError) {
        const field = SIGN_FIELD_OF[error.code];
        if (field)
          return this.renderSign(
            auth,
            id,
            req,
            res,
            values,
            [domainFieldError(field, error)],
            null,
            error.spec.status,
          );
        if (error.code === 'ALREADY_SIGNED' || error.code === 'SETTLEMENT_NOT_AWAITING')
          return this.renderSign(
            auth,
            id,
            req,
            res,
            values,
            [],
            error.spec[locale === 'en' ? 'en' : 'zh'],
            error.spec.status,
          );
      }
      if (error instanceof AuthError && error.code === 'TOO_MANY_ATTEMPTS')
        return this.renderSign(
          auth,
          id,
          req,
          res,
          values,
          [],
          error.spec[locale === 'en' ? 'en' : 'zh'],
          429,
        );
      throw error;
    }
    this.pages.redirect(
      res,
      `${ticketPath(prepared.ticket.id)}?done=settlement.done.signed#settlement`,
    );
  }

  // ---- Performance, confirmation, reopening ---------------------------------------------

  @Post('disputes/tickets/:id/performance')
  @Roles('firm_admin')
  async recordPerformance(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    await runTicketAction(this.pages, res, id, 'settlement', async () => {
      await this.performance.record(
        auth.user,
        id,
        text(body.note, 5000),
        versionOf(body),
        requestMeta(req),
      );
      return 'settlement.done.performed';
    });
  }

  @Post('disputes/tickets/:id/confirm-performance')
  @Roles('complainant')
  async confirmPerformance(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await runTicketAction(this.pages, res, id, 'settlement', async () => {
      await this.performance.confirm(auth.user, id, versionOf(bodyOf(req)), requestMeta(req));
      return 'settlement.done.confirmed';
    });
  }

  @Post('disputes/tickets/:id/reopen')
  @Roles('complainant')
  async reopen(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    await runTicketAction(this.pages, res, id, 'settlement', async () => {
      await this.performance.reopen(
        auth.user,
        id,
        text(body.reason, 5000),
        versionOf(body),
        requestMeta(req),
      );
      return 'settlement.done.reopened';
    });
  }

  // ---- The agreement as a PDF, and its public check -------------------------------------

  /** For those who may read the settlement once sent (the parties, its mediator, staff). */
  @Get('disputes/settlements/:id/pdf')
  @Roles(...ROLES)
  async pdf(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { fileName, pdf } = await this.documents.pdf(auth.user, id);
    sendPdf(res, fileName, pdf);
  }

  /**
   * The page the agreement's QR code opens: only with the token the PDF carries; a wrong or
   * missing token, an unknown id and a draft all answer 404 alike. Shows the case number, the
   * firm, the dates and the agreement's current state, not its text or the parties' names.
   */
  @Get('verify/document/settlement/:id')
  @Public()
  async check(
    @Param('id') id: string,
    @Query('t') token: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.links.check('settlement', id, token)) throw new DocumentsError('DOCUMENT_NOT_FOUND');
    const found = await this.documents
      .document(DOCUMENT_CHECK_READER, id)
      .catch((error: unknown) => {
        if (error instanceof DisputesError) throw new DocumentsError('DOCUMENT_NOT_FOUND');
        throw error;
      });
    const { view, file, entry, sentOn } = found;
    const status = view.status;
    documentCheckHeaders(res);
    this.pages.send(
      req,
      res,
      'documents/verify',
      documentCheckContext(localeOf(req), {
        kind: 'settlement',
        status,
        statusKey: `disputes.settlement.status.${status}`,
        tone: status === 'signed' ? 'ok' : status === 'withdrawn' ? 'bad' : 'warn',
        rows: [
          {
            label: 'documentPdf.field.number',
            value: `${file.ticket.number ?? view.ticketId}-R${view.revision}`,
            code: true,
          },
          { label: 'documentPdf.field.caseNumber', value: file.ticket.number ?? '—', code: true },
          { label: 'documentPdf.field.firm', value: file.parties.firm?.name ?? '—' },
          { label: 'documentPdf.field.sentAt', value: sentOn },
          {
            label: 'documentPdf.field.signedAt',
            value: view.signedAt ? beijingDate(new Date(view.signedAt)) : '—',
          },
          { label: 'documentPdf.field.performanceDeadline', value: view.performanceDeadline },
          {
            label: 'documentPdf.field.signatures',
            value: translate(
              localeOf(req),
              `disputes.settlement.verification.${entry.verification.status}`,
            ),
          },
          {
            label: 'documentPdf.field.fingerprint',
            value: entry.textFingerprint ?? '—',
            code: true,
          },
        ],
      }),
    );
  }

  // ---- Judicial export -------------------------------------------------------------------

  @Get('disputes/tickets/:id/judicial-export')
  @Roles(...ROLES)
  async judicialExport(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const data = await this.exports.build(auth.user, id);
    this.pages.send(req, res, 'disputes/judicial-export', {
      titleKey: 'disputes.settlement.exportTitle',
      data,
      ticketId: id,
      jsonHref: `/api/v1/disputes/tickets/${id}/judicial-export`,
      settlements: data.settlements.map((s) => ({
        ...s,
        statusLabel: translate(locale, `disputes.settlement.status.${s.status}`),
        verificationLabel: translate(
          locale,
          `disputes.settlement.verification.${s.verification.status}`,
        ),
        signatures: s.signatures.map((sig) => ({
          ...sig,
          sideLabel: translate(locale, `disputes.settlement.side.${sig.party}`),
        })),
      })),
      timeline: data.timeline.map((e) => ({ ...e, detailText: JSON.stringify(e.detail) })),
    });
  }

  // ---- Survey ----------------------------------------------------------------------------

  @Get('disputes/tickets/:id/survey')
  @Roles('complainant')
  async surveyForm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Query('done') done: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderSurvey(auth, id, req, res, { rating: null, comment: '' }, [], done === '1');
  }

  @Post('disputes/tickets/:id/survey')
  @Roles('complainant')
  async submitSurvey(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const rating = Number(text(body.rating, 2));
    const comment = text(body.comment, SURVEY_COMMENT_MAX + 1);
    const values = { rating: Number.isInteger(rating) ? rating : null, comment };
    const problems: FieldError[] = [];
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      problems.push(catalogueError('rating', 'isInt', 'disputes.survey.error.rating'));
    if (comment.length > SURVEY_COMMENT_MAX)
      problems.push(catalogueError('comment', 'maxLength', 'disputes.survey.error.comment'));
    if (problems.length > 0)
      return this.renderSurvey(auth, id, req, res, values, problems, false, 400);
    try {
      await this.surveys.submit(auth.user, id, { rating, comment }, requestMeta(req));
    } catch (error) {
      if (
        error instanceof DisputesError &&
        (error.code === 'SURVEY_DONE' || error.code === 'SURVEY_NOT_OPEN')
      ) {
        const message = error.spec[localeOf(req) === 'en' ? 'en' : 'zh'];
        return this.renderSurvey(auth, id, req, res, values, [], false, error.spec.status, message);
      }
      throw error;
    }
    this.pages.redirect(res, `/disputes/tickets/${id}/survey?done=1`);
  }

  @Get('staff/disputes/surveys')
  @Roles('staff_admin', 'staff_reviewer')
  async staffSurveys(@Req() req: Request, @Res() res: Response): Promise<void> {
    const [byMediator, byFirm] = await Promise.all([
      this.surveys.summary('mediator'),
      this.surveys.summary('firm'),
    ]);
    this.pages.send(req, res, 'disputes/surveys', {
      titleKey: 'disputes.survey.staffTitle',
      byMediator: byMediator.groups,
      byFirm: byFirm.groups,
      total: byMediator.total,
      recentComments: byMediator.recentComments,
    });
  }

  // ---- Rendering -------------------------------------------------------------------------

  private draftValues(req: Request): SettlementInput {
    const body = bodyOf(req);
    return {
      facts: text(body.facts, 10_000),
      terms: text(body.terms, 10_000),
      amount: text(body.amount, 20),
      performanceDeadline: text(body.performanceDeadline, 10),
    };
  }

  private blankDraftFields(values: SettlementInput): FieldError[] {
    const out: FieldError[] = [];
    if (values.facts.trim() === '')
      out.push(catalogueError('facts', 'isNotEmpty', 'disputes.settlement.error.facts'));
    if (values.terms.trim() === '')
      out.push(catalogueError('terms', 'isNotEmpty', 'disputes.settlement.error.terms'));
    return out;
  }

  private renderDraft(
    req: Request,
    res: Response,
    form: {
      titleKey: string;
      action: string;
      ticketId: string;
      number: string | null;
      version?: number;
      values: SettlementInput;
    },
    problems: FieldError[] = [],
    status = 200,
  ): void {
    const { errors, errorList } = formErrors(localeOf(req), DRAFT_FIELDS, problems);
    this.pages.send(
      req,
      res,
      'disputes/settlement-edit',
      {
        ...form,
        version: form.version ?? null,
        backHref: `${ticketPath(form.ticketId)}#settlement`,
        errors,
        errorList,
      },
      status,
    );
  }

  private async renderSign(
    auth: AuthContext,
    id: string,
    req: Request,
    res: Response,
    values: SignValues,
    problems: FieldError[] = [],
    formMessage: string | null = null,
    status = 200,
  ): Promise<void> {
    const locale = localeOf(req);
    const { settlement, ticket, side, existing, consent, firmName } =
      await this.signing.prepareForPage(auth.user, id);
    const { errors, errorList } = formErrors(locale, SIGN_FIELDS, problems, { formMessage });
    this.pages.send(
      req,
      res,
      'disputes/settlement-sign',
      {
        titleKey: 'disputes.settlement.signTitle',
        settlementId: settlement.id,
        number: ticket.number,
        backHref: `${ticketPath(ticket.id)}#settlement`,
        isFirm: side === 'firm',
        firmLead:
          side === 'firm'
            ? translate(locale, 'disputes.settlement.signFirmLead', { firm: firmName ?? '' })
            : null,
        awaiting: settlement.status === 'awaiting_signatures',
        text: settlement.renderedText,
        textFingerprint: settlement.textFingerprint,
        existingAt: existing ? existing.signedAt : null,
        consent: {
          version: consent.version,
          zh: consent.zh,
          en: consent.en,
          fingerprint: settlementConsentFingerprint(consent),
        },
        mfaEnabled: auth.mfaEnabled,
        values,
        errors,
        errorList,
      },
      status,
    );
  }

  private async renderSurvey(
    auth: AuthContext,
    id: string,
    req: Request,
    res: Response,
    values: { rating: number | null; comment: string },
    problems: FieldError[] = [],
    thanks = false,
    status = 200,
    formMessage: string | null = null,
  ): Promise<void> {
    const locale = localeOf(req);
    const { ticket, survey } = await this.surveys.page(auth.user, id);
    const { errors, errorList } = formErrors(locale, ['rating', 'comment'] as const, problems, {
      formMessage,
    });
    this.pages.send(
      req,
      res,
      'disputes/survey',
      {
        titleKey: 'disputes.survey.title',
        ticketId: ticket.id,
        lead: translate(locale, 'disputes.survey.lead', { number: ticket.number ?? '' }),
        backHref: ticketPath(ticket.id),
        open: ticket.state === 'closed',
        thanks,
        survey,
        ratings: [5, 4, 3, 2, 1].map((r) => ({
          value: r,
          label: translate(locale, 'disputes.survey.ratingOption', { rating: r }),
          checked: values.rating === r,
        })),
        comment: values.comment,
        errors,
        errorList,
      },
      status,
    );
  }
}
