import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfGuard } from '../http/csrf.guard.js';
import { translate, type Locale } from '../i18n/i18n.js';
import { navigationFor } from './navigation.js';
import { ViewService, type PageBase } from './view.service.js';

@Injectable()
export class PageRenderer {
  constructor(
    private readonly views: ViewService,
    private readonly csrf: CsrfGuard,
  ) {}

  base(request: Request, title = ''): PageBase {
    const locale: Locale = request.locale ?? 'zh-CN';
    const user = request.auth?.user;
    const params = new URLSearchParams(request.query as Record<string, string>);
    params.set('lang', locale === 'en' ? 'zh-CN' : 'en');
    return {
      locale,
      lang: locale,
      user: user
        ? {
            id: user.id,
            name: user.name,
            role: user.role,
            roleLabel: translate(locale, `role.${user.role}`),
          }
        : null,
      csrfToken: request.csrfSeed ? this.csrf.tokenFor(request.csrfSeed) : '',
      path: request.path,
      switchLangUrl: `${request.path}?${params.toString()}`,
      requestId: request.requestId ?? '',
      title,
      nav: navigationFor(user?.role ?? null, request.path, locale),
    };
  }

  /**
   * Writes a page. Page handlers take `@Req()` and `@Res()` and end with this (or redirect());
   * `model.titleKey` names the catalogue entry used as the page title.
   */
  send(request: Request, response: Response, template: string, model: object, status = 200): void {
    const titleKey = (model as { titleKey?: string }).titleKey;
    const base = this.base(request, titleKey ? translate(request.locale ?? 'zh-CN', titleKey) : '');
    response
      .status(status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(this.views.renderPage(template, base, model));
  }

  /** 303 See Other: the browser follows with a GET, so a reload never re-posts a form. */
  redirect(response: Response, url: string): void {
    response.redirect(303, url);
  }
}
