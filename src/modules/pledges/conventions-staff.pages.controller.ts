import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError, type FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { beijingDate } from '../../common/time/beijing.js';
import { fieldError, formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { ConventionsService } from './conventions.service.js';
import { CreateConventionDto, UpdateConventionDto } from './dto/create-convention.dto.js';
import { PublishConventionDto } from './dto/publish-convention.dto.js';
import type { ConventionVersion } from './entities/convention-version.entity.js';
import { PledgesError } from './pledges.errors.js';

const TEXT_FIELDS = ['titleZh', 'titleEn', 'bodyZh', 'bodyEn'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type TextValues = Record<TextField, string>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function textValues(req: Request): TextValues {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    titleZh: text(body.titleZh, 400),
    titleEn: text(body.titleEn, 400),
    bodyZh: text(body.bodyZh, 400_000),
    bodyEn: text(body.bodyEn, 400_000),
  };
}

function labels(locale: Locale): Record<TextField | 'effectiveOn', string> {
  return {
    titleZh: translate(locale, 'conventionStaff.field.titleZh'),
    titleEn: translate(locale, 'conventionStaff.field.titleEn'),
    bodyZh: translate(locale, 'conventionStaff.field.bodyZh'),
    bodyEn: translate(locale, 'conventionStaff.field.bodyEn'),
    effectiveOn: translate(locale, 'conventionStaff.field.effectiveOn'),
  };
}

function message(locale: Locale, error: PledgesError | CommonError): string {
  return locale === 'en' ? error.spec.en : error.spec.zh;
}

/**
 * Staff drafting of convention versions: write a draft, preview it rendered, publish it with
 * an effective date. The same ConventionsService rules as the API (a published text is final).
 */
@Roles('staff_admin')
@Controller('staff/conventions')
export class ConventionsStaffPagesController {
  constructor(
    private readonly conventions: ConventionsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const versions = await this.conventions.listAll();
    this.pages.send(req, res, 'conventions/staff-index', {
      titleKey: 'conventionStaff.title',
      versions: versions.map((v) => ({
        id: v.id,
        versionNumber: v.versionNumber,
        titleZh: v.titleZh,
        state: v.state,
        stateLabel: translate(req.locale ?? 'zh-CN', `conventionStaff.state.${v.state}`),
        effectiveOn: v.effectiveOn,
      })),
    });
  }

  @Get('new')
  newDraft(@Req() req: Request, @Res() res: Response): void {
    this.renderNew(req, res, { titleZh: '', titleEn: '', bodyZh: '', bodyEn: '' }, [], 200);
  }

  @Post()
  async create(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = textValues(req);
    const validated = await validateForm(CreateConventionDto, {
      titleZh: values.titleZh,
      titleEn: values.titleEn || null,
      bodyZh: values.bodyZh,
      bodyEn: values.bodyEn || null,
    });
    if (validated.errors.length > 0) return this.renderNew(req, res, values, validated.errors, 400);
    const draft = await this.conventions.createDraft(auth.user, validated.value, requestMeta(req));
    this.pages.redirect(res, `/staff/conventions/${draft.id}`);
  }

  @Get(':id')
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const version = await this.load(id);
    const done = text(req.query.done, 16);
    const notice = ['saved', 'published'].includes(done)
      ? translate(req.locale ?? 'zh-CN', `conventionStaff.done.${done}`)
      : null;
    this.renderVersion(
      req,
      res,
      version,
      { values: null, problems: [], formMessage: null },
      notice,
      200,
    );
  }

  @Post(':id')
  async edit(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const version = await this.load(id);
    const values = textValues(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const validated = await validateForm(UpdateConventionDto, {
      version: Number(text(body.version, 12)),
      titleZh: values.titleZh,
      titleEn: values.titleEn || null,
      bodyZh: values.bodyZh,
      bodyEn: values.bodyEn || null,
    });
    if (validated.errors.length > 0)
      return this.renderVersion(
        req,
        res,
        version,
        { values, problems: validated.errors, formMessage: null },
        null,
        400,
      );
    try {
      await this.conventions.editDraft(auth.user, version.id, validated.value, requestMeta(req));
    } catch (error) {
      const refused = this.refusal(error);
      return this.renderVersion(
        req,
        res,
        version,
        { values, problems: [], formMessage: message(req.locale ?? 'zh-CN', refused) },
        null,
        refused.spec.status,
      );
    }
    this.pages.redirect(res, `/staff/conventions/${version.id}?done=saved`);
  }

  @Post(':id/publication')
  async publish(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const version = await this.load(id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const effectiveOn = text(body.effectiveOn, 10);
    const validated = await validateForm(PublishConventionDto, {
      version: Number(text(body.version, 12)),
      effectiveOn,
    });
    const publishForm = {
      effectiveOn,
      problems: validated.errors,
      formMessage: null as string | null,
    };
    if (validated.errors.length === 0) {
      try {
        await this.conventions.publish(auth.user, version.id, validated.value, requestMeta(req));
        this.pages.redirect(res, `/staff/conventions/${version.id}?done=published`);
        return;
      } catch (error) {
        const refused = this.refusal(error);
        const locale = req.locale ?? 'zh-CN';
        if (refused instanceof PledgesError && refused.code === 'CONVENTION_EFFECTIVE_DATE_INVALID')
          publishForm.problems = [
            fieldError('effectiveOn', refused.code, refused.spec.zh, refused.spec.en),
          ];
        else publishForm.formMessage = message(locale, refused);
        return this.renderVersion(
          req,
          res,
          version,
          { values: null, problems: [], formMessage: null },
          null,
          refused.spec.status,
          publishForm,
        );
      }
    }
    this.renderVersion(
      req,
      res,
      version,
      { values: null, problems: [], formMessage: null },
      null,
      400,
      publishForm,
    );
  }

  private async load(id: string): Promise<ConventionVersion> {
    if (!UUID.test(id)) throw new PledgesError('CONVENTION_NOT_FOUND');
    return this.conventions.getVersion(id);
  }

  private refusal(error: unknown): PledgesError | CommonError {
    if (error instanceof PledgesError) return error;
    if (error instanceof CommonError && error.code === 'CONFLICT') return error;
    throw error;
  }

  private renderNew(
    req: Request,
    res: Response,
    values: TextValues,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = req.locale ?? 'zh-CN';
    this.pages.send(
      req,
      res,
      'conventions/staff-new',
      {
        titleKey: 'conventionStaff.new.title',
        values,
        ...formErrors(locale, TEXT_FIELDS, problems, { labels: labels(locale) }),
      },
      status,
    );
  }

  private renderVersion(
    req: Request,
    res: Response,
    version: ConventionVersion,
    editForm: { values: TextValues | null; problems: FieldError[]; formMessage: string | null },
    notice: string | null,
    status: number,
    publishForm: { effectiveOn: string; problems: FieldError[]; formMessage: string | null } = {
      effectiveOn: beijingDate(new Date()),
      problems: [],
      formMessage: null,
    },
  ): void {
    const locale = req.locale ?? 'zh-CN';
    const preview = this.conventions.preview(version);
    const edit = formErrors(locale, TEXT_FIELDS, editForm.problems, {
      labels: labels(locale),
      formMessage: editForm.formMessage,
    });
    const pub = formErrors(locale, ['effectiveOn'] as const, publishForm.problems, {
      labels: labels(locale),
      formMessage: publishForm.formMessage,
    });
    this.pages.send(
      req,
      res,
      'conventions/staff-version',
      {
        titleKey: 'conventionStaff.version.title',
        notice,
        version: {
          id: version.id,
          versionNumber: version.versionNumber,
          state: version.state,
          isDraft: version.state === 'draft',
          stateLabel: translate(locale, `conventionStaff.state.${version.state}`),
          version: version.version,
          fingerprint: version.fingerprint,
          effectiveOn: version.effectiveOn,
        },
        values: editForm.values ?? {
          titleZh: version.titleZh,
          titleEn: version.titleEn ?? '',
          bodyZh: version.bodyZh,
          bodyEn: version.bodyEn ?? '',
        },
        editErrors: edit.errors,
        editErrorList: edit.errorList,
        effectiveOn: publishForm.effectiveOn,
        publishErrors: pub.errors,
        publishErrorList: pub.errorList,
        // Both produced by markdown.ts, which escapes the whole source before adding any tag.
        previewZh: preview.zh,
        previewEn: preview.en,
      },
      status,
    );
  }
}
