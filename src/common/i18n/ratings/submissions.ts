/** Ratings catalogue: submissions pages and e-mails (see shared.ts). Keys: ratings.submissions.* */
const zh = {
  'ratings.submissions.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'ratings.submissions.placeholder': '(placeholder)',
};

export const ratingsSubmissionsMessages = { zh, en };
