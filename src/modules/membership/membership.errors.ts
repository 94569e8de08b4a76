import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type MembershipErrorCode = 'FIRM_NOT_FOUND' | 'CREDIT_CODE_INVALID' | 'CREDIT_CODE_TAKEN';

const SPECS: Record<MembershipErrorCode, ErrorSpec> = {
  FIRM_NOT_FOUND: { status: 404, zh: '未找到该机构。', en: 'The firm was not found.' },
  CREDIT_CODE_INVALID: {
    status: 400,
    zh: '统一社会信用代码无效：请核对 18 位代码（校验位不符）。',
    en: 'The unified social credit code is not valid: check the 18 characters (the check character does not match).',
  },
  CREDIT_CODE_TAKEN: {
    status: 409,
    zh: '该统一社会信用代码已登记。',
    en: 'A firm with this unified social credit code is already registered.',
  },
};

export class MembershipError extends DomainError<MembershipErrorCode> {
  constructor(code: MembershipErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
