import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Public } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AuthError } from './auth.errors.js';
import { EmailVerificationService } from './email-verification.service.js';
import { bodyOf, localeOf, text } from './page-forms.js';
import { renderNotice } from './notice-page.js';

/**
 * The page the verification e-mail links to. Opening it changes nothing: mail scanners and link
 * previews fetch every link, so the address is verified only by the button's POST.
 */
@Controller('verify-email')
export class EmailVerificationPagesController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Public()
  async confirmForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = text(req.query.token, 200);
    // Reading whether the link is still good changes nothing, so a prefetch is harmless.
    if (!(await this.verification.isLinkUsable(token))) return this.linkInvalid(req, res);
    this.pages.send(req, res, 'auth/verify-email', { titleKey: 'verify.title', token });
  }

  @Post()
  @Public()
  async verify(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      await this.verification.verify(text(bodyOf(req).token, 200), requestMeta(req));
    } catch (error) {
      if (error instanceof AuthError && error.code === 'LINK_INVALID')
        return this.linkInvalid(req, res);
      throw error;
    }
    renderNotice(this.pages, req, res, {
      titleKey: 'verify.done.title',
      kind: 'success',
      message: translate(localeOf(req), 'verify.done.message'),
      links: [{ href: '/', label: translate(localeOf(req), 'verify.done.continue') }],
    });
  }

  /** For a signed-in user whose address is still unverified (linked from the account page). */
  @Post('resend')
  async resend(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = localeOf(req);
    try {
      await this.verification.resend(auth, requestMeta(req));
    } catch (error) {
      if (!(error instanceof AuthError && error.code === 'EMAIL_ALREADY_VERIFIED')) throw error;
      return renderNotice(this.pages, req, res, {
        titleKey: 'verify.resent.title',
        kind: 'info',
        message: locale === 'en' ? error.spec.en : error.spec.zh,
        links: [{ href: '/account', label: translate(locale, 'verify.backToAccount') }],
      });
    }
    renderNotice(this.pages, req, res, {
      titleKey: 'verify.resent.title',
      kind: 'success',
      message: translate(locale, 'verify.resent.message', { email: auth.user.email }),
      links: [{ href: '/account', label: translate(locale, 'verify.backToAccount') }],
    });
  }

  private linkInvalid(req: Request, res: Response): void {
    const locale = localeOf(req);
    renderNotice(
      this.pages,
      req,
      res,
      {
        titleKey: 'verify.invalid.title',
        kind: 'error',
        message: translate(locale, 'verify.invalid.message'),
        links: [
          { href: '/account', label: translate(locale, 'verify.backToAccount') },
          { href: '/', label: translate(locale, 'verify.home') },
        ],
      },
      400,
    );
  }
}
