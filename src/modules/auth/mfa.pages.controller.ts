import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { requiresMfa } from '../../common/auth/roles.js';
import { AllowPendingMfa, Auth } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { UsersService } from '../users/users.service.js';
import { AuthError } from './auth.errors.js';
import { MfaService, type TotpSetup } from './mfa.service.js';
import { safeNextPath } from './next-path.js';
import { bodyOf, catalogueError, domainFieldError, localeOf, text } from './page-forms.js';

const CHALLENGE_FIELDS = ['code'] as const;
const MANAGE_FIELDS = ['code', 'password'] as const;
const SIX_DIGITS = /^\s*\d{3}\s?\d{3}\s*$/;

type ManageState = 'off' | 'setup' | 'codes' | 'enabled';

interface ManageView {
  state: ManageState;
  setup: TotpSetup | null;
  recoveryCodes: string[];
  notice: string | null;
  problems: FieldError[];
}

function labels(locale: Locale): Record<string, string> {
  return {
    code: translate(locale, 'mfa.field.code'),
    password: translate(locale, 'mfa.field.password'),
  };
}

/** The SVG as a data: URI for an <img>; the CSP allows data: images but no inline markup. */
function qrDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** "ABCD EFGH …": easier to type by hand; apps ignore the spaces. */
function groupsOfFour(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * Two-factor pages: the code step of sign-in (/sign-in/mfa) and enrolment or removal
 * (/account/mfa). Both are reachable from a half-signed-in session; each sends such a session
 * to the step it still owes.
 */
@Controller()
export class MfaPagesController {
  constructor(
    private readonly mfa: MfaService,
    private readonly users: UsersService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('sign-in/mfa')
  @AllowPendingMfa()
  challenge(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): void {
    const next = safeNextPath(req.query.next);
    if (auth.pendingStep !== 'mfa') return this.pages.redirect(res, this.elsewhere(auth, next));
    this.renderChallenge(req, res, next, [], 200);
  }

  @Post('sign-in/mfa')
  @AllowPendingMfa()
  async completeChallenge(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const next = safeNextPath(body.next);
    if (auth.pendingStep !== 'mfa') return this.pages.redirect(res, this.elsewhere(auth, next));
    const entered = text(body.code, 32).trim();
    if (!entered) {
      return this.renderChallenge(
        req,
        res,
        next,
        [catalogueError('code', 'isNotEmpty', 'mfa.error.codeRequired')],
        400,
      );
    }
    // One box takes either: six digits are an app code, anything else a recovery code.
    const factor = SIX_DIGITS.test(entered) ? { code: entered } : { recoveryCode: entered };
    try {
      await this.mfa.completeSignIn(auth, factor, requestMeta(req));
    } catch (error) {
      if (
        error instanceof AuthError &&
        (error.code === 'MFA_CODE_INVALID' || error.code === 'TOO_MANY_ATTEMPTS')
      ) {
        const retryAfter = error.details?.retryAfterSeconds;
        if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
        return this.renderChallenge(
          req,
          res,
          next,
          [domainFieldError('code', error)],
          error.spec.status,
        );
      }
      throw error;
    }
    this.pages.redirect(res, next ?? '/');
  }

  @Get('account/mfa')
  @AllowPendingMfa()
  async manage(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (auth.pendingStep === 'mfa') return this.pages.redirect(res, '/sign-in/mfa');
    await this.renderManage(req, res, auth, { state: auth.mfaEnabled ? 'enabled' : 'off' }, 200);
  }

  /**
   * The set-up steps are answers to POSTs; a GET of their address (the language switch, a
   * reload from history) goes back to the start rather than to a 404.
   */
  @Get(['account/mfa/setup', 'account/mfa/enable', 'account/mfa/disable'])
  @AllowPendingMfa()
  backToStart(@Req() req: Request, @Res() res: Response): void {
    const lang = text(req.query.lang, 8);
    this.pages.redirect(
      res,
      lang ? `/account/mfa?lang=${encodeURIComponent(lang)}` : '/account/mfa',
    );
  }

  @Post('account/mfa/setup')
  @AllowPendingMfa()
  async setup(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (auth.pendingStep === 'mfa') return this.pages.redirect(res, '/sign-in/mfa');
    if (auth.mfaEnabled) return this.pages.redirect(res, '/account/mfa');
    const setup = await this.mfa.beginSetup(auth, requestMeta(req));
    await this.renderManage(req, res, auth, { state: 'setup', setup }, 200);
  }

  @Post('account/mfa/enable')
  @AllowPendingMfa()
  async enable(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (auth.pendingStep === 'mfa') return this.pages.redirect(res, '/sign-in/mfa');
    if (auth.mfaEnabled) return this.pages.redirect(res, '/account/mfa');
    const setup = await this.mfa.pendingSetup(auth.user.id);
    if (!setup) return this.pages.redirect(res, '/account/mfa');
    const code = text(bodyOf(req).code, 32);
    if (!SIX_DIGITS.test(code)) {
      const problem = catalogueError('code', 'matches', 'mfa.error.sixDigits');
      return this.renderManage(req, res, auth, { state: 'setup', setup, problems: [problem] }, 400);
    }
    let recoveryCodes: string[];
    try {
      recoveryCodes = await this.mfa.enable(auth, code, requestMeta(req));
    } catch (error) {
      if (!(error instanceof AuthError && error.code === 'MFA_CODE_INVALID')) throw error;
      const problems = [domainFieldError('code', error)];
      return this.renderManage(
        req,
        res,
        auth,
        { state: 'setup', setup, problems },
        error.spec.status,
      );
    }
    // Shown in this response only; nothing can display them again.
    await this.renderManage(req, res, auth, { state: 'codes', recoveryCodes }, 200);
  }

  @Post('account/mfa/disable')
  async disable(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const password = text(body.password, 128);
    const code = text(body.code, 32);
    const problems: FieldError[] = [];
    if (!SIX_DIGITS.test(code))
      problems.push(catalogueError('code', 'matches', 'mfa.error.sixDigits'));
    if (!password)
      problems.push(catalogueError('password', 'isNotEmpty', 'mfa.error.passwordRequired'));
    if (problems.length > 0)
      return this.renderManage(req, res, auth, { state: 'enabled', problems }, 400);
    try {
      await this.mfa.disable(auth, password, code, requestMeta(req));
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const field =
        error.code === 'CURRENT_PASSWORD_WRONG'
          ? 'password'
          : error.code === 'MFA_CODE_INVALID' ||
              error.code === 'TOO_MANY_ATTEMPTS' ||
              error.code === 'MFA_REQUIRED'
            ? 'code'
            : null;
      if (!field) throw error;
      const problem = domainFieldError(field, error);
      return this.renderManage(
        req,
        res,
        auth,
        { state: 'enabled', problems: [problem] },
        error.spec.status,
      );
    }
    const notice = translate(localeOf(req), 'mfa.disabled.notice');
    await this.renderManage(req, res, auth, { state: 'off', notice }, 200);
  }

  /** Where a session that owes no code belongs instead of the code page. */
  private elsewhere(auth: AuthContext, next: string | null): string {
    return auth.pendingStep === 'mfa_enrol' ? '/account/mfa' : (next ?? '/');
  }

  private renderChallenge(
    req: Request,
    res: Response,
    next: string | null,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, CHALLENGE_FIELDS, problems, {
      labels: labels(locale),
    });
    this.pages.send(
      req,
      res,
      'auth/mfa-challenge',
      { titleKey: 'mfa.challenge.title', next, errors, errorList },
      status,
    );
  }

  private async renderManage(
    req: Request,
    res: Response,
    auth: AuthContext,
    view: Partial<ManageView> & { state: ManageState },
    status: number,
  ): Promise<void> {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, MANAGE_FIELDS, view.problems ?? [], {
      labels: labels(locale),
    });
    const user = view.state === 'enabled' ? await this.users.findById(auth.user.id) : null;
    this.pages.send(
      req,
      res,
      'auth/account-mfa',
      {
        titleKey: 'mfa.manage.title',
        state: view.state,
        enrolRequired: auth.pendingStep === 'mfa_enrol',
        mayDisable: !(this.config.isProduction && requiresMfa(auth.user.role)),
        enabledAt: user?.totpEnabledAt ?? null,
        setup: view.setup
          ? { secret: groupsOfFour(view.setup.secret), qrDataUri: qrDataUri(view.setup.qrSvg) }
          : null,
        recoveryCodes: view.recoveryCodes ?? [],
        notice: view.notice ?? null,
        errors,
        errorList,
      },
      status,
    );
  }
}
