/** Disputes catalogue: mediation pages and e-mails (see shared.ts). Keys: disputes.mediation.* */
const zh = {
  'disputes.mediation.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'disputes.mediation.placeholder': '(placeholder)',
};

export const disputesMediationMessages = { zh, en };
