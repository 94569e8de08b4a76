import { DomainError, type ErrorSpec } from '../../common/errors/domain-error.js';

export type RatingsErrorCode =
  // Shared (lead).
  | 'SUBMISSION_NOT_FOUND'
  | 'TRANSITION_NOT_ALLOWED'
  | 'COMMENT_REQUIRED'
  // Scorecards, cycles, submissions (helper G).
  | 'SCORECARD_NOT_FOUND'
  | 'SCORECARD_PUBLISHED'
  | 'SCORECARD_INVALID'
  | 'SCORECARD_NOT_PUBLISHED'
  | 'CYCLE_NOT_FOUND'
  | 'CYCLE_DATES_INVALID'
  | 'CYCLE_NOT_DRAFT'
  | 'CYCLE_NOT_OPEN'
  | 'WINDOW_CLOSED'
  | 'WINDOW_NOT_OPEN'
  | 'FIRM_NOT_RATEABLE'
  | 'VALUES_INVALID'
  | 'DOCUMENT_NOT_FOUND'
  | 'SUBMISSION_LOCKED'
  | 'TOO_MANY_DOCUMENTS'
  // Review, publication, appeals, expiry (helper H).
  | 'REVIEWER_CONFLICT'
  | 'SAME_REVIEWER'
  | 'RATIONALE_REQUIRED'
  | 'GRADE_INVALID'
  | 'RATING_NOT_FOUND'
  | 'APPEAL_WINDOW_CLOSED'
  | 'APPEAL_EXISTS'
  | 'APPEAL_NOT_FOUND'
  | 'APPEAL_DECIDED'
  | 'APPEAL_REVIEWER_NOT_INDEPENDENT'
  | 'RATING_NOT_CURRENT'
  | 'CONFLICT_NOT_FOUND';

const SPECS: Record<RatingsErrorCode, ErrorSpec> = {
  SUBMISSION_NOT_FOUND: {
    status: 404,
    zh: '未找到该评级申报。',
    en: 'The rating submission was not found.',
  },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '评级申报当前的状态不允许此操作。',
    en: 'This cannot be done to the submission in its current state.',
  },
  COMMENT_REQUIRED: { status: 400, zh: '请填写意见。', en: 'Write a comment.' },
  SCORECARD_NOT_FOUND: {
    status: 404,
    zh: '未找到该评分表版本。',
    en: 'The scorecard version was not found.',
  },
  SCORECARD_PUBLISHED: {
    status: 409,
    zh: '该评分表版本已发布，不能修改；如需调整请新建版本。',
    en: 'This scorecard version is published and cannot change; create a new version instead.',
  },
  SCORECARD_INVALID: {
    status: 400,
    zh: '评分表定义有误，请按提示修改。',
    en: 'The scorecard definition has problems; fix the ones listed.',
  },
  SCORECARD_NOT_PUBLISHED: {
    status: 409,
    zh: '评级周期只能使用已发布的评分表版本。',
    en: 'A rating cycle can only use a published scorecard version.',
  },
  CYCLE_NOT_FOUND: { status: 404, zh: '未找到该评级周期。', en: 'The rating cycle was not found.' },
  CYCLE_DATES_INVALID: {
    status: 400,
    zh: '日期无效：评级期间须早于或等于截止日期，申报期须开始于结束之前，且截止日期不早于今天。',
    en: 'The dates are not valid: the period must run forwards, the window must open before it closes, and it cannot close in the past.',
  },
  CYCLE_NOT_DRAFT: {
    status: 409,
    zh: '只有草稿状态的评级周期可以修改或开启。',
    en: 'Only a draft cycle can be edited or opened.',
  },
  CYCLE_NOT_OPEN: {
    status: 409,
    zh: '该评级周期未开放申报。',
    en: 'The cycle is not open for submissions.',
  },
  WINDOW_CLOSED: {
    status: 409,
    zh: '申报期已截止，不能再提交或修改。',
    en: 'The submission window has closed; nothing can be submitted or changed.',
  },
  WINDOW_NOT_OPEN: {
    status: 409,
    zh: '申报期尚未开始。',
    en: 'The submission window has not opened yet.',
  },
  FIRM_NOT_RATEABLE: {
    status: 409,
    zh: '只有正式会员单位可以参加信用评级。',
    en: 'Only active member firms take part in credit ratings.',
  },
  VALUES_INVALID: {
    status: 400,
    zh: '部分指标的数值有误或缺失，请按提示修改。',
    en: 'Some indicator values are missing or not valid; fix the ones listed.',
  },
  DOCUMENT_NOT_FOUND: { status: 404, zh: '未找到该材料。', en: 'The document was not found.' },
  SUBMISSION_LOCKED: {
    status: 409,
    zh: '申报已提交，内容已锁定；如需更正，请等待评审人员退回。',
    en: 'The submission is locked once submitted; a reviewer can return it for correction.',
  },
  TOO_MANY_DOCUMENTS: {
    status: 409,
    zh: '材料数量已达上限，请先删除不需要的材料。',
    en: 'The document limit is reached; remove one you no longer need first.',
  },
  REVIEWER_CONFLICT: {
    status: 403,
    zh: '您已申报与该机构存在关联关系，不能评审其评级。',
    en: 'You declared a link with this firm and cannot review its rating.',
  },
  SAME_REVIEWER: {
    status: 403,
    zh: '四眼原则：提出评级建议的评审人员不能自行确认，须由另一位评审人员确认。',
    en: 'Four eyes: the reviewer who proposed the grade cannot confirm it; another reviewer must.',
  },
  RATIONALE_REQUIRED: {
    status: 400,
    zh: '调整评分结果对应的等级时，须填写书面理由。',
    en: 'A written rationale is required when the proposed grade differs from the computed one.',
  },
  GRADE_INVALID: {
    status: 400,
    zh: '请选择有效的信用等级（AAA 至 C）。',
    en: 'Choose a valid grade (AAA to C).',
  },
  RATING_NOT_FOUND: { status: 404, zh: '未找到该信用评级。', en: 'The rating was not found.' },
  APPEAL_WINDOW_CLOSED: {
    status: 409,
    zh: '已超过申诉期限。',
    en: 'The time to appeal has passed.',
  },
  APPEAL_EXISTS: {
    status: 409,
    zh: '该评级已提出过申诉。',
    en: 'This rating has already been appealed.',
  },
  APPEAL_NOT_FOUND: { status: 404, zh: '未找到该申诉。', en: 'The appeal was not found.' },
  APPEAL_DECIDED: {
    status: 409,
    zh: '该申诉已有结论。',
    en: 'The appeal has already been decided.',
  },
  APPEAL_REVIEWER_NOT_INDEPENDENT: {
    status: 403,
    zh: '参与过原评级的评审人员不能处理该申诉。',
    en: 'A reviewer who took part in the original decision cannot decide the appeal.',
  },
  RATING_NOT_CURRENT: {
    status: 409,
    zh: '该评级已不是现行有效的评级。',
    en: 'This rating is no longer the current one.',
  },
  CONFLICT_NOT_FOUND: {
    status: 404,
    zh: '未找到该关联申报。',
    en: 'The declared link was not found.',
  },
};

/** The spec of a ratings error code, or null (page notices). */
export function ratingsErrorSpec(code: string): ErrorSpec | null {
  return Object.prototype.hasOwnProperty.call(SPECS, code) ? SPECS[code as RatingsErrorCode] : null;
}

export class RatingsError extends DomainError<RatingsErrorCode> {
  constructor(code: RatingsErrorCode, details?: Record<string, unknown>) {
    super(code, SPECS[code], details);
  }
}
