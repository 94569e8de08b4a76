/** How one error code appears to people and HTTP clients. */
export interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}

/**
 * Base of every module's error type. Services throw these and know nothing of HTTP; the problem
 * filter turns `spec` into RFC 9457 problem+json. Each module declares its codes as a union and
 * its specs as `Record<Code, ErrorSpec>`, so the type checker refuses a code with no mapping.
 */
export abstract class DomainError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly spec: ErrorSpec,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${spec.en}`);
  }
}

/** Errors shared by every module. */
export type CommonErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'VALIDATION_FAILED'
  | 'CSRF_REJECTED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

const COMMON_SPECS: Record<CommonErrorCode, ErrorSpec> = {
  NOT_FOUND: { status: 404, zh: '未找到该资源。', en: 'The resource was not found.' },
  FORBIDDEN: { status: 403, zh: '您无权执行此操作。', en: 'You are not allowed to do this.' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录。', en: 'Please sign in first.' },
  CONFLICT: {
    status: 409,
    zh: '该记录已被他人修改，请刷新后重试。',
    en: 'The record was changed by someone else; reload and try again.',
  },
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误。', en: 'The request has invalid fields.' },
  CSRF_REJECTED: {
    status: 403,
    zh: '表单已过期或来源不可信，请刷新页面后重新提交。',
    en: 'The form has expired or did not come from this site; reload the page and submit again.',
  },
  RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试。',
    en: 'Too many requests; try again later.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大。', en: 'The request is too large.' },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误，请稍后再试。',
    en: 'Something went wrong on our side; try again later.',
  },
};

export class CommonError extends DomainError<CommonErrorCode> {
  constructor(code: CommonErrorCode, details?: Record<string, unknown>) {
    super(code, COMMON_SPECS[code], details);
  }
}

/** One invalid field, with its message in both languages. */
export interface FieldError {
  field: string;
  code: string;
  message: { 'zh-CN': string; en: string };
}

export class ValidationFailed extends CommonError {
  constructor(readonly fieldErrors: FieldError[]) {
    super('VALIDATION_FAILED');
  }
}
