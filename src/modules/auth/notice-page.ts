import type { Request, Response } from 'express';
import type { PageRenderer } from '../../common/views/page-renderer.service.js';

export interface Notice {
  /** Catalogue key of the heading (also the page title). */
  titleKey: string;
  kind: 'success' | 'info' | 'warning' | 'error';
  message: string;
  links: Array<{ href: string; label: string }>;
}

/** A one-message page that ends a flow: "verified", "link expired", "password changed". */
export function renderNotice(
  pages: PageRenderer,
  req: Request,
  res: Response,
  notice: Notice,
  status = 200,
): void {
  pages.send(req, res, 'auth/notice', { ...notice }, status);
}
