/** Disputes catalogue: workflow pages and e-mails (see shared.ts). Keys: disputes.workflow.* */
const zh = {
  'disputes.workflow.placeholder': '（占位）',
} as const;

const en: Record<keyof typeof zh, string> = {
  'disputes.workflow.placeholder': '(placeholder)',
};

export const disputesWorkflowMessages = { zh, en };
