import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { OptionalAuth, Public } from '../../common/auth/decorators.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { HomeService } from './home.service.js';

@Controller()
export class HomePagesController {
  constructor(
    private readonly home: HomeService,
    private readonly pages: PageRenderer,
  ) {}

  /** Visitors get the landing page; signed-in people their role's home with what to do next. */
  @Get()
  @Public()
  async index(
    @OptionalAuth() auth: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    if (auth?.pendingStep) {
      return this.pages.redirect(
        res,
        auth.pendingStep === 'mfa_enrol' ? '/account/mfa' : '/sign-in/mfa',
      );
    }
    if (!auth) {
      return this.pages.send(req, res, 'home/landing', {
        titleKey: 'home.title.landing',
        ...this.home.landing(locale),
      });
    }
    const dashboard = await this.home.dashboard(auth, locale);
    this.pages.send(req, res, 'home/dashboard', { titleKey: 'home.title.dashboard', ...dashboard });
  }
}
