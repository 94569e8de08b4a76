import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { ListNotificationsDto } from './dto/list-notifications.dto.js';
import { NotificationPageView, NotificationView } from './dto/notification-page.dto.js';
import {
  NotificationsService,
  type NotificationItem,
  type NotificationPage,
} from './notifications.service.js';

@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiDocumented({
    summary: "The caller's own in-app notifications, newest first, paginated",
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'CURSOR_INVALID'],
    ],
  })
  @ApiOkResponse({ type: NotificationPageView })
  list(@Auth() auth: AuthContext, @Query() query: ListNotificationsDto): Promise<NotificationPage> {
    return this.notifications.page(auth.user.id, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Mark one of your notifications read (again is harmless); others answer 404',
    access: 'signed-in',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'NOTIFICATION_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: NotificationView })
  markRead(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: Request,
  ): Promise<NotificationItem> {
    return this.notifications.markRead(auth.user, id, requestMeta(request));
  }
}
