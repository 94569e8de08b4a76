import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type DisputesErrorCode =
  // Shared (lead).
  | 'TICKET_NOT_FOUND'
  | 'TRANSITION_NOT_ALLOWED'
  | 'REASON_REQUIRED'
  | 'CURSOR_INVALID'
  // Filing (helper A).
  | 'EMAIL_NOT_VERIFIED'
  | 'RESPONDENT_NOT_MEMBER'
  | 'CATEGORY_INVALID'
  | 'AMOUNT_INVALID'
  | 'DRAFT_INCOMPLETE'
  | 'CONSENT_REQUIRED'
  | 'ATTACHMENT_NOT_FOUND'
  | 'TOO_MANY_ATTACHMENTS'
  | 'REJECT_REASON_INVALID'
  // Workflow, deadlines, calendar, statistics (helper B).
  | 'REOPEN_USED'
  | 'REOPEN_WINDOW_CLOSED'
  | 'REOPEN_NOT_AFTER_SETTLEMENT'
  | 'EXTENSION_USED'
  | 'EXTENSION_NOT_REQUESTED'
  | 'CALENDAR_DATE_INVALID'
  | 'CALENDAR_DAY_NOT_FOUND'
  | 'EXTENSION_CONSENT_GIVEN'
  | 'RESPONSE_REQUIRED'
  | 'NOT_ACCEPTED_MEDIATOR'
  // Mediators and conversation (helper C).
  | 'MEDIATOR_NOT_FOUND'
  | 'MEDIATOR_CONFLICT'
  | 'MEDIATOR_INACTIVE'
  | 'NO_ELIGIBLE_MEDIATOR'
  | 'NO_CONFLICT_CONFIRMATION'
  | 'CHALLENGE_USED'
  | 'CHALLENGE_NOT_FOUND'
  | 'CHALLENGE_DECIDED'
  | 'NO_MEDIATOR'
  | 'VISIBILITY_NOT_ALLOWED'
  | 'MESSAGE_EMPTY'
  | 'TICKET_NOT_ACTIVE'
  | 'SESSION_INVALID'
  | 'SESSION_NOT_FOUND'
  | 'AFFILIATION_NOT_FOUND'
  // Settlements and surveys (helper D).
  | 'SETTLEMENT_NOT_FOUND'
  | 'SETTLEMENT_NOT_DRAFT'
  | 'SETTLEMENT_NOT_AWAITING'
  | 'SETTLEMENT_EXISTS'
  | 'SETTLEMENT_DEADLINE_INVALID'
  | 'NOT_SIGNATORY'
  | 'TYPED_NAME_MISMATCH'
  | 'SIGN_CONSENT_REQUIRED'
  | 'REAUTH_FAILED'
  | 'TOTP_REQUIRED'
  | 'ALREADY_SIGNED'
  | 'NOT_PERFORMED'
  | 'ALREADY_PERFORMED'
  | 'SURVEY_NOT_OPEN'
  | 'SURVEY_DONE'
  | 'RATING_INVALID';

const SPECS: Record<DisputesErrorCode, ErrorSpec> = {
  TICKET_NOT_FOUND: { status: 404, zh: '未找到该投诉。', en: 'The complaint was not found.' },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '投诉当前的状态不允许此操作。',
    en: 'This cannot be done to the complaint in its current state.',
  },
  REASON_REQUIRED: {
    status: 400,
    zh: '请填写理由。',
    en: 'Give a reason.',
  },
  CURSOR_INVALID: {
    status: 400,
    zh: '分页参数无效，请从第一页重新浏览。',
    en: 'The page cursor is not valid; start again from the first page.',
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    zh: '请先验证您的电子邮箱，再提交投诉。',
    en: 'Verify your e-mail address before filing a complaint.',
  },
  RESPONDENT_NOT_MEMBER: {
    status: 400,
    zh: '被投诉机构须为本会会员单位，请从会员名录中选择。',
    en: 'The respondent must be a member firm; choose it from the member directory.',
  },
  CATEGORY_INVALID: {
    status: 400,
    zh: '请选择投诉类别。',
    en: 'Choose a complaint category.',
  },
  AMOUNT_INVALID: {
    status: 400,
    zh: '争议金额须为不小于 0 的人民币金额，最多两位小数。',
    en: 'The amount in dispute must be a CNY amount of 0 or more, with at most two decimals.',
  },
  DRAFT_INCOMPLETE: {
    status: 400,
    zh: '投诉尚未填写完整，请补充后再提交。',
    en: 'The complaint is not complete yet; fill in the missing parts before filing.',
  },
  CONSENT_REQUIRED: {
    status: 400,
    zh: '请阅读并同意调解规则。',
    en: 'Read and accept the mediation rules.',
  },
  ATTACHMENT_NOT_FOUND: { status: 404, zh: '未找到该附件。', en: 'The attachment was not found.' },
  TOO_MANY_ATTACHMENTS: {
    status: 400,
    zh: '附件数量已达上限。',
    en: 'The limit on attachments has been reached.',
  },
  REJECT_REASON_INVALID: {
    status: 400,
    zh: '请选择不予受理的理由：非会员单位、非金融事项，或已进入诉讼或仲裁。',
    en: 'Choose why the complaint is out of scope: not a member, not a financial matter, or before a court or arbitration.',
  },
  REOPEN_USED: {
    status: 409,
    zh: '该投诉已重新开启过一次，不能再次开启。',
    en: 'This complaint has already been reopened once.',
  },
  REOPEN_WINDOW_CLOSED: {
    status: 409,
    zh: '已超过可重新开启的期限（履行期限届满后 10 个工作日）。',
    en: 'The time to reopen (10 working days after the performance deadline) has passed.',
  },
  REOPEN_NOT_AFTER_SETTLEMENT: {
    status: 409,
    zh: '只有达成调解协议的投诉可在协议未履行时重新开启。',
    en: 'Only a complaint settled by agreement can be reopened when the agreement is not performed.',
  },
  EXTENSION_USED: {
    status: 409,
    zh: '调解期限只能延长一次。',
    en: 'The mediation deadline can be extended only once.',
  },
  EXTENSION_NOT_REQUESTED: {
    status: 409,
    zh: '调解员尚未申请延长调解期限。',
    en: 'The mediator has not asked to extend the mediation deadline.',
  },
  CALENDAR_DATE_INVALID: {
    status: 400,
    zh: '请填写有效日期（YYYY-MM-DD）：节假日须为工作日，调休上班日须为周末。',
    en: 'Give a valid date (YYYY-MM-DD): a holiday must fall on a weekday and an adjusted working day on a weekend.',
  },
  CALENDAR_DAY_NOT_FOUND: {
    status: 404,
    zh: '日历中没有该日期。',
    en: 'That date is not in the calendar.',
  },
  EXTENSION_CONSENT_GIVEN: {
    status: 409,
    zh: '您一方已同意延长调解期限。',
    en: 'Your side has already agreed to extend the mediation deadline.',
  },
  RESPONSE_REQUIRED: {
    status: 400,
    zh: '请填写机构的答复意见。',
    en: "Write the firm's response.",
  },
  NOT_ACCEPTED_MEDIATOR: {
    status: 403,
    zh: '只有已接案的调解员可以执行此操作。',
    en: 'Only the mediator who accepted the case can do this.',
  },
  MEDIATOR_NOT_FOUND: { status: 404, zh: '未找到该调解员。', en: 'The mediator was not found.' },
  MEDIATOR_CONFLICT: {
    status: 409,
    zh: '该调解员申报过与被投诉机构的关联关系（三年内任职、顾问或持股），不能承办此案。',
    en: 'The mediator declared a tie with the respondent firm (employment, advice or shares within 3 years) and cannot take this case.',
  },
  MEDIATOR_INACTIVE: {
    status: 409,
    zh: '该调解员目前不接受新案件。',
    en: 'The mediator is not taking new cases.',
  },
  NO_ELIGIBLE_MEDIATOR: {
    status: 409,
    zh: '目前没有可承办此案的调解员（均有利益冲突或未在岗）。',
    en: 'No mediator can take this case now (all are conflicted or inactive).',
  },
  NO_CONFLICT_CONFIRMATION: {
    status: 400,
    zh: '接受案件前，请确认您与双方当事人均无利益冲突。',
    en: 'Confirm that you have no conflict with either party before accepting.',
  },
  CHALLENGE_USED: {
    status: 409,
    zh: '每一方只能对调解员提出一次回避申请。',
    en: 'Each party may challenge the mediator only once.',
  },
  CHALLENGE_NOT_FOUND: {
    status: 404,
    zh: '未找到该回避申请。',
    en: 'The challenge was not found.',
  },
  CHALLENGE_DECIDED: {
    status: 409,
    zh: '该回避申请已有决定。',
    en: 'The challenge has already been decided.',
  },
  NO_MEDIATOR: {
    status: 409,
    zh: '此案目前没有调解员。',
    en: 'The case has no mediator at present.',
  },
  VISIBILITY_NOT_ALLOWED: {
    status: 400,
    zh: '您不能以该可见范围发送消息。',
    en: 'You cannot send a message with that visibility.',
  },
  MESSAGE_EMPTY: {
    status: 400,
    zh: '请填写消息内容（不超过 5000 字）。',
    en: 'Write a message (at most 5,000 characters).',
  },
  TICKET_NOT_ACTIVE: {
    status: 409,
    zh: '此投诉已结束，不能再进行此操作。',
    en: 'This complaint is no longer active.',
  },
  SESSION_INVALID: {
    status: 400,
    zh: '请填写将来的调解时间、时长（15–480 分钟）、方式和地点或会议链接。',
    en: 'Give a future time, a length of 15–480 minutes, a mode, and a place or meeting link.',
  },
  SESSION_NOT_FOUND: {
    status: 404,
    zh: '未找到该调解安排。',
    en: 'The mediation session was not found.',
  },
  AFFILIATION_NOT_FOUND: {
    status: 404,
    zh: '未找到该关联关系申报。',
    en: 'The declared affiliation was not found.',
  },
  SETTLEMENT_NOT_FOUND: {
    status: 404,
    zh: '未找到该调解协议。',
    en: 'The settlement agreement was not found.',
  },
  SETTLEMENT_NOT_DRAFT: {
    status: 409,
    zh: '只有草稿状态的调解协议可以修改或发送签署。',
    en: 'Only a draft settlement can be edited or sent for signature.',
  },
  SETTLEMENT_NOT_AWAITING: {
    status: 409,
    zh: '该调解协议目前不在待签署状态。',
    en: 'The settlement is not awaiting signatures.',
  },
  SETTLEMENT_EXISTS: {
    status: 409,
    zh: '此案已有进行中的调解协议。',
    en: 'The case already has a settlement in progress.',
  },
  SETTLEMENT_DEADLINE_INVALID: {
    status: 400,
    zh: '履行期限须为今天以后的有效日期（YYYY-MM-DD）。',
    en: 'The performance deadline must be a valid date (YYYY-MM-DD) after today.',
  },
  NOT_SIGNATORY: {
    status: 403,
    zh: '只有投诉人本人或被投诉机构的授权签署人可以签署调解协议。',
    en: "Only the complainant or the respondent firm's authorised signatory may sign the settlement.",
  },
  TYPED_NAME_MISMATCH: {
    status: 400,
    zh: '输入的姓名与注册姓名不一致。',
    en: 'The typed name does not match your registered full name.',
  },
  SIGN_CONSENT_REQUIRED: {
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
    zh: '您一方已签署该调解协议。',
    en: 'Your side has already signed this settlement.',
  },
  NOT_PERFORMED: {
    status: 409,
    zh: '被投诉机构尚未登记履行，暂不能确认。',
    en: 'The firm has not recorded performance yet.',
  },
  ALREADY_PERFORMED: {
    status: 409,
    zh: '已登记履行。',
    en: 'Performance has already been recorded.',
  },
  SURVEY_NOT_OPEN: {
    status: 409,
    zh: '投诉结案后才能评价。',
    en: 'The survey opens once the complaint is closed.',
  },
  SURVEY_DONE: {
    status: 409,
    zh: '您已评价过此案。',
    en: 'You have already rated this case.',
  },
  RATING_INVALID: {
    status: 400,
    zh: '请选择 1 到 5 分，评语不超过 2000 字。',
    en: 'Choose a rating from 1 to 5; the comment may be at most 2,000 characters.',
  },
};

/** The spec of a disputes error code, or null for a string that is not one (page notices). */
export function disputesErrorSpec(code: string): ErrorSpec | null {
  return Object.prototype.hasOwnProperty.call(SPECS, code)
    ? SPECS[code as DisputesErrorCode]
    : null;
}

export class DisputesError extends DomainError<DisputesErrorCode> {
  constructor(code: DisputesErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
