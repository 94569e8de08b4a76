import { NOTIFICATION_PAGE_DEFAULT, NOTIFICATION_PAGE_MAX } from '../notifications.service.js';
import { PageCursor, PageLimit } from '../../../common/dto/paging.js';

export class ListNotificationsDto {
  @PageCursor(200)
  cursor?: string;

  @PageLimit(NOTIFICATION_PAGE_MAX, NOTIFICATION_PAGE_DEFAULT)
  limit?: number;
}
