import {
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Actor, AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import {
  CommonError,
  DomainError,
  ValidationFailed,
  type FieldError,
} from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { fieldError, formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { FilesError } from '../files/files.errors.js';
import { extensionOf, type UploadedFileData } from '../files/uploaded-file.js';
import { ColleaguesService } from './colleagues.service.js';
import { sendDocumentHeaders } from '../files/uploaded-file.js';
import { DocumentsService } from './documents.service.js';
import { AddLicenceDto } from './dto/add-licence.dto.js';
import { InviteColleagueDto, INVITABLE_ROLES } from './dto/invite-colleague.dto.js';
import { RequestFirmChangeDto } from './dto/request-firm-change.dto.js';
import { UpdateFirmProfileDto } from './dto/update-firm-profile.dto.js';
import { UploadDocumentDto } from './dto/upload-document.dto.js';
import { DuesService, toInvoiceView } from './dues.service.js';
import { DOCUMENT_KINDS } from './entities/firm-document.entity.js';
import { FirmProfileService, type FirmProfileView } from './firm-profile.service.js';
import {
  bodyOf,
  categoryChoices,
  categoryLabel,
  districtLabel,
  districtOptions,
  documentKindLabel,
  fieldLabel,
  formatBytes,
  historyRows,
  labelOr,
  list,
  localeOf,
  missingLabel,
  orNull,
  reword,
  roleLabel,
  statusEventRows,
  statusLabel,
  text,
  tierLabel,
} from './firm-portal.view.js';
import { MembershipError } from './membership.errors.js';

const PROFILE_FIELDS = [
  'nameEn',
  'registeredCapital',
  'establishedOn',
  'address',
  'district',
  'website',
  'contactName',
  'contactPhone',
  'contactEmail',
  'categories',
] as const;
const CHANGE_FIELDS = ['name', 'creditCode', 'legalRepresentative'] as const;
const LICENCE_FIELDS = ['type', 'number', 'issuer', 'validFrom', 'validTo'] as const;
const UPLOAD_FIELDS = ['kind', 'file'] as const;
const INVITE_FIELDS = ['email', 'role'] as const;
const SIGNATORY_FIELDS = ['userId'] as const;

/** `?done=` values the overview acknowledges after a redirect (firm.done.<value>). */
const DONE = new Set([
  'profile',
  'change',
  'changeApplied',
  'changeWithdrawn',
  'licence',
  'licenceRemoved',
  'document',
  'documentRemoved',
  'invited',
  'invitationRevoked',
  'colleagueRemoved',
  'signatory',
]);

/** Validator wording replaced by what the person should do. */
const WORDING: Record<string, string> = {
  'registeredCapital.matches': 'firm.error.registeredCapital',
  'establishedOn.matches': 'firm.error.date',
  'website.isUrl': 'firm.error.website',
  'contactPhone.matches': 'firm.error.phone',
  'contactEmail.isEmail': 'firm.error.email',
  'district.isIn': 'firm.error.district',
  'validFrom.matches': 'firm.error.date',
  'validTo.matches': 'firm.error.date',
  'email.isEmail': 'firm.error.email',
  'kind.isIn': 'documents.error.kind',
  'role.isIn': 'colleagues.error.role',
};

const uuid = new ParseUUIDPipe();

function firmIdOf(actor: Actor): string {
  if (!actor.firmId) throw new MembershipError('FIRM_NOT_FOUND');
  return actor.firmId;
}

function labels<F extends string>(locale: Locale, fields: readonly F[]): Record<F, string> {
  return Object.fromEntries(fields.map((f) => [f, fieldLabel(locale, f)])) as Record<F, string>;
}

/** "<label> is required" for each blank field among `required`, labelled by `labelOf`. */
function blanks(
  body: Record<string, unknown>,
  required: readonly string[],
  labelOf: (locale: Locale, field: string) => string = fieldLabel,
): FieldError[] {
  return required
    .filter((field) => text(body[field]).trim() === '')
    .map((field) =>
      fieldError(
        field,
        'isNotEmpty',
        translate('zh-CN', 'firm.error.required', { label: labelOf('zh-CN', field) }),
        // "Enter the legal name": a label is capitalised on its own, not inside a sentence.
        translate('en', 'firm.error.required', { label: lowerFirst(labelOf('en', field)) }),
      ),
    );
}

function lowerFirst(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

const licenceLabel = (locale: Locale, field: string): string =>
  translate(locale, `firm.licence.${field}`);

/** Field errors, keeping only the first for each field and dropping those of blank fields. */
function merge(first: FieldError[], rest: readonly FieldError[]): FieldError[] {
  const taken = new Set(first.map((e) => e.field));
  return [...first, ...rest.filter((e) => !taken.has(e.field))];
}

function messageOf(locale: Locale, error: DomainError): string {
  return locale === 'en' ? error.spec.en : error.spec.zh;
}

/** A domain refusal shown beside `field`. */
function besideField(field: string, error: DomainError): FieldError {
  return fieldError(field, error.code, error.spec.zh, error.spec.en);
}

function renderUploadPage(
  pages: PageRenderer,
  config: AppConfig,
  req: Request,
  res: Response,
  kind: string,
  problems: FieldError[],
  status: number,
): void {
  const locale = localeOf(req);
  const { errors, errorList } = formErrors(locale, UPLOAD_FIELDS, problems, {
    labels: {
      kind: translate(locale, 'documents.upload.kind'),
      file: translate(locale, 'documents.upload.file'),
    },
  });
  pages.send(
    req,
    res,
    'firm/upload',
    {
      titleKey: 'documents.upload.title',
      maxSize: formatBytes(config.UPLOAD_MAX_BYTES),
      kinds: DOCUMENT_KINDS.map((value) => ({
        value,
        label: documentKindLabel(locale, value),
        selected: value === kind,
      })),
      kindChosen: kind !== '',
      errors,
      errorList,
    },
    status,
  );
}

/**
 * An upload over UPLOAD_MAX_BYTES is refused by multer while it arrives, before the handler
 * runs; on the page this shows the form again with the reason beside the file field (413).
 */
@Catch(PayloadTooLargeException)
@Injectable()
export class UploadTooLargeFilter implements ExceptionFilter {
  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const max = formatBytes(this.config.UPLOAD_MAX_BYTES);
    const problem = fieldError(
      'file',
      'PAYLOAD_TOO_LARGE',
      translate('zh-CN', 'documents.error.tooLarge', { max }),
      translate('en', 'documents.error.tooLarge', { max }),
    );
    renderUploadPage(this.pages, this.config, req, res, '', [problem], 413);
  }
}

/**
 * The firm portal (issue 3 §7) at /firm for firm_admin and firm_member: status, tier, profile,
 * categories, licences, documents, invoices, colleagues and history on one page, and a page per
 * form for the firm_admin's changes. Every form re-renders with its errors beside the fields.
 */
@Controller()
export class FirmPortalPagesController {
  constructor(
    private readonly profiles: FirmProfileService,
    private readonly documents: DocumentsService,
    private readonly colleagues: ColleaguesService,
    private readonly dues: DuesService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('firm')
  @Roles('firm_admin', 'firm_member')
  async overview(
    @Auth() auth: AuthContext,
    @Query('done') done: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const actor = auth.user;
    const firmId = firmIdOf(actor);
    const locale = localeOf(req);
    const [profile, history, docs, people, requests, invoices] = await Promise.all([
      this.profiles.profile(actor, firmId),
      this.profiles.history(actor, firmId),
      this.documents.listForFirm(actor, firmId),
      this.colleagues.list(actor, firmId),
      this.profiles.changeRequestsOf(actor, firmId),
      this.dues.invoicesForFirm(firmId),
    ]);
    const missing =
      profile.status === 'applicant' ? await this.profiles.completenessProblems(firmId) : [];
    const names = new Map(people.colleagues.map((c) => [c.id, c.name]));
    const pending = requests.find((r) => r.state === 'pending') ?? null;
    const lastDecided = requests.find((r) => r.state === 'rejected' || r.state === 'approved');
    const doneKey = typeof done === 'string' && DONE.has(done) ? `firm.done.${done}` : null;
    this.pages.send(req, res, 'firm/index', {
      titleKey: 'firm.title',
      isAdmin: actor.role === 'firm_admin',
      notice: doneKey ? translate(locale, doneKey) : null,
      firm: {
        ...this.profileFacts(locale, profile),
        statusLabel: statusLabel(locale, profile.status),
        tierLabel: tierLabel(locale, profile.tier),
        signatoryName: profile.signatoryUserId
          ? (names.get(profile.signatoryUserId) ?? null)
          : null,
      },
      missing: missing.map((code) => missingLabel(locale, code)),
      pendingChange: pending
        ? {
            id: pending.id,
            requestedAt: pending.requestedAt,
            changes: Object.entries(pending.changes).map(([field, value]) => ({
              label: fieldLabel(locale, field),
              value,
            })),
          }
        : null,
      lastDecision:
        lastDecided && !pending
          ? {
              approved: lastDecided.state === 'approved',
              stateLabel: labelOr(
                locale,
                `firm.change.state.${lastDecided.state}`,
                lastDecided.state,
              ),
              decidedAt: lastDecided.decidedAt,
              comment: lastDecided.comment,
            }
          : null,
      licences: profile.licences,
      documents: docs.map((doc) => ({
        id: doc.id,
        kindLabel: documentKindLabel(locale, doc.kind),
        fileName: doc.fileName,
        typeLabel: labelOr(
          locale,
          `documents.type.${extensionOf(doc.contentType)}`,
          doc.contentType,
        ),
        size: formatBytes(doc.sizeBytes),
        uploadedAt: doc.uploadedAt.toISOString(),
        href: `/firms/${firmId}/documents/${doc.id}/content`,
      })),
      invoices: invoices.map(toInvoiceView).map((invoice) => ({
        href: `/firm/invoices/${invoice.id}`,
        number: invoice.number,
        year: invoice.year,
        amount: invoice.amount,
        paid: invoice.paid,
        balance: invoice.balance,
        dueOn: invoice.dueOn,
        status: invoice.status,
        statusLabel: labelOr(locale, `firm.invoice.status.${invoice.status}`, invoice.status),
      })),
      colleagues: people.colleagues
        .filter((c) => c.removedAt === null)
        .map((c) => ({
          id: c.id,
          name: c.name,
          email: c.email,
          roleLabel: roleLabel(locale, c.role),
          isSignatory: c.isSignatory,
          isSelf: c.id === actor.id,
        })),
      invitations: people.invitations
        .filter((i) => i.state === 'pending')
        .map((i) => ({
          id: i.id,
          email: i.email,
          roleLabel: roleLabel(locale, i.role),
          expiresAt: i.expiresAt,
        })),
      history: historyRows(locale, history.revisions, names),
      statusEvents: statusEventRows(locale, history.statusEvents),
    });
  }

  // ---- Profile -------------------------------------------------------------------------

  @Get('firm/profile')
  @Roles('firm_admin')
  async profileForm(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const profile = await this.profiles.profile(auth.user, firmIdOf(auth.user));
    this.renderProfile(req, res, {
      nameEn: profile.nameEn ?? '',
      registeredCapital:
        profile.registeredCapitalFen === null
          ? ''
          : (profile.registeredCapital ?? '').replace(/,/g, ''),
      establishedOn: profile.establishedOn ?? '',
      address: profile.address ?? '',
      district: profile.district,
      website: profile.website ?? '',
      contactName: profile.contactName ?? '',
      contactPhone: profile.contactPhone ?? '',
      contactEmail: profile.contactEmail ?? '',
      categories: profile.categories,
    });
  }

  @Post('firm/profile')
  @Roles('firm_admin')
  async saveProfile(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = {
      nameEn: text(body.nameEn, 300),
      registeredCapital: text(body.registeredCapital, 40).replace(/[,，\s]/g, ''),
      establishedOn: text(body.establishedOn, 20).trim(),
      address: text(body.address, 400),
      district: text(body.district, 40),
      website: text(body.website, 400).trim(),
      contactName: text(body.contactName, 100),
      contactPhone: text(body.contactPhone, 40).trim(),
      contactEmail: text(body.contactEmail, 300).trim(),
      categories: list(body.categories),
    };
    const input = {
      nameEn: orNull(values.nameEn),
      registeredCapital: orNull(values.registeredCapital),
      establishedOn: orNull(values.establishedOn),
      address: orNull(values.address),
      district: values.district,
      website: orNull(values.website),
      contactName: orNull(values.contactName),
      contactPhone: orNull(values.contactPhone),
      contactEmail: orNull(values.contactEmail),
      categories: values.categories,
    };
    const validated = await validateForm(UpdateFirmProfileDto, input);
    const problems = merge(blanks(body, ['district']), reword(validated.errors, WORDING));
    if (problems.length > 0) return this.renderProfile(req, res, values, problems, 400);
    try {
      await this.profiles.updateProfile(
        auth.user,
        firmIdOf(auth.user),
        validated.value,
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof ValidationFailed)
        return this.renderProfile(req, res, values, error.fieldErrors, 400);
      if (error instanceof CommonError && error.code === 'CONFLICT')
        return this.renderProfile(req, res, values, [], 409, messageOf(localeOf(req), error));
      throw error;
    }
    this.pages.redirect(res, '/firm?done=profile');
  }

  // ---- Reviewed fields -----------------------------------------------------------------

  @Get('firm/change-request')
  @Roles('firm_admin')
  async changeForm(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const profile = await this.profiles.profile(auth.user, firmIdOf(auth.user));
    this.renderChange(req, res, profile, {
      name: profile.name,
      creditCode: profile.creditCode,
      legalRepresentative: profile.legalRepresentative ?? '',
    });
  }

  @Post('firm/change-request')
  @Roles('firm_admin')
  async requestChange(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const firmId = firmIdOf(auth.user);
    const profile = await this.profiles.profile(auth.user, firmId);
    const body = bodyOf(req);
    const values = {
      name: text(body.name, 300).trim(),
      creditCode: text(body.creditCode, 40).trim(),
      legalRepresentative: text(body.legalRepresentative, 100).trim(),
    };
    // Only what differs from the record is asked for; an unchanged field is left out.
    const input: Record<string, string> = {};
    if (values.name !== profile.name) input.name = values.name;
    if (values.creditCode.toUpperCase() !== profile.creditCode)
      input.creditCode = values.creditCode;
    if (values.legalRepresentative !== (profile.legalRepresentative ?? ''))
      input.legalRepresentative = values.legalRepresentative;
    const validated = await validateForm(RequestFirmChangeDto, input);
    const problems = merge(blanks(body, ['name', 'creditCode']), reword(validated.errors, WORDING));
    if (problems.length > 0) return this.renderChange(req, res, profile, values, problems, 400);
    let applied: boolean;
    try {
      const request = await this.profiles.requestChange(
        auth.user,
        firmId,
        validated.value,
        requestMeta(req),
      );
      applied = request.state === 'approved';
    } catch (error) {
      if (error instanceof MembershipError) {
        const field =
          error.code === 'CREDIT_CODE_INVALID' || error.code === 'CREDIT_CODE_TAKEN'
            ? 'creditCode'
            : null;
        const detailed = (error.details?.errors as FieldError[] | undefined)?.[0];
        if (field)
          return this.renderChange(
            req,
            res,
            profile,
            values,
            [detailed ?? besideField(field, error)],
            400,
          );
        if (error.code === 'CHANGE_REQUEST_EMPTY' || error.code === 'CHANGE_REQUEST_PENDING')
          return this.renderChange(
            req,
            res,
            profile,
            values,
            [],
            error.spec.status,
            messageOf(localeOf(req), error),
          );
      }
      throw error;
    }
    this.pages.redirect(res, applied ? '/firm?done=changeApplied' : '/firm?done=change');
  }

  @Post('firm/change-requests/:id/withdraw')
  @Roles('firm_admin')
  async withdrawChange(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.profiles.withdrawChange(auth.user, firmIdOf(auth.user), id, requestMeta(req));
    this.pages.redirect(res, '/firm?done=changeWithdrawn');
  }

  // ---- Licences ------------------------------------------------------------------------

  @Get('firm/licences/new')
  @Roles('firm_admin')
  licenceForm(@Req() req: Request, @Res() res: Response): void {
    this.renderLicence(req, res, { type: '', number: '', issuer: '', validFrom: '', validTo: '' });
  }

  @Post('firm/licences')
  @Roles('firm_admin')
  async addLicence(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = {
      type: text(body.type, 200).trim(),
      number: text(body.number, 200).trim(),
      issuer: text(body.issuer, 300).trim(),
      validFrom: text(body.validFrom, 20).trim(),
      validTo: text(body.validTo, 20).trim(),
    };
    const validated = await validateForm(AddLicenceDto, {
      ...values,
      validTo: orNull(values.validTo),
    });
    const problems = merge(
      blanks(body, ['type', 'number', 'issuer', 'validFrom'], licenceLabel),
      reword(validated.errors, WORDING),
    );
    if (problems.length > 0) return this.renderLicence(req, res, values, problems, 400);
    try {
      await this.profiles.addLicence(
        auth.user,
        firmIdOf(auth.user),
        validated.value,
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof ValidationFailed)
        return this.renderLicence(req, res, values, error.fieldErrors, 400);
      if (error instanceof MembershipError && error.code === 'LICENCE_DATES_INVALID')
        return this.renderLicence(req, res, values, [besideField('validTo', error)], 400);
      throw error;
    }
    this.pages.redirect(res, '/firm?done=licence');
  }

  @Post('firm/licences/:id/remove')
  @Roles('firm_admin')
  async removeLicence(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.profiles.removeLicence(auth.user, firmIdOf(auth.user), id, requestMeta(req));
    this.pages.redirect(res, '/firm?done=licenceRemoved');
  }

  // ---- Documents -----------------------------------------------------------------------

  @Get('firm/documents/new')
  @Roles('firm_admin')
  uploadForm(@Query('kind') kind: unknown, @Req() req: Request, @Res() res: Response): void {
    const preset = typeof kind === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(kind);
    this.renderUpload(req, res, preset ? String(kind) : '');
  }

  /** Multipart: the CSRF token travels in the action URL (`?_csrf=`), checked before parsing. */
  @Post('firm/documents')
  @Roles('firm_admin')
  @UseFilters(UploadTooLargeFilter)
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Auth() auth: AuthContext,
    @UploadedFile() file: UploadedFileData | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const kind = text(body.kind, 40);
    const validated = await validateForm(UploadDocumentDto, { kind });
    // A blank choice fails IsIn, which WORDING turns into "choose the kind".
    const problems = reword(validated.errors, WORDING);
    if (problems.length > 0) return this.renderUpload(req, res, kind, problems, 400);
    try {
      await this.documents.upload(
        auth.user,
        firmIdOf(auth.user),
        validated.value.kind,
        file,
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof FilesError)
        return this.renderUpload(req, res, kind, [besideField('file', error)], error.spec.status);
      throw error;
    }
    this.pages.redirect(res, '/firm?done=document');
  }

  @Post('firm/documents/:id/remove')
  @Roles('firm_admin')
  async removeDocument(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.documents.remove(auth.user, firmIdOf(auth.user), id, requestMeta(req));
    this.pages.redirect(res, '/firm?done=documentRemoved');
  }

  /** A document download for pages (staff pages link here too); other firms get 404. */
  @Get('firms/:firmId/documents/:id/content')
  @Roles('staff_admin', 'staff_reviewer', 'firm_admin', 'firm_member')
  async download(
    @Auth() auth: AuthContext,
    @Param('firmId', uuid) firmId: string,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { document, downloadName, bytes } = await this.documents.content(auth.user, firmId, id);
    sendDocumentHeaders(res, document.contentType, downloadName, bytes.length);
    res.status(200).end(bytes);
  }

  // ---- Colleagues ----------------------------------------------------------------------

  @Get('firm/colleagues/invite')
  @Roles('firm_admin')
  inviteForm(@Req() req: Request, @Res() res: Response): void {
    this.renderInvite(req, res, { email: '', role: 'firm_member' });
  }

  @Post('firm/colleagues/invite')
  @Roles('firm_admin')
  async invite(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = { email: text(body.email, 300).trim(), role: text(body.role, 40) };
    const validated = await validateForm(InviteColleagueDto, values);
    const problems = merge(
      blanks(body, ['email'], (locale) => translate(locale, 'colleagues.invite.email')),
      reword(validated.errors, WORDING),
    );
    if (problems.length > 0) return this.renderInvite(req, res, values, problems, 400);
    try {
      await this.colleagues.invite(
        auth.user,
        firmIdOf(auth.user),
        validated.value,
        localeOf(req),
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof MembershipError && error.code === 'INVITEE_HAS_ACCOUNT')
        return this.renderInvite(req, res, values, [besideField('email', error)], 409);
      throw error;
    }
    this.pages.redirect(res, '/firm?done=invited');
  }

  @Post('firm/invitations/:id/revoke')
  @Roles('firm_admin')
  async revokeInvitation(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.colleagues.revokeInvitation(auth.user, firmIdOf(auth.user), id, requestMeta(req));
    this.pages.redirect(res, '/firm?done=invitationRevoked');
  }

  @Post('firm/colleagues/:id/remove')
  @Roles('firm_admin')
  async removeColleague(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.colleagues.remove(auth.user, firmIdOf(auth.user), id, requestMeta(req));
    this.pages.redirect(res, '/firm?done=colleagueRemoved');
  }

  @Get('firm/signatory')
  @Roles('firm_admin')
  async signatoryForm(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const people = await this.colleagues.list(auth.user, firmIdOf(auth.user));
    await this.renderSignatory(auth, req, res, people.signatoryUserId ?? '');
  }

  @Post('firm/signatory')
  @Roles('firm_admin')
  async designate(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const userId = text(bodyOf(req).userId, 60);
    const invalid = (): FieldError =>
      besideField('userId', new MembershipError('SIGNATORY_INVALID'));
    if (!/^[0-9a-f-]{36}$/i.test(userId))
      return this.renderSignatory(auth, req, res, userId, [invalid()], 400);
    try {
      await this.colleagues.designateSignatory(
        auth.user,
        firmIdOf(auth.user),
        userId,
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof MembershipError && error.code === 'SIGNATORY_INVALID')
        return this.renderSignatory(auth, req, res, userId, [invalid()], 400);
      throw error;
    }
    this.pages.redirect(res, '/firm?done=signatory');
  }

  // ---- Rendering -----------------------------------------------------------------------

  private profileFacts(locale: Locale, profile: FirmProfileView): Record<string, unknown> {
    return {
      id: profile.id,
      name: profile.name,
      nameEn: profile.nameEn,
      creditCode: profile.creditCode,
      status: profile.status,
      memberSince: profile.memberSince,
      suspendedUntil: profile.suspendedUntil,
      legalRepresentative: profile.legalRepresentative,
      registeredCapital: profile.registeredCapital
        ? translate(locale, 'firm.yuan', { amount: profile.registeredCapital })
        : null,
      establishedOn: profile.establishedOn,
      address: profile.address,
      districtLabel: districtLabel(locale, profile.district),
      website: profile.website,
      contactName: profile.contactName,
      contactPhone: profile.contactPhone,
      contactEmail: profile.contactEmail,
      categories: profile.categories.map((c) => categoryLabel(locale, c)),
    };
  }

  private renderProfile(
    req: Request,
    res: Response,
    values: Record<(typeof PROFILE_FIELDS)[number], string | string[]>,
    problems: FieldError[] = [],
    status = 200,
    formMessage: string | null = null,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, PROFILE_FIELDS, problems, {
      labels: labels(locale, PROFILE_FIELDS),
      formMessage,
    });
    const categories = Array.isArray(values.categories) ? values.categories : [];
    const district = typeof values.district === 'string' ? values.district : '';
    this.pages.send(
      req,
      res,
      'firm/profile',
      {
        titleKey: 'firm.profile.title',
        values,
        districts: districtOptions(locale, district),
        categoryChoices: categoryChoices(locale, categories),
        errors,
        errorList,
      },
      status,
    );
  }

  private renderChange(
    req: Request,
    res: Response,
    profile: FirmProfileView,
    values: Record<(typeof CHANGE_FIELDS)[number], string>,
    problems: FieldError[] = [],
    status = 200,
    formMessage: string | null = null,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, CHANGE_FIELDS, problems, {
      labels: labels(locale, CHANGE_FIELDS),
      formMessage,
    });
    this.pages.send(
      req,
      res,
      'firm/change-request',
      {
        titleKey: 'firm.change.title',
        applicant: profile.status === 'applicant',
        current: {
          name: profile.name,
          creditCode: profile.creditCode,
          legalRepresentative: profile.legalRepresentative,
        },
        values,
        errors,
        errorList,
      },
      status,
    );
  }

  private renderLicence(
    req: Request,
    res: Response,
    values: Record<(typeof LICENCE_FIELDS)[number], string>,
    problems: FieldError[] = [],
    status = 200,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, LICENCE_FIELDS, problems, {
      labels: Object.fromEntries(LICENCE_FIELDS.map((f) => [f, licenceLabel(locale, f)])),
    });
    this.pages.send(
      req,
      res,
      'firm/licence',
      { titleKey: 'firm.licence.title', values, errors, errorList },
      status,
    );
  }

  private renderUpload(
    req: Request,
    res: Response,
    kind: string,
    problems: FieldError[] = [],
    status = 200,
  ): void {
    renderUploadPage(this.pages, this.config, req, res, kind, problems, status);
  }

  private renderInvite(
    req: Request,
    res: Response,
    values: Record<(typeof INVITE_FIELDS)[number], string>,
    problems: FieldError[] = [],
    status = 200,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, INVITE_FIELDS, problems, {
      labels: {
        email: translate(locale, 'colleagues.invite.email'),
        role: translate(locale, 'colleagues.invite.role'),
      },
    });
    this.pages.send(
      req,
      res,
      'firm/invite',
      {
        titleKey: 'colleagues.invite.title',
        values,
        roles: INVITABLE_ROLES.map((role) => ({
          value: role,
          label: roleLabel(locale, role),
          hint: translate(locale, `colleagues.invite.roleHint.${role}`),
          checked: role === values.role,
        })),
        errors,
        errorList,
      },
      status,
    );
  }

  private async renderSignatory(
    auth: AuthContext,
    req: Request,
    res: Response,
    selected: string,
    problems: FieldError[] = [],
    status = 200,
  ): Promise<void> {
    const locale = localeOf(req);
    const people = await this.colleagues.list(auth.user, firmIdOf(auth.user));
    const { errors, errorList } = formErrors(locale, SIGNATORY_FIELDS, problems, {
      labels: { userId: translate(locale, 'firm.signatory.label') },
    });
    this.pages.send(
      req,
      res,
      'firm/signatory',
      {
        titleKey: 'firm.signatory.title',
        people: people.colleagues
          .filter((c) => c.removedAt === null)
          .map((c) => ({
            value: c.id,
            label: `${c.name}（${roleLabel(locale, c.role)}，${c.email}）`,
            selected: c.id === selected,
          })),
        errors,
        errorList,
      },
      status,
    );
  }
}
