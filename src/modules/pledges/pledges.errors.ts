import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type PledgesErrorCode =
  // Signatory lists and reminders (helper C).
  | 'SIGNATORY_CURSOR_INVALID'
  | 'REMINDER_NO_FIRMS'
  // Conventions and obligations (helper A).
  | 'CONVENTION_NOT_FOUND'
  | 'CONVENTION_PUBLISHED'
  | 'CONVENTION_NOT_DRAFT'
  | 'CONVENTION_EFFECTIVE_DATE_INVALID'
  | 'CONVENTION_DIFF_INVALID'
  | 'OBLIGATION_NOT_FOUND'
  // Signatures, keys and verification (helper B).
  | 'NOTHING_TO_SIGN'
  | 'VERSION_NOT_IN_FORCE'
  | 'NOT_SIGNATORY'
  | 'FIRM_CANNOT_SIGN'
  | 'TYPED_NAME_MISMATCH'
  | 'CONSENT_REQUIRED'
  | 'REAUTH_FAILED'
  | 'TOTP_REQUIRED'
  | 'ALREADY_SIGNED'
  | 'SIGNATURE_NOT_FOUND';

const SPECS: Record<PledgesErrorCode, ErrorSpec> = {
  SIGNATORY_CURSOR_INVALID: {
    status: 400,
    zh: '分页参数无效，请从第一页重新浏览。',
    en: 'The page cursor is not valid; start again from the first page.',
  },
  REMINDER_NO_FIRMS: {
    status: 400,
    zh: '请至少选择一家尚未签署该版本公约的机构。',
    en: 'Choose at least one firm that has not signed this convention version.',
  },
  CONVENTION_NOT_FOUND: {
    status: 404,
    zh: '未找到该公约版本。',
    en: 'The convention version was not found.',
  },
  CONVENTION_PUBLISHED: {
    status: 409,
    zh: '该公约版本已发布，文本不可更改；如需修改请起草新版本。',
    en: 'This convention version is published and its text cannot change; draft a new version instead.',
  },
  CONVENTION_NOT_DRAFT: {
    status: 409,
    zh: '只有草稿状态的公约版本可以发布。',
    en: 'Only a draft convention version can be published.',
  },
  CONVENTION_EFFECTIVE_DATE_INVALID: {
    status: 400,
    zh: '生效日期须为今天或以后的有效日期（YYYY-MM-DD）。',
    en: 'The effective date must be a valid date (YYYY-MM-DD), today or later.',
  },
  CONVENTION_DIFF_INVALID: {
    status: 400,
    zh: '请选择两个已发布的公约版本进行比较。',
    en: 'Choose two published convention versions to compare.',
  },
  OBLIGATION_NOT_FOUND: {
    status: 404,
    zh: '未找到该签署义务。',
    en: 'The signing obligation was not found.',
  },
  NOTHING_TO_SIGN: {
    status: 409,
    zh: '目前没有生效的公约版本可供签署。',
    en: 'No convention version is in force to be signed.',
  },
  VERSION_NOT_IN_FORCE: {
    status: 409,
    zh: '只能签署当前生效的公约版本。',
    en: 'Only the convention version in force can be signed.',
  },
  NOT_SIGNATORY: {
    status: 403,
    zh: '只有本公司指定的授权签署人可以签署公约。',
    en: "Only the firm's authorised signatory may sign the convention.",
  },
  FIRM_CANNOT_SIGN: {
    status: 409,
    zh: '本公司目前的会籍状态不能签署公约。',
    en: "The firm's membership status does not allow signing the convention.",
  },
  TYPED_NAME_MISMATCH: {
    status: 400,
    zh: '输入的姓名与注册姓名不一致。',
    en: 'The typed name does not match your registered full name.',
  },
  CONSENT_REQUIRED: {
    status: 400,
    zh: '请勾选同意以电子方式签署。',
    en: 'Tick the consent to sign electronically.',
  },
  REAUTH_FAILED: {
    status: 400,
    zh: '密码或验证码不正确，未签署任何内容。',
    en: 'The password or code is incorrect; nothing was signed.',
  },
  TOTP_REQUIRED: {
    status: 400,
    zh: '您已启用两步验证，请填写当前验证码。',
    en: 'You use two-factor authentication: give the current code.',
  },
  ALREADY_SIGNED: {
    status: 409,
    zh: '本公司已签署该公约版本。',
    en: 'The firm has already signed this convention version.',
  },
  SIGNATURE_NOT_FOUND: {
    status: 404,
    zh: '未找到该签署记录。',
    en: 'The signature record was not found.',
  },
};

export class PledgesError extends DomainError<PledgesErrorCode> {
  constructor(code: PledgesErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
