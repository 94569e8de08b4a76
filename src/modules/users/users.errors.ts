import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type UsersErrorCode =
  | 'EMAIL_TAKEN'
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_TOO_LONG'
  | 'PASSWORD_TOO_COMMON'
  | 'PASSWORD_CONTAINS_IDENTITY'
  | 'FIRM_REQUIRED'
  | 'FIRM_NOT_ALLOWED'
  | 'USER_NOT_FOUND';

const SPECS: Record<UsersErrorCode, ErrorSpec> = {
  EMAIL_TAKEN: {
    status: 409,
    zh: '该电子邮箱已注册。',
    en: 'An account with this e-mail address already exists.',
  },
  PASSWORD_TOO_SHORT: {
    status: 400,
    zh: '密码至少需要 8 个字符。',
    en: 'The password needs at least 8 characters.',
  },
  PASSWORD_TOO_LONG: {
    status: 400,
    zh: '密码不能超过 128 个字符。',
    en: 'The password may have at most 128 characters.',
  },
  PASSWORD_TOO_COMMON: {
    status: 400,
    zh: '该密码过于常见，容易被猜中，请换一个。',
    en: 'This password is too common and easy to guess; choose another.',
  },
  PASSWORD_CONTAINS_IDENTITY: {
    status: 400,
    zh: '密码不能包含您的电子邮箱用户名。',
    en: 'The password must not contain your e-mail name.',
  },
  FIRM_REQUIRED: {
    status: 400,
    zh: '机构用户必须属于一家机构。',
    en: 'A firm user must belong to a firm.',
  },
  FIRM_NOT_ALLOWED: {
    status: 400,
    zh: '只有机构用户才能归属机构。',
    en: 'Only firm users can belong to a firm.',
  },
  USER_NOT_FOUND: { status: 404, zh: '未找到该用户。', en: 'The user was not found.' },
};

export class UsersError extends DomainError<UsersErrorCode> {
  constructor(code: UsersErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
