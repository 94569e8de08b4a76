/**
 * Ratings catalogue, shared labels. Split by area like the disputes catalogue: each file exports
 * { zh, en } with the same keys (the type checker enforces it).
 */
const zh = {
  'nav.firmRatings': '信用评级',
  'nav.staffRatings': '信用评级管理',
  'nav.staffRatingReviews': '评级评审',
  'ratings.submissionState.draft': '草稿',
  'ratings.submissionState.submitted': '已提交，待评审',
  'ratings.submissionState.returned': '已退回更正',
  'ratings.submissionState.proposed': '已提出评级建议，待复核',
  'ratings.submissionState.confirmed': '已复核确认，待发布',
  'ratings.submissionState.published': '已发布',
  'ratings.cycleState.draft': '草稿',
  'ratings.cycleState.open': '申报中',
  'ratings.cycleState.closed': '已截止',
  'ratings.ratingStatus.current': '有效',
  'ratings.ratingStatus.superseded': '已被新评级取代',
  'ratings.ratingStatus.changed': '经申诉变更',
  'ratings.ratingStatus.expired': '已过期',
  'ratings.ratingStatus.withdrawn': '已撤销',
  'ratings.underAppeal': '申诉中',
  'ratings.appealState.pending': '待处理',
  'ratings.appealState.upheld': '维持原评级',
  'ratings.appealState.changed': '变更评级',
  'ratings.source.firm': '机构填报',
  'ratings.source.disputes': '平台根据投诉数据计算',
} as const;

const en: Record<keyof typeof zh, string> = {
  'nav.firmRatings': 'Credit rating',
  'nav.staffRatings': 'Ratings',
  'nav.staffRatingReviews': 'Rating reviews',
  'ratings.submissionState.draft': 'Draft',
  'ratings.submissionState.submitted': 'Submitted, awaiting review',
  'ratings.submissionState.returned': 'Returned for correction',
  'ratings.submissionState.proposed': 'Grade proposed, awaiting a second reviewer',
  'ratings.submissionState.confirmed': 'Confirmed, awaiting publication',
  'ratings.submissionState.published': 'Published',
  'ratings.cycleState.draft': 'Draft',
  'ratings.cycleState.open': 'Open for submissions',
  'ratings.cycleState.closed': 'Closed',
  'ratings.ratingStatus.current': 'Current',
  'ratings.ratingStatus.superseded': 'Superseded by a later rating',
  'ratings.ratingStatus.changed': 'Changed on appeal',
  'ratings.ratingStatus.expired': 'Expired',
  'ratings.ratingStatus.withdrawn': 'Withdrawn',
  'ratings.underAppeal': 'Under appeal',
  'ratings.appealState.pending': 'Pending',
  'ratings.appealState.upheld': 'Upheld',
  'ratings.appealState.changed': 'Grade changed',
  'ratings.source.firm': 'Entered by the firm',
  'ratings.source.disputes': 'Computed by the platform from complaint data',
};

export const ratingsSharedMessages = { zh, en };
