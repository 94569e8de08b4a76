/** Ratings catalogue: review pages and e-mails (see shared.ts). Keys: ratings.review.* */
const zh = {
  'ratings.review.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'ratings.review.placeholder': '(placeholder)',
};

export const ratingsReviewMessages = { zh, en };
