import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, OptionalAuth, Public } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { UsersError } from '../users/users.errors.js';
import { UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { SignInDto } from './dto/sign-in.dto.js';
import { safeNextPath } from './next-path.js';
import {
  bodyOf,
  catalogueError,
  domainFieldError,
  localeOf,
  pageFieldErrors,
  text,
} from './page-forms.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

const SIGN_IN_FIELDS = ['email', 'password'] as const;
const PASSWORD_FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;
type PasswordField = (typeof PASSWORD_FIELDS)[number];

/**
 * Sign-in, sign-out and the account page. (Registration, e-mail verification, password reset and
 * two-factor pages live in their own controllers.)
 */
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Public()
  signInForm(
    @OptionalAuth() current: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): void {
    const next = safeNextPath(req.query.next);
    if (current && !current.pendingStep) return this.pages.redirect(res, next ?? '/');
    this.renderSignIn(req, res, { email: '', next, fieldErrors: [], formMessage: null }, 200);
  }

  @Post('sign-in')
  @Public()
  async signIn(
    @OptionalAuth() current: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    const body = bodyOf(req);
    const next = safeNextPath(body.next);
    const email = text(body.email, 254).trim();
    const validated = await validateForm(SignInDto, body, { allow: ['next'] });
    const fieldErrors = pageFieldErrors(
      body,
      SIGN_IN_FIELDS,
      (l) => this.signInLabels(l),
      validated.errors,
    );
    if (fieldErrors.length > 0) {
      return this.renderSignIn(req, res, { email, next, fieldErrors, formMessage: null }, 400);
    }
    const meta = requestMeta(req);
    let user;
    try {
      user = await this.auth.verifyCredentials(
        validated.value.email,
        validated.value.password,
        meta,
      );
    } catch (error) {
      if (
        error instanceof AuthError &&
        (error.code === 'INVALID_CREDENTIALS' || error.code === 'TOO_MANY_ATTEMPTS')
      ) {
        const retryAfter = error.details?.retryAfterSeconds;
        if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
        const formMessage = locale === 'en' ? error.spec.en : error.spec.zh;
        return this.renderSignIn(
          req,
          res,
          { email, next, fieldErrors: [], formMessage },
          error.spec.status,
        );
      }
      throw error;
    }
    // Signing in over an existing session replaces it rather than leaving it open behind.
    if (current) await this.auth.signOut(current, meta);
    const result = await this.auth.signIn(user, 'web', meta);
    setSessionCookie(res, result.token, this.config);
    if (result.pendingStep === 'mfa_enrol') return this.pages.redirect(res, '/account/mfa');
    if (result.pendingStep === 'mfa') {
      const query = next ? `?next=${encodeURIComponent(next)}` : '';
      return this.pages.redirect(res, `/sign-in/mfa${query}`);
    }
    this.pages.redirect(res, next ?? '/');
  }

  /** Public so that a stale or half-finished session can always be dropped from the browser. */
  @Post('sign-out')
  @Public()
  async signOut(
    @OptionalAuth() current: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (current) await this.auth.signOut(current, requestMeta(req));
    clearSessionCookie(res, this.config);
    this.pages.redirect(res, '/');
  }

  @Get('account')
  async account(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const notice =
      req.query.changed === 'password'
        ? translate(localeOf(req), 'account.password.changed')
        : null;
    await this.renderAccount(req, res, auth, [], notice, 200);
  }

  @Post('account/password')
  async changePassword(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const validated = await validateForm(ChangePasswordDto, body, { allow: ['confirmPassword'] });
    const fieldErrors = pageFieldErrors(
      body,
      PASSWORD_FIELDS,
      (l) => this.passwordLabels(l),
      validated.errors,
    );
    if (
      !fieldErrors.some((e) => e.field === 'confirmPassword') &&
      body.confirmPassword !== body.newPassword
    ) {
      fieldErrors.push(catalogueError('confirmPassword', 'mismatch', 'account.password.mismatch'));
    }
    if (fieldErrors.length > 0) return this.renderAccount(req, res, auth, fieldErrors, null, 400);
    try {
      const issued = await this.auth.changePassword(
        auth,
        validated.value.currentPassword,
        validated.value.newPassword,
        'web',
        requestMeta(req),
      );
      // Every session ended, this one too: the browser carries on with the new one.
      setSessionCookie(res, issued.token, this.config);
    } catch (error) {
      const field: PasswordField | null =
        error instanceof AuthError && error.code === 'CURRENT_PASSWORD_WRONG'
          ? 'currentPassword'
          : error instanceof UsersError && error.code.startsWith('PASSWORD_')
            ? 'newPassword'
            : null;
      if (!field || !(error instanceof AuthError || error instanceof UsersError)) throw error;
      return this.renderAccount(
        req,
        res,
        auth,
        [domainFieldError(field, error)],
        null,
        error.spec.status,
      );
    }
    this.pages.redirect(res, '/account?changed=password');
  }

  private signInLabels(locale: Locale): Record<(typeof SIGN_IN_FIELDS)[number], string> {
    return {
      email: translate(locale, 'signin.email'),
      password: translate(locale, 'signin.password'),
    };
  }

  private passwordLabels(locale: Locale): Record<PasswordField, string> {
    return {
      currentPassword: translate(locale, 'account.password.current'),
      newPassword: translate(locale, 'account.password.new'),
      confirmPassword: translate(locale, 'account.password.confirm'),
    };
  }

  private renderSignIn(
    req: Request,
    res: Response,
    form: {
      email: string;
      next: string | null;
      fieldErrors: FieldError[];
      formMessage: string | null;
    },
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, SIGN_IN_FIELDS, form.fieldErrors, {
      formMessage: form.formMessage,
      labels: this.signInLabels(locale),
    });
    this.pages.send(
      req,
      res,
      'auth/sign-in',
      {
        titleKey: 'signin.title',
        values: { email: form.email },
        next: form.next,
        errors,
        errorList,
      },
      status,
    );
  }

  private async renderAccount(
    req: Request,
    res: Response,
    auth: AuthContext,
    fieldErrors: FieldError[],
    notice: string | null,
    status: number,
  ): Promise<void> {
    const locale = localeOf(req);
    const user = await this.users.findById(auth.user.id);
    const { errors, errorList } = formErrors(locale, PASSWORD_FIELDS, fieldErrors, {
      labels: this.passwordLabels(locale),
    });
    this.pages.send(
      req,
      res,
      'account/index',
      {
        titleKey: 'account.title',
        account: {
          name: auth.user.name,
          email: auth.user.email,
          roleLabel: translate(locale, `role.${auth.user.role}`),
          emailVerified: auth.emailVerified,
          emailVerifiedAt: user?.emailVerifiedAt ?? null,
          mfaEnabled: auth.mfaEnabled,
          mfaEnabledAt: user?.totpEnabledAt ?? null,
          passwordChangedAt: user?.passwordChangedAt ?? null,
          createdAt: user?.createdAt ?? null,
        },
        notice,
        errors,
        errorList,
      },
      status,
    );
  }
}
