import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { Repository } from 'typeorm';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import {
  actionLabel,
  bodyOf,
  categoryLabel,
  districtLabel,
  labelOr,
  localeOf,
  messageOf,
  options,
  problemLabel,
  roleLabel,
  stateLabel,
  stepRows,
  text,
  tierLabel,
  withQuery,
} from './application-pages.js';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  APPLICATION_TRANSITIONS,
  availableApplicationActions,
} from './application.state.js';
import {
  APPLICATION_PAGE_DEFAULT,
  ApplicationsService,
  EDITABLE_STATES,
  OPEN_STATES,
  toApplicationView,
} from './applications.service.js';
import { CATEGORY_KEYS } from './categories.js';
import { DISTRICT_KEYS } from './districts.js';
import { DocumentsService } from './documents.service.js';
import { formatFen } from './dues.js';
import { DuesService } from './dues.service.js';
import { CreateApplicationDto } from './dto/create-application.dto.js';
import { ListApplicationsDto } from './dto/list-applications.dto.js';
import { TransitionApplicationDto } from './dto/transition-application.dto.js';
import { UpdateApplicationDto } from './dto/update-application.dto.js';
import { FirmCategory } from './entities/firm-category.entity.js';
import type { Firm } from './entities/firm.entity.js';
import type { MembershipApplication } from './entities/membership-application.entity.js';
import { FirmProfileService } from './firm-profile.service.js';
import { FirmsService } from './firms.service.js';
import { MembershipError } from './membership.errors.js';

const FILTER_FIELDS = ['state', 'district', 'category', 'minAgeDays', 'maxAgeDays'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];

/** A refusal shown at the top of the page, with the list of missing items when incomplete. */
interface PageNotice {
  kind: 'success' | 'error';
  message: string;
  problems: string[];
}

/** Query values as a GET form sends them: blanks dropped, text trimmed. */
function filledIn(query: Request['query']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const cleaned = typeof value === 'string' ? value.trim() : value;
    if (cleaned !== '' && cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A service refusal as a page notice; anything else (a bug, a 404) goes to the error page. */
function noticeOf(locale: Locale, error: unknown): PageNotice & { status: number } {
  if (!(error instanceof MembershipError || error instanceof CommonError)) throw error;
  if (error.spec.status === 404) throw error;
  const problems = Array.isArray(error.details?.problems)
    ? (error.details.problems as string[]).map((code) => problemLabel(locale, code))
    : [];
  return { kind: 'error', message: messageOf(locale, error), problems, status: error.spec.status };
}

function doneNotice(locale: Locale, done: string): PageNotice | null {
  const known = [...APPLICATION_ACTIONS, 'create', 'update'] as readonly string[];
  if (!known.includes(done)) return null;
  return {
    kind: 'success',
    message: translate(locale, `application.done.${done}`),
    problems: [],
  };
}

/**
 * The application pages: the firm's own application (/firm/application) and the staff review
 * queue with each application on one page (/staff/applications). Every button posts to the
 * same ApplicationsService.transition the API uses, with the version the page was drawn from.
 */
@Controller()
export class ApplicationsPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly dues: DuesService,
    private readonly firms: FirmsService,
    private readonly profiles: FirmProfileService,
    private readonly documents: DocumentsService,
    private readonly pages: PageRenderer,
    @InjectRepository(FirmCategory) private readonly categories: Repository<FirmCategory>,
  ) {}

  // ---- The firm's side ----

  @Get('firm/application')
  @Roles('firm_admin', 'firm_member')
  async firmPage(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const done = doneNotice(localeOf(req), text(req.query.done, 32));
    await this.renderFirm(auth, req, res, { notice: done, status: 200 });
  }

  @Post('firm/application')
  @Roles('firm_admin')
  async create(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { value, errors } = await validateForm(CreateApplicationDto, bodyOf(req));
    if (errors.length > 0)
      return this.renderFirm(auth, req, res, { fieldErrors: errors, status: 400 });
    try {
      await this.applications.create(auth.user, value, requestMeta(req));
    } catch (error) {
      const notice = noticeOf(localeOf(req), error);
      return this.renderFirm(auth, req, res, { notice, status: notice.status });
    }
    this.pages.redirect(res, '/firm/application?done=create');
  }

  @Post('firm/application/tier')
  @Roles('firm_admin')
  async updateTier(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const app = await this.ownLatest(auth);
    const { value, errors } = await validateForm(UpdateApplicationDto, bodyOf(req));
    if (errors.length > 0)
      return this.renderFirm(auth, req, res, { fieldErrors: errors, status: 400 });
    try {
      await this.applications.update(auth.user, app.id, value, requestMeta(req));
    } catch (error) {
      const notice = noticeOf(localeOf(req), error);
      return this.renderFirm(auth, req, res, { notice, status: notice.status });
    }
    this.pages.redirect(res, '/firm/application?done=update');
  }

  @Post('firm/application/transitions')
  @Roles('firm_admin')
  async firmAct(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const app = await this.ownLatest(auth);
    const { value, errors } = await validateForm(TransitionApplicationDto, bodyOf(req));
    if (errors.length > 0) throw new CommonError('VALIDATION_FAILED');
    try {
      await this.applications.transition(auth.user, app.id, value, requestMeta(req));
    } catch (error) {
      const notice = noticeOf(localeOf(req), error);
      return this.renderFirm(auth, req, res, { notice, status: notice.status });
    }
    this.pages.redirect(res, `/firm/application?done=${value.action}`);
  }

  private async ownLatest(auth: AuthContext): Promise<MembershipApplication> {
    const app = auth.user.firmId ? await this.applications.latestForFirm(auth.user.firmId) : null;
    if (!app) throw new MembershipError('APPLICATION_NOT_FOUND');
    return app;
  }

  private async renderFirm(
    auth: AuthContext,
    req: Request,
    res: Response,
    options: {
      notice?: PageNotice | null;
      fieldErrors?: Parameters<typeof formErrors>[2];
      status: number;
    },
  ): Promise<void> {
    const locale = localeOf(req);
    const firmId = auth.user.firmId;
    if (!firmId) throw new MembershipError('FIRM_NOT_FOUND');
    const firm = await this.firms.findVisible(auth.user, firmId);
    const app = await this.applications.latestForFirm(firmId);
    const isAdmin = auth.user.role === 'firm_admin';
    const open = app !== null && OPEN_STATES.includes(app.state);
    const editable = app !== null && EDITABLE_STATES.includes(app.state);
    const submitted = bodyOf(req);
    const chosenTier = text(submitted.requestedTier, 16) || app?.requestedTier || 'member';
    const [tiers, steps, problems] = await Promise.all([
      this.dues.listTiers(),
      app ? this.applications.stepsOf(app.id) : Promise.resolve([]),
      editable || (!app && firm.status === 'applicant')
        ? this.profiles.completenessProblems(firmId)
        : Promise.resolve([]),
    ]);
    const comments = steps.filter((s) => s.comment && s.actorRole !== 'firm_admin');
    const lastComment = app?.state === 'changes_requested' ? (comments.at(-1) ?? null) : null;
    const actions = app && isAdmin ? availableApplicationActions(app.state, auth.user.role) : [];
    const form = formErrors(locale, ['requestedTier'], options.fieldErrors ?? []);
    const status = options.status;
    this.pages.send(
      req,
      res,
      'applications/firm',
      {
        titleKey: 'application.firm.title',
        firm: {
          name: firm.name,
          status: firm.status,
          statusLabel: labelOr(locale, `application.firmStatus.${firm.status}`, firm.status),
        },
        isAdmin,
        notice: options.notice ?? null,
        application: app
          ? {
              ...toApplicationView(app, firm),
              stateLabel: stateLabel(locale, app.state),
              tierLabel: tierLabel(locale, app.requestedTier),
            }
          : null,
        canCreate: isAdmin && !open && firm.status === 'applicant',
        notApplicant: !app && firm.status !== 'applicant',
        canEditTier: isAdmin && editable,
        actions: actions.map((action) => ({ action, label: actionLabel(locale, action) })),
        problems: problems.map((code) => problemLabel(locale, code)),
        showProblems: problems.length > 0,
        lastComment: lastComment
          ? { comment: lastComment.comment, at: lastComment.at.toISOString() }
          : null,
        steps: stepRows(locale, steps),
        tiers: tiers.map((tier) => ({
          value: tier.code,
          label: `${tierLabel(locale, tier.code)}（${formatFen(tier.annualFeeFen)}）`,
          selected: tier.code === chosenTier,
        })),
        ...form,
        approved: app?.state === 'approved',
        rejected: app?.state === 'rejected',
      },
      status,
    );
  }

  // ---- The staff side ----

  @Get('staff/applications')
  @Roles('staff_admin', 'staff_reviewer')
  async queue(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = localeOf(req);
    const input = filledIn(req.query);
    const { value, errors } = await validateForm(ListApplicationsDto, input, { allow: ['lang'] });
    const labels = Object.fromEntries(
      FILTER_FIELDS.map((f) => [f, translate(locale, `application.queue.filter.${f}`)]),
    ) as Record<FilterField, string>;
    const raw = (f: string): string | null => (typeof input[f] === 'string' ? input[f] : null);
    const filters = Object.fromEntries(FILTER_FIELDS.map((f) => [f, raw(f)])) as Record<
      FilterField,
      string | null
    >;
    const counts = await this.applications.countsByState();
    const page =
      errors.length > 0
        ? null
        : await this.applications.list(auth.user, { ...value, limit: APPLICATION_PAGE_DEFAULT });
    const current = {
      state: value.state,
      district: value.district,
      category: value.category,
      minAgeDays: value.minAgeDays,
      maxAgeDays: value.maxAgeDays,
    };
    const offset = page?.offset ?? 0;
    this.pages.send(
      req,
      res,
      'applications/queue',
      {
        titleKey: 'application.queue.title',
        counts: APPLICATION_STATES.map((state) => ({
          state,
          label: stateLabel(locale, state),
          count: counts[state],
          url: withQuery('/staff/applications', { state }),
          current: value.state === state,
        })),
        filters,
        labels,
        stateOptions: options(APPLICATION_STATES, (s) => stateLabel(locale, s), filters.state),
        districtOptions: options(DISTRICT_KEYS, (d) => districtLabel(locale, d), filters.district),
        categoryOptions: options(CATEGORY_KEYS, (c) => categoryLabel(locale, c), filters.category),
        ...formErrors(locale, FILTER_FIELDS, errors, { labels }),
        items: (page?.items ?? []).map((item) => ({
          ...item,
          url: `/staff/applications/${item.id}`,
          districtLabel: districtLabel(locale, item.district),
          tierLabel: tierLabel(locale, item.requestedTier),
          stateLabel: stateLabel(locale, item.state),
        })),
        total: page?.total ?? 0,
        prevUrl:
          page && offset > 0
            ? withQuery('/staff/applications', {
                ...current,
                offset: Math.max(offset - page.limit, 0) || undefined,
              })
            : null,
        nextUrl:
          page && offset + page.items.length < page.total
            ? withQuery('/staff/applications', { ...current, offset: offset + page.limit })
            : null,
        resetUrl: '/staff/applications',
      },
      errors.length > 0 ? 400 : 200,
    );
  }

  @Get('staff/applications/:id')
  @Roles('staff_admin', 'staff_reviewer')
  async review(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const notice = doneNotice(localeOf(req), text(req.query.done, 32));
    await this.renderReview(auth, id, req, res, { notice, comment: '', status: 200 });
  }

  @Post('staff/applications/:id/transitions')
  @Roles('staff_admin', 'staff_reviewer')
  async staffAct(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const comment = text(body.comment);
    const { value, errors } = await validateForm(TransitionApplicationDto, body);
    if (errors.length > 0) {
      const locale = localeOf(req);
      const notice: PageNotice = {
        kind: 'error',
        message: errors.map((e) => e.message[locale]).join(' '),
        problems: [],
      };
      return this.renderReview(auth, id, req, res, { notice, comment, status: 400 });
    }
    try {
      await this.applications.transition(auth.user, id, value, requestMeta(req));
    } catch (error) {
      const notice = noticeOf(localeOf(req), error);
      return this.renderReview(auth, id, req, res, { notice, comment, status: notice.status });
    }
    this.pages.redirect(res, `/staff/applications/${id}?done=${value.action}`);
  }

  private async renderReview(
    auth: AuthContext,
    id: string,
    req: Request,
    res: Response,
    options: { notice: PageNotice | null; comment: string; status: number },
  ): Promise<void> {
    const locale = localeOf(req);
    const app = await this.applications.findVisible(auth.user, id);
    const firm = await this.firms.findVisible(auth.user, app.firmId);
    const [steps, documents, categories, problems] = await Promise.all([
      this.applications.stepsOf(app.id),
      this.documents.listForFirm(auth.user, firm.id),
      this.categories.find({ where: { firmId: firm.id }, order: { category: 'ASC' } }),
      this.profiles.completenessProblems(firm.id),
    ]);
    const actions = availableApplicationActions(app.state, auth.user.role);
    this.pages.send(
      req,
      res,
      'applications/review',
      {
        titleKey: 'application.review.title',
        notice: options.notice,
        application: {
          ...toApplicationView(app, firm),
          stateLabel: stateLabel(locale, app.state),
          tierLabel: tierLabel(locale, app.requestedTier),
        },
        firm: this.firmFacts(locale, firm),
        categories: categories.map((c) => categoryLabel(locale, c.category)),
        problems: problems.map((code) => problemLabel(locale, code)),
        documents: documents.map((doc) => ({
          fileName: doc.fileName,
          kindLabel: labelOr(locale, `application.document.${doc.kind}`, doc.kind),
          size: bytes(doc.sizeBytes),
          contentType: doc.contentType,
          uploadedAt: doc.uploadedAt.toISOString(),
          sha256: doc.sha256,
          url: `/firms/${firm.id}/documents/${doc.id}/content`,
        })),
        steps: stepRows(locale, steps),
        actions: actions.map((action) => ({
          action,
          label: actionLabel(locale, action),
          needsComment: APPLICATION_TRANSITIONS[action].needsComment,
          variant: action === 'reject' ? 'danger' : action === 'approve' ? 'primary' : 'secondary',
        })),
        comment: options.comment,
        readOnlyNote:
          actions.length === 0
            ? translate(
                locale,
                app.state === 'under_review' && auth.user.role === 'staff_reviewer'
                  ? 'application.review.onlyAdminDecides'
                  : 'application.review.noActions',
              )
            : null,
        roleLabel: roleLabel(locale, auth.user.role),
        queueUrl: '/staff/applications',
      },
      options.status,
    );
  }

  private firmFacts(locale: Locale, firm: Firm): object {
    return {
      id: firm.id,
      name: firm.name,
      nameEn: firm.nameEn,
      creditCode: firm.creditCode,
      legalRepresentative: firm.legalRepresentative,
      registeredCapital:
        firm.registeredCapitalFen === null ? null : formatFen(firm.registeredCapitalFen),
      establishedOn: firm.establishedOn,
      address: firm.address,
      district: districtLabel(locale, firm.district),
      website: firm.website,
      contactName: firm.contactName,
      contactPhone: firm.contactPhone,
      contactEmail: firm.contactEmail,
      statusLabel: labelOr(locale, `application.firmStatus.${firm.status}`, firm.status),
    };
  }
}
