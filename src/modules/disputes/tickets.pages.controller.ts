import { formatFen, formatFenPlain } from '../../common/money.js';
import {
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type ExceptionFilter,
  type OnModuleInit,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { DomainError, type FieldError } from '../../common/errors/domain-error.js';
import { validateForm } from '../../common/http/validation.js';
import { requestMeta } from '../../common/http/request-context.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, catalogueError, domainFieldError, localeOf, text } from '../auth/page-forms.js';
import { FilesError } from '../files/files.errors.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import { AttachmentsService, attachmentPath } from './attachments.service.js';
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from './categories.js';
import { DisputesError } from './disputes.errors.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import { TicketDraftDto } from './dto/ticket-draft.dto.js';
import { CURRENT_RULES, rulesFingerprint } from './mediation-rules.js';
import { ticketNotice, ticketPath } from './ticket-page-actions.js';
import { TicketSectionsRegistry, type TicketSectionContext } from './ticket-sections.js';
import { TICKET_STATES, type TicketState } from './ticket.state.js';
import type { TicketListFilters } from './tickets-list.js';
import { DRAFT_FIELD_OF, TicketsService } from './tickets.service.js';
import { ROLES } from '../../common/auth/roles.js';

const uuid = new ParseUUIDPipe();

const DRAFT_FIELDS = [
  'firmId',
  'category',
  'amount',
  'facts',
  'claim',
  'contactPhone',
  'accountRef',
] as const;
type DraftField = (typeof DRAFT_FIELDS)[number];

function draftValues(body: Record<string, unknown>): Record<DraftField, string> {
  return {
    firmId: text(body.firmId, 36),
    category: text(body.category, 32),
    amount: text(body.amount, 24),
    facts: text(body.facts, 5000),
    claim: text(body.claim, 2000),
    contactPhone: text(body.contactPhone, 32),
    accountRef: text(body.accountRef, 100),
  };
}

function valuesOf(ticket: DisputeTicket): Record<DraftField, string> {
  return {
    firmId: ticket.firmId ?? '',
    category: ticket.category ?? '',
    amount: ticket.amountFen === null ? '' : formatFenPlain(ticket.amountFen),
    facts: ticket.facts,
    claim: ticket.claim,
    contactPhone: ticket.contactPhone ?? '',
    accountRef: ticket.accountRef ?? '',
  };
}

function fieldLabels(locale: Locale): Record<DraftField, string> {
  return Object.fromEntries(
    DRAFT_FIELDS.map((f) => [f, translate(locale, `disputes.filing.field.${f}`)]),
  ) as Record<DraftField, string>;
}

/** The page's query string with `cursor` set (filters kept), for the "next page" link. */
function nextUrl(
  path: string,
  query: Record<string, string>,
  cursor: string | null,
): string | null {
  if (!cursor) return null;
  const params = new URLSearchParams({ ...query, cursor });
  return `${path}?${params.toString()}`;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An evidence upload over UPLOAD_MAX_BYTES is refused by multer while it arrives; the page
 * goes back to the draft form saying why (413 as a redirect with the code).
 */
@Catch(PayloadTooLargeException)
@Injectable()
export class EvidenceTooLargeFilter implements ExceptionFilter {
  constructor(private readonly pages: PageRenderer) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const id = String(req.params.id ?? '');
    const res = http.getResponse<Response>();
    if (!UUID.test(id)) {
      res.status(413).end();
      return;
    }
    this.pages.redirect(res, `${ticketPath(id)}/edit?error=PAYLOAD_TOO_LARGE#evidence`);
  }
}

/** The summary (order 10) and the timeline (order 90) of the ticket page. */
@Injectable()
export class TicketPageSections implements OnModuleInit {
  constructor(
    private readonly registry: TicketSectionsRegistry,
    private readonly tickets: TicketsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      order: 10,
      name: 'disputes/summary',
      build: async (ctx) => ({ partial: 'disputes/summary', model: await this.summary(ctx) }),
    });
    this.registry.register({
      order: 90,
      name: 'disputes/timeline',
      build: async (ctx) => ({ partial: 'disputes/timeline', model: await this.timeline(ctx) }),
    });
  }

  private async summary(ctx: TicketSectionContext): Promise<Record<string, unknown>> {
    const { locale, ticket, party } = ctx;
    const view = await this.tickets.viewOf(ticket, party);
    return {
      number: view.number,
      state: view.state,
      stateLabel: translate(locale, `disputes.state.${view.state}`),
      partyLabel: translate(locale, `disputes.party.${party}`),
      categoryLabel: view.category ? translate(locale, `disputes.category.${view.category}`) : null,
      amount: view.amountFen === null ? null : formatFen(view.amountFen),
      firmName: view.firmName,
      complainantName: view.complainant.name,
      complainantEmail: view.complainant.email,
      complainantPhone: view.complainant.phone,
      masked: view.complainant.masked,
      detailsHidden: view.facts === null,
      facts: view.facts,
      claim: view.claim,
      accountRef: view.accountRef,
      filedAt: view.filedAt,
      consentVersion: view.consentVersion,
      isDraft: view.state === 'draft',
      editUrl: `${ticketPath(ticket.id)}/edit`,
      evidence: view.evidence.map((a) => ({
        fileName: a.fileName,
        size: a.sizeBytes,
        href: attachmentPath(ticket.id, a.id),
      })),
    };
  }

  private async timeline(ctx: TicketSectionContext): Promise<Record<string, unknown>> {
    const { locale, ticket, party } = ctx;
    const items = await this.tickets.timeline(ticket.id, party);
    return {
      entries: items.map((item) => ({
        at: item.at,
        partyLabel: translate(locale, `disputes.party.${item.party}`),
        actionLabel: actionLabel(locale, item.action),
        toStateLabel: item.toState ? translate(locale, `disputes.state.${item.toState}`) : null,
        internal: item.audience === 'internal',
        reason: typeof item.detail.reason === 'string' ? item.detail.reason : null,
      })),
    };
  }
}

/** Filing pages, the lists of each role and the ticket page shell (issue 5 §1, §8). */
@ApiExcludeController()
@Controller()
export class TicketsPagesController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
    private readonly sections: TicketSectionsRegistry,
    private readonly pages: PageRenderer,
  ) {}

  // ---- Lists ---------------------------------------------------------------------------

  @Get('disputes')
  @Roles('complainant')
  complainantList(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.renderList(auth, req, res, 'complainant');
  }

  @Get('firm/disputes')
  @Roles('firm_admin', 'firm_member')
  firmList(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.renderList(auth, req, res, 'firm');
  }

  @Get('mediator/cases')
  @Roles('mediator')
  mediatorList(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.renderList(auth, req, res, 'mediator');
  }

  @Get('staff/disputes')
  @Roles('staff_admin', 'staff_reviewer')
  staffList(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.renderList(auth, req, res, 'staff');
  }

  // ---- Drafts --------------------------------------------------------------------------

  @Get('disputes/new')
  @Roles('complainant')
  async newForm(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderDraft(auth, req, res, null, draftValues({}), [], 200);
  }

  @Post('disputes/new')
  @Roles('complainant')
  async create(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = draftValues(bodyOf(req));
    const problems = await this.check(values);
    if (problems.length > 0) return this.renderDraft(auth, req, res, null, values, problems, 400);
    try {
      const ticket = await this.tickets.createDraft(auth.user, values);
      this.pages.redirect(res, `${ticketPath(ticket.id)}/edit?done=filing.done.saved`);
    } catch (error) {
      const field = error instanceof DisputesError ? DRAFT_FIELD_OF[error.code] : undefined;
      if (!field || !(error instanceof DomainError)) throw error;
      await this.renderDraft(auth, req, res, null, values, [domainFieldError(field, error)], 400);
    }
  }

  @Get('disputes/tickets/:id/edit')
  @Roles('complainant')
  async editForm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { ticket } = await this.tickets.find(auth.user, id);
    if (ticket.state !== 'draft') return this.pages.redirect(res, ticketPath(id));
    await this.renderDraft(auth, req, res, ticket, valuesOf(ticket), [], 200);
  }

  @Post('disputes/tickets/:id/edit')
  @Roles('complainant')
  async update(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { ticket } = await this.tickets.find(auth.user, id);
    const body = bodyOf(req);
    const values = draftValues(body);
    const problems = await this.check(values);
    if (problems.length > 0) return this.renderDraft(auth, req, res, ticket, values, problems, 400);
    const version = Number(text(body.version, 12));
    try {
      await this.tickets.updateDraft(
        auth.user,
        id,
        values,
        Number.isInteger(version) && version > 0 ? version : undefined,
        requestMeta(req),
      );
    } catch (error) {
      const field = error instanceof DisputesError ? DRAFT_FIELD_OF[error.code] : undefined;
      if (!field || !(error instanceof DomainError)) throw error;
      return this.renderDraft(
        auth,
        req,
        res,
        ticket,
        values,
        [domainFieldError(field, error)],
        400,
      );
    }
    this.pages.redirect(res, `${ticketPath(id)}/edit?done=filing.done.saved`);
  }

  /** Multipart: the CSRF token travels in the action URL (`?_csrf=`), checked before parsing. */
  @Post('disputes/tickets/:id/evidence')
  @Roles('complainant')
  @UseFilters(EvidenceTooLargeFilter)
  @UseInterceptors(FileInterceptor('file'))
  async addEvidence(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @UploadedFile() file: UploadedFileData | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.draftAction(res, id, async () => {
      await this.tickets.addEvidence(auth.user, id, file);
      return 'filing.done.evidenceAdded';
    });
  }

  @Post('disputes/tickets/:id/evidence/:attId/remove')
  @Roles('complainant')
  async removeEvidence(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('attId', uuid) attId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.draftAction(res, id, async () => {
      await this.tickets.removeEvidence(auth.user, id, attId);
      return 'filing.done.evidenceRemoved';
    });
  }

  @Post('disputes/tickets/:id/file')
  @Roles('complainant')
  async file(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const version = Number(text(body.version, 12));
    try {
      await this.tickets.file(
        auth.user,
        auth.emailVerified,
        id,
        {
          consent: body.consent === 'yes',
          rulesVersion: text(body.rulesVersion, 32),
          expectedVersion: Number.isInteger(version) && version > 0 ? version : undefined,
        },
        requestMeta(req),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.spec.status >= 500 || error.spec.status === 404)
        throw error;
      const code = String((error as { code: unknown }).code);
      return this.pages.redirect(
        res,
        `${ticketPath(id)}/edit?error=${encodeURIComponent(code)}#file`,
      );
    }
    this.pages.redirect(res, `${ticketPath(id)}?done=filing.done.filed`);
  }

  // ---- The ticket page -----------------------------------------------------------------

  @Get('disputes/tickets/:id')
  @Roles(...ROLES)
  async ticketPage(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const { ticket, party } = await this.tickets.find(auth.user, id);
    const base = this.pages.base(req);
    const shared = {
      csrfToken: base.csrfToken,
      lang: base.lang,
      ticketId: ticket.id,
      version: ticket.version,
    };
    // Sections run in order on one read connection; none of them writes.
    const built = await this.sections.build({
      manager: this.tickets.readManager(),
      actor: auth.user,
      ticket,
      party,
      locale,
    });
    this.pages.send(req, res, 'disputes/ticket', {
      titleKey: 'disputes.filing.ticket.title',
      number: ticket.number,
      stateLabel: translate(locale, `disputes.state.${ticket.state}`),
      notice: ticketNotice(locale, req.query),
      backUrl: listPathFor(auth),
      sections: built.map((s) => ({ partial: s.partial, model: { ...s.model, ...shared } })),
    });
  }

  @Get('disputes/tickets/:id/attachments/:attId')
  @Roles(...ROLES)
  async download(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Param('attId', uuid) attId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { attachment, bytes, downloadName } = await this.attachments.download(
      auth.user,
      id,
      attId,
    );
    sendDocumentHeaders(res, attachment.contentType, downloadName, bytes.length);
    res.status(200).end(bytes);
  }

  // ---- Internals -----------------------------------------------------------------------

  private async draftAction(res: Response, id: string, work: () => Promise<string>): Promise<void> {
    try {
      const done = await work();
      this.pages.redirect(res, `${ticketPath(id)}/edit?done=${encodeURIComponent(done)}#evidence`);
    } catch (error) {
      const refusal =
        (error instanceof DisputesError && error.code !== 'TICKET_NOT_FOUND') ||
        error instanceof FilesError;
      if (!refusal) throw error;
      this.pages.redirect(
        res,
        `${ticketPath(id)}/edit?error=${encodeURIComponent(error.code)}#evidence`,
      );
    }
  }

  /** Format checks of the form (the DTO's), worded for the page. */
  private async check(values: Record<DraftField, string>): Promise<FieldError[]> {
    const { errors } = await validateForm(TicketDraftDto, values);
    return errors.map((e) =>
      e.field === 'contactPhone'
        ? catalogueError('contactPhone', e.code, 'disputes.filing.error.phone')
        : e,
    );
  }

  private async renderDraft(
    auth: AuthContext,
    req: Request,
    res: Response,
    ticket: DisputeTicket | null,
    values: Record<DraftField, string>,
    problems: FieldError[],
    status: number,
  ): Promise<void> {
    const locale = localeOf(req);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    const respondents = await this.tickets.respondents(q);
    if (values.firmId && !respondents.some((r) => r.id === values.firmId)) {
      const current = await this.tickets.respondentById(values.firmId);
      if (current) respondents.unshift(current);
    }
    const evidence = ticket
      ? await this.attachments.listFor(this.tickets.readManager(), ticket.id, 'complainant')
      : [];
    const { errors, errorList } = formErrors(locale, DRAFT_FIELDS, problems, {
      labels: fieldLabels(locale),
    });
    const action = ticket ? `${ticketPath(ticket.id)}/edit` : '/disputes/new';
    this.pages.send(
      req,
      res,
      'disputes/edit',
      {
        titleKey: ticket ? 'disputes.filing.edit.title' : 'disputes.filing.new.title',
        isNew: ticket === null,
        action,
        searchAction: ticket ? `${ticketPath(ticket.id)}/edit` : '/disputes/new',
        q,
        ticketId: ticket?.id ?? null,
        version: ticket?.version ?? null,
        values,
        respondents: respondents.map((r) => ({
          value: r.id,
          label: r.nameEn && locale === 'en' ? `${r.nameEn} (${r.name})` : r.name,
          selected: r.id === values.firmId,
        })),
        categories: COMPLAINT_CATEGORIES.map((c) => ({
          value: c,
          label: translate(locale, `disputes.category.${c}`),
          selected: c === values.category,
        })),
        errors,
        errorList,
        notice: draftNotice(locale, req.query),
        evidence: evidence.map((a) => ({
          id: a.id,
          fileName: a.fileName,
          size: a.sizeBytes,
          href: attachmentPath(a.ticketId, a.id),
          removeAction: `${ticketPath(a.ticketId)}/evidence/${a.id}/remove`,
        })),
        uploadAction: ticket ? `${ticketPath(ticket.id)}/evidence` : null,
        fileAction: ticket ? `${ticketPath(ticket.id)}/file` : null,
        rules: {
          version: CURRENT_RULES.version,
          sha256: rulesFingerprint(CURRENT_RULES),
          text: locale === 'en' ? CURRENT_RULES.en : CURRENT_RULES.zh,
        },
        emailVerified: auth.emailVerified,
      },
      status,
    );
  }

  private async renderList(
    auth: AuthContext,
    req: Request,
    res: Response,
    kind: 'complainant' | 'firm' | 'mediator' | 'staff',
  ): Promise<void> {
    const locale = localeOf(req);
    const query = req.query;
    const str = (v: unknown, max: number): string =>
      typeof v === 'string' ? v.slice(0, max).trim() : '';
    const state = oneOf<TicketState>(query.state, TICKET_STATES);
    const category = oneOf<ComplaintCategory>(query.category, COMPLAINT_CATEGORIES);
    const form = {
      state: state ?? '',
      category: category ?? '',
      firmId: UUID.test(str(query.firmId, 36)) ? str(query.firmId, 36) : '',
      number: str(query.number, 24),
      overdue: query.overdue === 'true',
    };
    const filters: TicketListFilters = {
      state,
      category,
      firmId: form.firmId || undefined,
      number: form.number || undefined,
      overdue: form.overdue || undefined,
    };
    const cursor = str(query.cursor, 200) || undefined;
    let page;
    try {
      page = await this.tickets.list(auth.user, filters, { cursor, limit: 20 });
    } catch (error) {
      if (!(error instanceof DisputesError && error.code === 'CURSOR_INVALID')) throw error;
      page = await this.tickets.list(auth.user, filters, { limit: 20 });
    }
    const kept: Record<string, string> = {};
    if (form.state) kept.state = form.state;
    if (kind === 'staff') {
      if (form.category) kept.category = form.category;
      if (form.firmId) kept.firmId = form.firmId;
      if (form.number) kept.number = form.number;
      if (form.overdue) kept.overdue = 'true';
    }
    this.pages.send(req, res, 'disputes/list', {
      titleKey: `disputes.filing.list.${kind}.title`,
      heading: translate(locale, `disputes.filing.list.${kind}.title`),
      lead: translate(locale, `disputes.filing.list.${kind}.lead`),
      path: req.path,
      isComplainant: kind === 'complainant',
      isStaff: kind === 'staff',
      form,
      stateOptions: TICKET_STATES.filter((s) => kind === 'complainant' || s !== 'draft').map(
        (s) => ({
          value: s,
          label: translate(locale, `disputes.state.${s}`),
          selected: s === form.state,
        }),
      ),
      categoryOptions: COMPLAINT_CATEGORIES.map((c) => ({
        value: c,
        label: translate(locale, `disputes.category.${c}`),
        selected: c === form.category,
      })),
      items: page.items.map((item) => ({
        id: item.id,
        number: item.number,
        state: item.state,
        stateLabel: translate(locale, `disputes.state.${item.state}`),
        categoryLabel: item.category
          ? translate(locale, `disputes.category.${item.category}`)
          : null,
        amount: item.amountFen === null ? null : formatFen(item.amountFen),
        firmName: item.firmName,
        createdAt: item.createdAt,
        href: item.state === 'draft' ? `${ticketPath(item.id)}/edit` : ticketPath(item.id),
      })),
      nextUrl: nextUrl(req.path, kept, page.nextCursor),
      firstUrl: cursor
        ? `${req.path}${Object.keys(kept).length ? `?${new URLSearchParams(kept).toString()}` : ''}`
        : null,
    });
  }
}

/** An event's label (every recorded action has one: timeline-actions.spec.ts). */
function actionLabel(locale: Locale, action: string): string {
  const key = `disputes.action.${action}`;
  return isMessageKey(key) ? translate(locale, key) : action;
}

/** The notice of the draft page: the module's codes, and upload refusals of the file store. */
function draftNotice(locale: Locale, query: Request['query']) {
  const error = query.error;
  if (error === 'UNSUPPORTED_FILE_TYPE' || error === 'FILE_MISSING') {
    const spec = new FilesError(error).spec;
    return { kind: 'error' as const, message: locale === 'en' ? spec.en : spec.zh };
  }
  return ticketNotice(locale, query);
}

function listPathFor(auth: AuthContext): string {
  switch (auth.user.role) {
    case 'complainant':
      return '/disputes';
    case 'firm_admin':
    case 'firm_member':
      return '/firm/disputes';
    case 'mediator':
      return '/mediator/cases';
    default:
      return '/staff/disputes';
  }
}
