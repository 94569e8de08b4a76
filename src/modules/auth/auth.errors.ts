import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type AuthErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'TOO_MANY_ATTEMPTS'
  | 'SESSION_INVALID'
  | 'MFA_PENDING'
  | 'MFA_CODE_INVALID'
  | 'MFA_ALREADY_ENABLED'
  | 'MFA_NOT_ENABLED'
  | 'MFA_SETUP_MISSING'
  | 'CURRENT_PASSWORD_WRONG'
  | 'LINK_INVALID'
  | 'EMAIL_ALREADY_VERIFIED'
  | 'MFA_REQUIRED'
  | 'MFA_NOT_PENDING';

const SPECS: Record<AuthErrorCode, ErrorSpec> = {
  // One answer for an unknown e-mail and a wrong password, so accounts cannot be enumerated.
  INVALID_CREDENTIALS: {
    status: 401,
    zh: '电子邮箱或密码不正确。',
    en: 'The e-mail address or password is incorrect.',
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    zh: '登录失败次数过多，请稍后再试。',
    en: 'Too many failed sign-in attempts; try again later.',
  },
  SESSION_INVALID: {
    status: 401,
    zh: '登录已失效，请重新登录。',
    en: 'Your session is no longer valid; please sign in again.',
  },
  MFA_PENDING: {
    status: 401,
    zh: '请先完成两步验证。',
    en: 'Complete two-factor authentication first.',
  },
  MFA_CODE_INVALID: {
    status: 401,
    zh: '验证码不正确或已使用。',
    en: 'The verification code is wrong or has already been used.',
  },
  MFA_ALREADY_ENABLED: {
    status: 409,
    zh: '两步验证已启用。',
    en: 'Two-factor authentication is already enabled.',
  },
  MFA_NOT_ENABLED: {
    status: 409,
    zh: '尚未启用两步验证。',
    en: 'Two-factor authentication is not enabled.',
  },
  MFA_SETUP_MISSING: {
    status: 409,
    zh: '请先开始设置两步验证。',
    en: 'Start two-factor set-up first.',
  },
  CURRENT_PASSWORD_WRONG: {
    status: 400,
    zh: '当前密码不正确。',
    en: 'The current password is incorrect.',
  },
  LINK_INVALID: {
    status: 400,
    zh: '该链接无效、已使用或已过期。',
    en: 'This link is invalid, already used or expired.',
  },
  EMAIL_ALREADY_VERIFIED: {
    status: 409,
    zh: '电子邮箱已验证。',
    en: 'The e-mail address is already verified.',
  },
  // Staff and mediators handle other people's data: their second factor cannot be switched off.
  MFA_REQUIRED: {
    status: 403,
    zh: '您的角色必须使用两步验证，不能停用。',
    en: 'Your role requires two-factor authentication; it cannot be turned off.',
  },
  MFA_NOT_PENDING: {
    status: 409,
    zh: '当前登录无需输入验证码。',
    en: 'This session is not waiting for a verification code.',
  },
};

export class AuthError extends DomainError<AuthErrorCode> {
  constructor(code: AuthErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
