import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type NotificationsErrorCode = 'NOTIFICATION_NOT_FOUND' | 'CURSOR_INVALID';

const SPECS: Record<NotificationsErrorCode, ErrorSpec> = {
  NOTIFICATION_NOT_FOUND: {
    status: 404,
    zh: '未找到该通知。',
    en: 'The notification was not found.',
  },
  CURSOR_INVALID: {
    status: 400,
    zh: '分页参数无效，请从第一页重新浏览。',
    en: 'The page cursor is not valid; start again from the first page.',
  },
};

export class NotificationsError extends DomainError<NotificationsErrorCode> {
  constructor(code: NotificationsErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
