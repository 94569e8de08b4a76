import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { NotificationsService } from './notifications.service.js';

@Controller('notifications')
export class NotificationsPagesController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly pages: PageRenderer,
  ) {}

  /** The signed-in person's notifications, titles in the page's language. */
  @Get()
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const cursor =
      typeof req.query.cursor === 'string' && req.query.cursor !== ''
        ? req.query.cursor
        : undefined;
    const [page, unread] = await Promise.all([
      this.notifications.page(auth.user.id, { cursor }),
      this.notifications.countUnread(auth.user.id),
    ]);
    this.pages.send(req, res, 'notifications/index', {
      titleKey: 'notifications.title',
      unread,
      items: page.items.map((item) => ({
        id: item.id,
        title: item.title[locale],
        link: item.link,
        createdAt: item.createdAt,
        readAt: item.readAt,
        unread: item.readAt === null,
      })),
      nextUrl: page.nextCursor
        ? `/notifications?cursor=${encodeURIComponent(page.nextCursor)}`
        : null,
    });
  }

  @Post(':id/read')
  async markRead(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.notifications.markRead(auth.user, id, requestMeta(req));
    this.pages.redirect(res, '/notifications');
  }
}
