import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError, type FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { fieldError, formErrors, type SummaryItem } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { directoryLabels, type DirectoryLabels } from './directory.pages.controller.js';
import { PUBLIC_RECORD_STATUSES } from './directory.repository.js';
import { CreateStatusTransitionDto } from './dto/create-status-transition.dto.js';
import { WithdrawMembershipDto } from './dto/withdraw-membership.dto.js';
import { DuesService } from './dues.service.js';
import type { Firm } from './entities/firm.entity.js';
import { FirmsService } from './firms.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { MembershipError, type MembershipErrorCode } from './membership.errors.js';
import { availableMembershipActions, SANCTION_REASON_CATEGORIES } from './membership.state.js';

const STAFF_ACTIONS = ['suspend', 'reinstate', 'expel'] as const;
type StaffAction = (typeof STAFF_ACTIONS)[number];
const SANCTION_FIELDS = ['reasonCategory', 'reason', 'until', 'decisionRef'] as const;
type SanctionField = (typeof SANCTION_FIELDS)[number];
const WITHDRAW_FIELDS = ['reason', 'confirm'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Service refusals that belong beside one field of the form. */
const FIELD_OF: Partial<Record<MembershipErrorCode, SanctionField | 'confirm'>> = {
  STATUS_REASON_REQUIRED: 'reason',
  STATUS_REASON_CATEGORY_INVALID: 'reasonCategory',
  STATUS_DECISION_REF_REQUIRED: 'decisionRef',
  STATUS_UNTIL_INVALID: 'until',
  WITHDRAWAL_NOT_CONFIRMED: 'confirm',
};

interface SubmittedForm {
  action: StaffAction;
  values: Record<SanctionField, string>;
  problems: FieldError[];
  formMessage: string | null;
}

function text(value: unknown, max = 2000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** Turns a refusal from the service into a form error, or rethrows what a form cannot show. */
function refusal(error: unknown): { field: string | null; error: MembershipError | CommonError } {
  if (error instanceof MembershipError) return { field: FIELD_OF[error.code] ?? null, error };
  if (error instanceof CommonError && error.code === 'CONFLICT') return { field: null, error };
  throw error;
}

/**
 * Sanctions on a firm's staff page (suspend, reinstate, expel) and the firm admin's voluntary
 * withdrawal. Both post to LifecycleService.transition, the same rules as the API.
 */
@Controller()
export class SanctionsPagesController {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly firms: FirmsService,
    private readonly dues: DuesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('staff/firms/:id/sanctions')
  @Roles('staff_admin', 'staff_reviewer')
  async staffPage(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const done = text(req.query.done, 16);
    const message = (STAFF_ACTIONS as readonly string[]).includes(done)
      ? translate(req.locale ?? 'zh-CN', `sanction.done.${done}`)
      : null;
    await this.renderStaff(auth, id, req, res, null, message, 200);
  }

  @Post('staff/firms/:id/sanctions')
  @Roles('staff_admin')
  async staffAct(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const firmId = this.uuid(id);
    const body = bodyOf(req);
    const action = text(body.action, 16);
    if (!(STAFF_ACTIONS as readonly string[]).includes(action))
      throw new CommonError('VALIDATION_FAILED');
    const values: Record<SanctionField, string> = {
      reasonCategory: text(body.reasonCategory, 32),
      reason: text(body.reason),
      until: text(body.until, 10),
      decisionRef: text(body.decisionRef, 100),
    };
    const submitted: Record<string, unknown> = { action, version: text(body.version, 12) };
    for (const field of SANCTION_FIELDS)
      if (values[field].trim() !== '') submitted[field] = values[field];
    const validated = await validateForm(CreateStatusTransitionDto, submitted);
    const form: SubmittedForm = {
      action: action as StaffAction,
      values,
      problems: validated.errors,
      formMessage: null,
    };
    if (validated.errors.length === 0) {
      try {
        await this.lifecycle.transition(auth.user, firmId, validated.value, requestMeta(req));
        this.pages.redirect(res, `/staff/firms/${firmId}/sanctions?done=${action}`);
        return;
      } catch (error) {
        const { field, error: refused } = refusal(error);
        const locale = req.locale ?? 'zh-CN';
        if (field)
          form.problems = [fieldError(field, refused.code, refused.spec.zh, refused.spec.en)];
        else form.formMessage = locale === 'en' ? refused.spec.en : refused.spec.zh;
        return this.renderStaff(auth, id, req, res, form, null, refused.spec.status);
      }
    }
    await this.renderStaff(auth, id, req, res, form, null, 400);
  }

  @Get('firm/withdrawal')
  @Roles('firm_admin')
  async withdrawPage(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderWithdraw(auth, req, res, { reason: '', confirm: false }, [], null, 200);
  }

  @Post('firm/withdrawal')
  @Roles('firm_admin')
  async withdraw(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = { reason: text(body.reason), confirm: body.confirm === 'yes' };
    const submitted: Record<string, unknown> = { version: text(body.version, 12) };
    if (values.reason.trim() !== '') submitted.reason = values.reason;
    if (body.confirm !== undefined) submitted.confirm = text(body.confirm, 8);
    const validated = await validateForm(WithdrawMembershipDto, submitted);
    const locale = req.locale ?? 'zh-CN';
    if (validated.errors.length > 0)
      return this.renderWithdraw(auth, req, res, values, validated.errors, null, 400);
    if (!values.confirm) {
      const problem = fieldError(
        'confirm',
        'WITHDRAWAL_NOT_CONFIRMED',
        translate('zh-CN', 'sanction.withdraw.confirmRequired'),
        translate('en', 'sanction.withdraw.confirmRequired'),
      );
      return this.renderWithdraw(auth, req, res, values, [problem], null, 400);
    }
    try {
      await this.lifecycle.transition(
        auth.user,
        this.ownFirmId(auth),
        {
          action: 'withdraw',
          reason: values.reason,
          confirm: true,
          version: validated.value.version,
        },
        requestMeta(req),
      );
    } catch (error) {
      const { field, error: refused } = refusal(error);
      const problems = field
        ? [fieldError(field, refused.code, refused.spec.zh, refused.spec.en)]
        : [];
      const message = field ? null : locale === 'en' ? refused.spec.en : refused.spec.zh;
      return this.renderWithdraw(auth, req, res, values, problems, message, refused.spec.status);
    }
    this.pages.redirect(res, '/firm/withdrawal?done=1');
  }

  private uuid(id: string): string {
    if (!UUID.test(id)) throw new MembershipError('FIRM_NOT_FOUND');
    return id;
  }

  private ownFirmId(auth: AuthContext): string {
    if (!auth.user.firmId) throw new MembershipError('FIRM_NOT_FOUND');
    return auth.user.firmId;
  }

  private firmFacts(firm: Firm, labels: DirectoryLabels) {
    const hasRecord = (PUBLIC_RECORD_STATUSES as readonly string[]).includes(firm.status);
    return {
      id: firm.id,
      name: firm.name,
      creditCode: firm.creditCode,
      status: firm.status,
      statusLabel: labels.status(firm.status),
      suspendedUntil: firm.suspendedUntil,
      version: firm.version,
      publicUrl: hasRecord ? `/directory/${firm.id}` : null,
    };
  }

  private async renderStaff(
    auth: AuthContext,
    id: string,
    req: Request,
    res: Response,
    submitted: SubmittedForm | null,
    done: string | null,
    status: number,
  ): Promise<void> {
    const locale: Locale = req.locale ?? 'zh-CN';
    const firm = await this.firms.findVisible(auth.user, this.uuid(id));
    const [labels, history] = await Promise.all([
      directoryLabels(this.dues, locale),
      this.lifecycle.history(auth.user, firm.id),
    ]);
    const available = availableMembershipActions(firm.status, 'staff_admin');
    const fieldLabels = {
      reasonCategory: translate(locale, 'sanction.field.reasonCategory'),
      reason: translate(locale, 'sanction.field.reason'),
      until: translate(locale, 'sanction.field.until'),
      decisionRef: translate(locale, 'sanction.field.decisionRef'),
    };
    let errorList: SummaryItem[] = [];
    const formModel = (action: StaffAction) => {
      if (!available.includes(action)) return null;
      const mine = submitted?.action === action ? submitted : null;
      const values = mine?.values ?? { reasonCategory: '', reason: '', until: '', decisionRef: '' };
      const model = formErrors(locale, SANCTION_FIELDS, mine?.problems ?? [], {
        labels: fieldLabels,
        formMessage: mine?.formMessage ?? null,
      });
      if (mine) {
        // Several forms share the page: summary links point at this form's inputs.
        errorList = model.errorList.map((item) => ({
          field: item.field ? `${action}-${item.field}` : null,
          message: item.message,
        }));
      }
      return {
        values,
        errors: model.errors,
        categories: SANCTION_REASON_CATEGORIES.map((value) => ({
          value,
          label: translate(locale, `sanction.reason.${value}`),
          selected: value === values.reasonCategory,
        })),
      };
    };
    const model = {
      titleKey: 'sanction.page.title',
      firm: this.firmFacts(firm, labels),
      canAct: auth.user.role === 'staff_admin',
      suspend: formModel('suspend'),
      reinstate: formModel('reinstate'),
      expel: formModel('expel'),
      errorList: [] as SummaryItem[],
      done,
      history: [...history].reverse().map((event) => ({
        effectiveAt: event.effectiveAt,
        status: event.status,
        statusLabel: labels.status(event.status),
        reasonLabel: labels.reason(event.reasonCategory),
        reason: event.reason,
        until: event.until,
        decisionRef: event.decisionRef,
      })),
    };
    model.errorList = errorList;
    this.pages.send(req, res, 'sanctions/staff', model, status);
  }

  private async renderWithdraw(
    auth: AuthContext,
    req: Request,
    res: Response,
    values: { reason: string; confirm: boolean },
    problems: FieldError[],
    formMessage: string | null,
    status: number,
  ): Promise<void> {
    const locale: Locale = req.locale ?? 'zh-CN';
    const firm = await this.firms.findVisible(auth.user, this.ownFirmId(auth));
    const labels = await directoryLabels(this.dues, locale);
    const { errors, errorList } = formErrors(locale, WITHDRAW_FIELDS, problems, {
      labels: {
        reason: translate(locale, 'sanction.withdraw.reason'),
        confirm: translate(locale, 'sanction.withdraw.confirmLabel'),
      },
      formMessage,
    });
    this.pages.send(
      req,
      res,
      'sanctions/withdraw',
      {
        titleKey: 'sanction.withdraw.title',
        firm: this.firmFacts(firm, labels),
        canWithdraw: availableMembershipActions(firm.status, 'firm_admin').includes('withdraw'),
        done: text(req.query.done, 2) === '1',
        values,
        errors,
        errorList,
      },
      status,
    );
  }
}
