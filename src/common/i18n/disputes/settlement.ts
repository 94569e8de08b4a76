/** Disputes catalogue: settlement pages and e-mails (see shared.ts). Keys: disputes.settlement.* */
const zh = {
  'disputes.settlement.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'disputes.settlement.placeholder': '(placeholder)',
};

export const disputesSettlementMessages = { zh, en };
