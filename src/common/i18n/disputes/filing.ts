/** Disputes catalogue: filing pages and e-mails (see shared.ts). Keys: disputes.filing.* */
const zh = {
  'disputes.filing.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'disputes.filing.placeholder': '(placeholder)',
};

export const disputesFilingMessages = { zh, en };
