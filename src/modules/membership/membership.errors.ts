import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type MembershipErrorCode =
  | 'FIRM_NOT_FOUND'
  | 'CREDIT_CODE_INVALID'
  | 'CREDIT_CODE_TAKEN'
  // Firm record, documents, colleagues (firm portal).
  | 'DOCUMENT_NOT_FOUND'
  | 'LICENCE_NOT_FOUND'
  | 'LICENCE_DATES_INVALID'
  | 'CHANGE_REQUEST_NOT_FOUND'
  | 'CHANGE_REQUEST_PENDING'
  | 'CHANGE_REQUEST_NOT_PENDING'
  | 'CHANGE_REQUEST_EMPTY'
  | 'INVITATION_INVALID'
  | 'INVITATION_NOT_FOUND'
  | 'INVITEE_HAS_ACCOUNT'
  | 'COLLEAGUE_NOT_FOUND'
  | 'CANNOT_REMOVE_SELF'
  | 'LAST_FIRM_ADMIN'
  | 'SIGNATORY_INVALID'
  // Status changes (sanctions, lapse, withdrawal) and the public directory.
  | 'STATUS_ACTION_NOT_ALLOWED'
  | 'STATUS_TRANSITION_NOT_ALLOWED'
  | 'STATUS_REASON_REQUIRED'
  | 'STATUS_REASON_CATEGORY_INVALID'
  | 'STATUS_DECISION_REF_REQUIRED'
  | 'STATUS_UNTIL_INVALID'
  | 'STATUS_FIELD_NOT_ALLOWED'
  | 'WITHDRAWAL_NOT_CONFIRMED'
  | 'DUES_OUTSTANDING'
  | 'DIRECTORY_CURSOR_INVALID'
  // Applications, tiers and dues.
  | 'APPLICATION_NOT_FOUND'
  | 'APPLICATION_ALREADY_OPEN'
  | 'APPLICATION_FIRM_NOT_APPLICANT'
  | 'APPLICATION_TRANSITION_NOT_ALLOWED'
  | 'APPLICATION_ROLE_NOT_ALLOWED'
  | 'APPLICATION_COMMENT_REQUIRED'
  | 'APPLICATION_INCOMPLETE'
  | 'APPLICATION_NOT_EDITABLE'
  | 'CONVENTION_NOT_SIGNED'
  | 'TIER_NOT_FOUND'
  | 'INVOICE_NOT_FOUND'
  | 'INVOICE_NOT_OPEN'
  | 'INVOICE_ALREADY_RAISED'
  | 'PAYMENT_EXCEEDS_BALANCE'
  | 'PAYMENT_DATE_INVALID'
  | 'AMOUNT_INVALID'
  // Staff member list, CSV export and import.
  | 'MEMBER_CURSOR_INVALID'
  | 'MEMBER_IMPORT_FILE_MISSING'
  | 'MEMBER_IMPORT_TOO_LARGE'
  | 'MEMBER_IMPORT_TOO_MANY_ROWS'
  | 'MEMBER_IMPORT_INVALID';

const SPECS: Record<MembershipErrorCode, ErrorSpec> = {
  STATUS_ACTION_NOT_ALLOWED: {
    status: 403,
    zh: '您的角色不能对该机构的会籍执行此操作。',
    en: "Your role cannot take this action on the firm's membership.",
  },
  STATUS_TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '该机构当前的会籍状态不允许执行此操作。',
    en: "The firm's current membership status does not allow this action.",
  },
  STATUS_REASON_REQUIRED: {
    status: 400,
    zh: '请填写理由：暂停和开除会籍都须说明理由。',
    en: 'A reason is required to suspend or expel a member.',
  },
  STATUS_REASON_CATEGORY_INVALID: {
    status: 400,
    zh: '请选择公开的理由类别。',
    en: 'Choose one of the public reason categories.',
  },
  STATUS_DECISION_REF_REQUIRED: {
    status: 400,
    zh: '开除会籍须填写决定文号。',
    en: 'Expelling a member needs the reference of the decision.',
  },
  STATUS_UNTIL_INVALID: {
    status: 400,
    zh: '暂停截止日期须为今天或以后的有效日期（YYYY-MM-DD）。',
    en: 'The last day of the suspension must be a valid date (YYYY-MM-DD), today or later.',
  },
  STATUS_FIELD_NOT_ALLOWED: {
    status: 400,
    zh: '该操作不接受所提交的某些字段（截止日期只用于暂停，决定文号只用于开除）。',
    en: 'This action does not take some of the fields sent (an end date is for suspensions, a decision reference for expulsions).',
  },
  WITHDRAWAL_NOT_CONFIRMED: {
    status: 400,
    zh: '请确认退会：退会后会籍终止，如需重新入会须另行申请。',
    en: 'Confirm the withdrawal: membership ends, and rejoining needs a new application.',
  },
  DUES_OUTSTANDING: {
    status: 409,
    zh: '该机构仍有逾期未缴的会费，缴清或减免后方可恢复会籍。',
    en: 'The firm still has overdue dues; record the payment or waive the invoice before reinstating it.',
  },
  DIRECTORY_CURSOR_INVALID: {
    status: 400,
    zh: '分页参数无效，请从第一页重新浏览。',
    en: 'The page cursor is not valid; start again from the first page.',
  },
  APPLICATION_NOT_FOUND: {
    status: 404,
    zh: '未找到该入会申请。',
    en: 'The membership application was not found.',
  },
  APPLICATION_ALREADY_OPEN: {
    status: 409,
    zh: '贵机构已有一份尚未办结的入会申请。',
    en: 'Your firm already has a membership application in progress.',
  },
  APPLICATION_FIRM_NOT_APPLICANT: {
    status: 409,
    zh: '只有“申请中”状态的机构可以提交入会申请。',
    en: 'Only a firm whose status is "applicant" can apply for membership.',
  },
  APPLICATION_TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '入会申请当前所处的阶段不允许执行该操作。',
    en: 'The application is not at a stage where this action is possible.',
  },
  APPLICATION_ROLE_NOT_ALLOWED: {
    status: 403,
    zh: '您的角色不能对入会申请执行该操作。',
    en: 'Your role cannot take this action on an application.',
  },
  APPLICATION_COMMENT_REQUIRED: {
    status: 400,
    zh: '请填写意见：要求补正和不予通过都须说明理由。',
    en: 'A comment is required: requesting changes and rejecting must give reasons.',
  },
  APPLICATION_INCOMPLETE: {
    status: 422,
    zh: '入会申请材料不完整，请补齐所列项目。',
    en: 'The application is incomplete; complete the listed items.',
  },
  APPLICATION_NOT_EDITABLE: {
    status: 409,
    zh: '入会申请只有在草稿或待补正阶段才能修改。',
    en: 'An application can be changed only while it is a draft or changes are requested.',
  },
  CONVENTION_NOT_SIGNED: {
    status: 409,
    zh: '该机构尚未签署现行自律公约，暂不能批准入会。',
    en: 'The firm has not signed the current self-discipline convention, so it cannot be admitted yet.',
  },
  TIER_NOT_FOUND: {
    status: 404,
    zh: '未找到该会员级别。',
    en: 'The membership tier was not found.',
  },
  INVOICE_NOT_FOUND: { status: 404, zh: '未找到该会费账单。', en: 'The invoice was not found.' },
  INVOICE_NOT_OPEN: {
    status: 409,
    zh: '该账单已结清或已减免，不能再登记付款或减免。',
    en: 'The invoice is already paid or waived; no payment or waiver can be recorded.',
  },
  INVOICE_ALREADY_RAISED: {
    status: 409,
    zh: '该机构本年度的同类账单已经开具。',
    en: 'An invoice of this kind has already been raised for the firm and year.',
  },
  PAYMENT_EXCEEDS_BALANCE: {
    status: 422,
    zh: '付款金额超过了账单的未付余额。',
    en: 'The payment is larger than the balance of the invoice.',
  },
  PAYMENT_DATE_INVALID: {
    status: 400,
    zh: '到账日期须是不晚于今天（北京时间）的有效日期。',
    en: 'The date paid must be a valid date no later than today (Beijing time).',
  },
  AMOUNT_INVALID: {
    status: 400,
    zh: '金额须为大于零的人民币金额，最多两位小数。',
    en: 'The amount must be a positive amount in yuan with at most two decimals.',
  },
  // Staff member list, CSV export and import.
  MEMBER_CURSOR_INVALID: {
    status: 400,
    zh: '分页参数无效，请从第一页重新浏览会员列表。',
    en: 'The page cursor is not valid; start the member list again from the first page.',
  },
  MEMBER_IMPORT_FILE_MISSING: {
    status: 400,
    zh: '请选择要导入的 CSV 文件（字段名 file），或以 text/csv 发送文件内容。',
    en: 'Choose the CSV file to import (field "file"), or send its content as text/csv.',
  },
  MEMBER_IMPORT_TOO_LARGE: {
    status: 413,
    zh: '导入文件不能超过 2 MB，请拆分为几个文件。',
    en: 'The import file must not be larger than 2 MB; split it into several files.',
  },
  MEMBER_IMPORT_TOO_MANY_ROWS: {
    status: 413,
    zh: '一次最多导入 5,000 行会员数据，请拆分为几个文件。',
    en: 'At most 5,000 member rows can be imported at once; split the file into several.',
  },
  MEMBER_IMPORT_INVALID: {
    status: 400,
    zh: '导入文件有错误，未导入任何机构。请按所列行号逐一更正后重新上传。',
    en: 'The import file has errors, so no firm was imported. Correct each listed line and upload it again.',
  },
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
  // Firm record, documents, colleagues (firm portal).
  DOCUMENT_NOT_FOUND: { status: 404, zh: '未找到该文件。', en: 'The document was not found.' },
  LICENCE_NOT_FOUND: { status: 404, zh: '未找到该许可证。', en: 'The licence was not found.' },
  LICENCE_DATES_INVALID: {
    status: 400,
    zh: '许可证的有效期截止日期不能早于起始日期。',
    en: "A licence's end of validity cannot be before its start.",
  },
  CHANGE_REQUEST_NOT_FOUND: {
    status: 404,
    zh: '未找到该变更申请。',
    en: 'The change request was not found.',
  },
  CHANGE_REQUEST_PENDING: {
    status: 409,
    zh: '该机构已有一项待审核的变更申请，请等待审核结果或先撤回。',
    en: 'The firm already has a change request awaiting review; wait for the decision or withdraw it first.',
  },
  CHANGE_REQUEST_NOT_PENDING: {
    status: 409,
    zh: '该变更申请已处理，不能再次处理。',
    en: 'The change request has already been decided.',
  },
  CHANGE_REQUEST_EMPTY: {
    status: 400,
    zh: '变更申请没有任何变化：请至少修改机构名称、统一社会信用代码或法定代表人中的一项。',
    en: 'The change request changes nothing: change at least the legal name, the credit code or the legal representative.',
  },
  INVITATION_INVALID: {
    status: 400,
    zh: '邀请链接无效、已使用、已撤回或已过期，请联系机构管理员重新邀请。',
    en: 'The invitation link is invalid, used, revoked or expired; ask the firm administrator to invite you again.',
  },
  INVITATION_NOT_FOUND: { status: 404, zh: '未找到该邀请。', en: 'The invitation was not found.' },
  INVITEE_HAS_ACCOUNT: {
    status: 409,
    zh: '该电子邮箱已有平台账户，不能再邀请。',
    en: 'This e-mail address already has an account on the platform and cannot be invited.',
  },
  COLLEAGUE_NOT_FOUND: { status: 404, zh: '未找到该同事。', en: 'The colleague was not found.' },
  CANNOT_REMOVE_SELF: {
    status: 400,
    zh: '不能移除自己的账户，请由另一位管理员操作。',
    en: 'You cannot remove your own account; ask another administrator.',
  },
  LAST_FIRM_ADMIN: {
    status: 409,
    zh: '不能移除机构的最后一位管理员。',
    en: "The firm's last administrator cannot be removed.",
  },
  SIGNATORY_INVALID: {
    status: 400,
    zh: '授权签字人必须是本机构的有效用户。',
    en: 'The authorised signatory must be an active user of this firm.',
  },
};

export class MembershipError extends DomainError<MembershipErrorCode> {
  constructor(code: MembershipErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
