import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { UsersError } from '../users/users.errors.js';
import { AuthError } from './auth.errors.js';
import { ConfirmPasswordResetDto } from './dto/confirm-password-reset.dto.js';
import { RequestPasswordResetDto } from './dto/request-password-reset.dto.js';
import { renderNotice } from './notice-page.js';
import {
  bodyOf,
  catalogueError,
  domainFieldError,
  localeOf,
  pageFieldErrors,
  text,
} from './page-forms.js';
import { PasswordResetService } from './password-reset.service.js';
import { clearSessionCookie } from './session-cookie.js';

const REQUEST_FIELDS = ['email'] as const;
const RESET_FIELDS = ['newPassword', 'confirmPassword'] as const;

const WORDING: Record<string, string> = {
  'email.isEmail': 'register.error.email',
  'newPassword.minLength': 'register.error.passwordLength',
  'newPassword.maxLength': 'register.error.passwordLength',
};

function labels(locale: Locale): Record<string, string> {
  return {
    email: translate(locale, 'reset.field.email'),
    newPassword: translate(locale, 'reset.field.newPassword'),
    confirmPassword: translate(locale, 'reset.field.confirmPassword'),
  };
}

/** "Forgot password": ask for a link, then choose a new password on the page it opens. */
@Controller()
@Public()
export class PasswordResetPagesController {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('forgot-password')
  requestForm(@Req() req: Request, @Res() res: Response): void {
    this.renderRequest(req, res, '', [], 200);
  }

  @Post('forgot-password')
  async request(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const email = text(body.email, 254);
    const validated = await validateForm(RequestPasswordResetDto, body);
    const problems = pageFieldErrors(body, REQUEST_FIELDS, labels, validated.errors, WORDING);
    if (problems.length > 0) return this.renderRequest(req, res, email, problems, 400);
    await this.resets.request(validated.value.email, requestMeta(req));
    const locale = localeOf(req);
    // The same page for every address: it must not tell whether an account exists.
    renderNotice(this.pages, req, res, {
      titleKey: 'reset.sent.title',
      kind: 'info',
      message: translate(locale, 'reset.sent.message'),
      links: [{ href: '/sign-in', label: translate(locale, 'reset.backToSignIn') }],
    });
  }

  @Get('reset-password')
  async resetForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = text(req.query.token, 200);
    if (!(await this.resets.isLinkUsable(token))) return this.linkInvalid(req, res);
    this.renderReset(req, res, token, [], 200);
  }

  @Post('reset-password')
  async reset(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const token = text(body.token, 200);
    const validated = await validateForm(ConfirmPasswordResetDto, body, {
      allow: ['confirmPassword'],
    });
    const problems = pageFieldErrors(
      body,
      RESET_FIELDS,
      labels,
      validated.errors.filter((e) => e.field !== 'token'),
      WORDING,
    );
    if (
      !problems.some((e) => e.field === 'confirmPassword') &&
      body.confirmPassword !== body.newPassword
    ) {
      problems.push(catalogueError('confirmPassword', 'mismatch', 'reset.error.mismatch'));
    }
    if (problems.length > 0) return this.renderReset(req, res, token, problems, 400);
    try {
      await this.resets.confirm(token, validated.value.newPassword, requestMeta(req));
    } catch (error) {
      if (error instanceof AuthError && error.code === 'LINK_INVALID')
        return this.linkInvalid(req, res);
      if (error instanceof UsersError && error.code.startsWith('PASSWORD_')) {
        return this.renderReset(
          req,
          res,
          token,
          [domainFieldError('newPassword', error)],
          error.spec.status,
        );
      }
      throw error;
    }
    // Every session of the account has ended, so this browser's cookie is dead weight.
    clearSessionCookie(res, this.config);
    const locale = localeOf(req);
    renderNotice(this.pages, req, res, {
      titleKey: 'reset.done.title',
      kind: 'success',
      message: translate(locale, 'reset.done.message'),
      links: [{ href: '/sign-in', label: translate(locale, 'reset.signIn') }],
    });
  }

  private linkInvalid(req: Request, res: Response): void {
    const locale = localeOf(req);
    renderNotice(
      this.pages,
      req,
      res,
      {
        titleKey: 'reset.invalid.title',
        kind: 'error',
        message: translate(locale, 'reset.invalid.message'),
        links: [{ href: '/forgot-password', label: translate(locale, 'reset.askAgain') }],
      },
      400,
    );
  }

  private renderRequest(
    req: Request,
    res: Response,
    email: string,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, REQUEST_FIELDS, problems, {
      labels: labels(locale),
    });
    this.pages.send(
      req,
      res,
      'auth/forgot-password',
      { titleKey: 'reset.request.title', values: { email }, errors, errorList },
      status,
    );
  }

  private renderReset(
    req: Request,
    res: Response,
    token: string,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, RESET_FIELDS, problems, {
      labels: labels(locale),
    });
    this.pages.send(
      req,
      res,
      'auth/reset-password',
      { titleKey: 'reset.title', token, errors, errorList },
      status,
    );
  }
}
